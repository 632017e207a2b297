"""The ``wres`` command: demo data, validation and report builds.

Exit codes: 0 success, 1 a data or build failure, 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from wres_analysis import __version__
from wres_analysis.exit_codes import EXIT_USAGE


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wres",
        description=(
            "Reproducible NHS Workforce Race Equality Standard (WRES) analysis: "
            "validate a dataset against the data contract, write the synthetic demo "
            "dataset, and build the national or organisation reports."
        ),
        epilog="Exit codes: 0 success, 1 data or build failure, 2 usage error. "
        "Run 'wres COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"wres-analysis {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser(
        "demo-data",
        help="write the synthetic demo dataset (deterministic from its seed)",
        description="Write the SYNTHETIC demo dataset, one CSV per table plus a README, "
        "into OUT_DIR. The same seed gives byte-identical files.",
    )
    demo.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    demo.add_argument(
        "--seed", type=int, default=None, help="random seed (default: the bundled one)"
    )
    demo.add_argument(
        "--record-level",
        action="store_true",
        help="write record-level files instead (ESR-like staff in post, applications, cases, "
        "courses, with a map file for each importer) for a few organisations; importing them "
        "with 'wres import' gives those organisations' demo tables exactly",
    )
    demo.add_argument(
        "--organisation",
        action="append",
        default=None,
        metavar="CODE",
        help="with --record-level: this organisation (repeatable; default: three chosen so "
        "that a report on them shows every chart)",
    )

    validate = commands.add_parser(
        "validate",
        help="check a dataset against the data contract",
        description="Check every table of the dataset in PATH (a folder of CSV/Parquet files "
        "or one XLSX workbook) against the data contract (docs/data-contract.md). Prints a "
        "summary and exits 0, or lists every problem with its file, row and column and exits 1.",
    )
    validate.add_argument("path", type=Path, metavar="PATH")
    validate.add_argument(
        "--max-problems", type=int, default=200, help="stop listing after this many (default 200)"
    )

    from wres_analysis.importers.cli import add_import_parser

    add_import_parser(commands)

    audit = commands.add_parser(
        "audit",
        help="check built reports for counts disclosure control should have suppressed",
        description="Read every published table (CSV and XLSX) and every table shown in the "
        "executed notebooks of the reports under OUTPUT_DIR, and list each count of people "
        "below national level that the report's disclosure rule would suppress or that is "
        "not rounded. Exits 0 when clean, 1 when anything is found.",
    )
    audit.add_argument("output_dir", type=Path, metavar="OUTPUT_DIR")
    audit.add_argument(
        "--organisations",
        type=Path,
        metavar="CSV",
        help="the organisations' regions and trust types (org_code, region, org_type), so the "
        "recovery attack also differences organisations against their region and trust type",
    )
    recovery = audit.add_mutually_exclusive_group()
    recovery.add_argument(
        "--fail-on-recovery",
        dest="recovery_as_note",
        action="store_false",
        help="exit 1 when the recovery attack recovers a suppressed count (the default)",
    )
    recovery.add_argument(
        "--recovery-as-note",
        dest="recovery_as_note",
        action="store_true",
        help="list each suppressed count the recovery attack recovers as a note instead of "
        "failing (for a report built without secondary suppression)",
    )

    build = commands.add_parser(
        "build",
        help="build a report from a parameters file",
        description="Build a report (national or per organisation) from a parameters file: "
        "validate the data once, execute every chapter notebook with Papermill in a fresh "
        "kernel, and export HTML, tables (CSV/XLSX), figures and a manifest. The previous "
        "report is replaced only when every chapter succeeded.",
    )
    build.add_argument("params", type=Path, metavar="PARAMS.yaml")
    build.add_argument(
        "--data", type=Path, default=None, help="dataset folder (default: demo data)"
    )
    build.add_argument("--year", type=int, default=None, help="WRES report year (default: params)")
    build.add_argument("--output-dir", type=Path, default=None, help="where the report goes")
    build.add_argument(
        "--organisation",
        action="append",
        default=None,
        metavar="CODE",
        help="organisation code (repeatable), or 'all' (organisation reports only)",
    )
    build.add_argument(
        "--jobs", type=int, default=None,
        help="notebooks run at a time (default: one more than the cores)",
    )
    build.add_argument(
        "--only", action="append", default=None, metavar="CHAPTER", help="build only these chapters"
    )
    build.add_argument("--quiet", action="store_true", help="no progress display")
    build.add_argument(
        "--no-wait",
        action="store_true",
        help="exit 1 at once if another build is writing the output folder (default: wait)",
    )
    return parser


def _without_iri_format_checks() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax``, which compiles some 35 Lark grammars
    as it is imported (about a second of CPU before a build can start) to check the ``iri``
    formats no notebook schema uses. nbformat imports jsonschema, which treats the module as
    optional (python-jsonschema/jsonschema#1428). A process that already imported it keeps it.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``wres`` command line and return its exit code."""
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    if args.command == "demo-data":
        from wres_analysis.demo import cli_demo_data

        return cli_demo_data(
            args.out_dir,
            seed=args.seed,
            record_level=args.record_level,
            organisations=args.organisation,
        )
    if args.command == "validate":
        from wres_analysis.data import cli_validate

        return cli_validate(args.path, max_problems=args.max_problems)
    if args.command == "import":
        from wres_analysis.importers.cli import cli_import

        return cli_import(args)
    if args.command == "audit":
        from wres_analysis.audit import cli_audit

        return cli_audit(
            args.output_dir,
            organisations=args.organisations,
            fail_on_recovery=not args.recovery_as_note,
        )
    if args.command == "build":
        _without_iri_format_checks()
        from wres_analysis.report.cli import cli_build

        return cli_build(args)
    parser.error(f"unknown command {args.command!r}")  # pragma: no cover
    return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
