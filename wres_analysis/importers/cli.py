"""``wres import staff-in-post|events``: record-level files into contract tables in ``--out``.

On any problem the command lists every one (file, row, column, what was expected), writes
nothing and exits 1; otherwise it writes the tables in one step and says what it read, left
out (and why) and counted.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

from wres_analysis.data.problems import DataValidationError
from wres_analysis.exit_codes import EXIT_FAILURE, EXIT_OK, EXIT_USAGE
from wres_analysis.importers.fields import EVENT_KINDS, fields_for
from wres_analysis.importers.mapping import DETAILS

__all__ = ["add_import_parser", "cli_import"]

_EPILOG = (
    "Headers are matched ignoring case and spaces; a map file (YAML: columns:, values:, "
    "exclude:, include:, ethnicity_detail:) names any your file writes otherwise. On any "
    "problem nothing is written and the command exits 1. See docs/importing.md."
)


def _field_list(kind: str) -> str:
    return "; ".join(
        f"{f.name}{'*' if f.required else ''} ({f.headers[0]})" for f in fields_for(kind)
    )


def add_import_parser(commands: argparse._SubParsersAction) -> None:
    """Add ``wres import`` and its two importers to the ``wres`` command line."""
    parser = commands.add_parser(
        "import",
        help="turn record-level files (staff in post, events) into contract tables",
        description="Read record-level extracts (one row per assignment, application, case "
        "or course) and write the contract tables they give into a dataset folder.",
        epilog=_EPILOG,
    )
    kinds = parser.add_subparsers(dest="importer", metavar="IMPORTER")
    staff = kinds.add_parser(
        "staff-in-post",
        help="ESR-like staff in post into workforce, board and organisations",
        description="Read staff-in-post records (one row per assignment, e.g. ESR) into "
        "workforce.csv (people at 31 March by occupation, grade and ethnicity; active "
        "assignments only, bank excluded, each person once on their primary assignment), "
        "board.csv (rows flagged board_member) and organisations.csv (from --organisations, "
        "the one already in --out, or a stub to fill in). Fields (* required; default "
        f"header): {_field_list('staff-in-post')}.",
        epilog=_EPILOG,
    )
    events = kinds.add_parser(
        "events",
        help="recruitment, disciplinary or training events into their tables",
        description="Read event records into recruitment.csv (applications shortlisted and "
        "appointed), disciplinary.csv (people entering a formal process) or training.csv "
        "(people accessing non-mandatory training), by the financial year ending 31 March "
        "of the report year. Disciplinary and training denominators come from --staff.",
        epilog=_EPILOG,
    )
    for sub in (staff, events):
        sub.add_argument(
            "files",
            type=Path,
            nargs="+",
            metavar="FILE",
            help="CSV, Parquet, XLSX or ODS files (e.g. one per year or trust)",
        )
        sub.add_argument(
            "--out",
            type=Path,
            required=True,
            metavar="DIR",
            help="dataset folder to write into (its other files are kept)",
        )
        sub.add_argument(
            "--map",
            type=Path,
            default=None,
            metavar="MAP.yaml",
            help="map file: headers, value spellings, records to exclude",
        )
        sub.add_argument(
            "--year",
            type=int,
            action="append",
            default=None,
            metavar="Y",
            help="import only this report year (repeatable; default: all)",
        )
        sub.add_argument(
            "--ethnicity-detail",
            choices=DETAILS,
            default="code",
            help="keep ethnic codes as the files give them (code, default) or "
            "only White/BME/Unknown (group)",
        )
        sub.add_argument(
            "--max-problems",
            type=int,
            default=200,
            help="stop listing after this many (default 200)",
        )
        sub.add_argument("--quiet", action="store_true", help="no progress lines")
    staff.add_argument(
        "--organisations",
        type=Path,
        default=None,
        metavar="FILE",
        help="an organisations table (contract columns) naming every org_code",
    )
    events.add_argument("--kind", choices=EVENT_KINDS, required=True)
    events.add_argument(
        "--staff",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder with the imported workforce.csv (disciplinary, training)",
    )
    events.add_argument(
        "--denominator",
        choices=("snapshot", "average"),
        default="snapshot",
        help="staff denominator: 31 March of the report year (snapshot, "
        "default) or the mean of the two 31 March snapshots around the "
        "financial year (average)",
    )


def _scan_error(message: str) -> str:
    """A DuckDB scan error as a problem line: the file, the row and what was expected."""
    file = re.search(r"^\s*file = (.+)$", message, re.MULTILINE)
    line = re.search(r"CSV Error on Line: (\d+)", message)
    cells = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", message)
    where = Path(file.group(1).strip()).name if file else "a file"
    if line:
        where += f", row {line.group(1)}"
    if cells:
        expected, found = cells.groups()
        what = (
            f"has {found} cells where the header has {expected}: a value holding the "
            "delimiter must be in double quotes, and every column needs a header"
        )
    else:
        what = f"is not a well-formed file ({message.strip().splitlines()[0]})"
    return f"wres import: the records could not be read:\n- {where}: {what}"


def cli_import(args: argparse.Namespace) -> int:
    """Run ``wres import``; return the exit code."""
    if args.importer is None:
        print(
            "wres import: name an importer: staff-in-post or events (see wres import --help)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.max_problems < 1:
        print("wres import: --max-problems must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    import duckdb

    from wres_analysis.importers.engine import Progress, write_staged

    progress = Progress(quiet=args.quiet)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.work-", dir=out.parent))
    try:
        if args.importer == "staff-in-post":
            from wres_analysis.importers.staff import import_staff

            result = import_staff(
                list(args.files),
                map_path=args.map,
                years=args.year,
                ethnicity_detail=args.ethnicity_detail,
                organisations=args.organisations,
                existing=out / "organisations.csv",
                work_dir=work,
                max_problems=args.max_problems,
                progress=progress,
            )
        else:
            from wres_analysis.importers.events import import_events

            result = import_events(
                args.kind,
                list(args.files),
                map_path=args.map,
                staff=args.staff,
                basis=args.denominator,
                years=args.year,
                ethnicity_detail=args.ethnicity_detail,
                work_dir=work,
                max_problems=args.max_problems,
                progress=progress,
            )
        progress(f"writing {', '.join(result.tables)} into {out}")
        written = write_staged(out, result.tables)
    except DataValidationError as exc:
        print(str(exc), file=sys.stderr)
        print(f"Nothing was written to {out}.", file=sys.stderr)
        return EXIT_FAILURE
    except duckdb.Error as exc:
        print(_scan_error(str(exc)), file=sys.stderr)
        print(f"Nothing was written to {out}.", file=sys.stderr)
        return EXIT_FAILURE
    except OSError as exc:
        print(f"wres import: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILURE
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"Read {result.rows_read:,} rows from {len(args.files)} file(s).")
    for reason, count in sorted(result.excluded.items(), key=lambda kv: -kv[1]):
        print(f"  left out {count:>12,}  {reason}")
    for what, count in result.counted.items():
        print(f"  counted  {count:>12,}  {what}")
    for path in written:
        print(f"Wrote {path} ({len(result.tables[path.stem]):,} rows)")
    for note in result.notes:
        print(f"Note: {note}")
    return EXIT_OK
