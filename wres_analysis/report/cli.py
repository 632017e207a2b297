"""``wres build``: turn the parsed command line into a build and an exit code."""

from __future__ import annotations

import argparse
import errno
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from wres_analysis.exit_codes import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from wres_analysis.report.warm import start_zygote

if TYPE_CHECKING:
    from wres_analysis._engine.zygote import Zygote
    from wres_analysis.report.pipeline import BuildOptions

__all__ = ["cli_build"]


def _options(args: argparse.Namespace) -> BuildOptions:
    from wres_analysis.report.pipeline import BuildOptions

    return BuildOptions(
        params_path=Path(args.params),
        data=args.data,
        year=args.year,
        output_dir=args.output_dir,
        organisations=args.organisation,
        jobs=args.jobs,
        only=args.only,
        quiet=bool(args.quiet),
        wait=not getattr(args, "no_wait", False),
    )


def _what_to_do(error: OSError) -> str:
    """Advice for a build that could not write its report."""
    from wres_analysis.report.staging import disk_full

    if disk_full(error):
        return "The disk is full: free some space (or choose another --output-dir) and build again."
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            "The folder cannot be written: make it writable for this user (or choose another "
            "--output-dir) and build again."
        )
    return "Check the output folder and build again."


def _unchanged(report: str) -> str:
    if report == "organisation":
        return (
            "organisation reports finished before that were written (and the index updated); "
            "every other organisation's report is unchanged"
        )
    return "nothing was changed"


def cli_build(args: argparse.Namespace) -> int:
    """Run ``wres build`` and return its exit code.

    Returns
    -------
    int
        0 when the report was written; 1 when the dataset is invalid or a chapter failed (the
        previous report is untouched); 2 for a usage error (bad parameters file or options,
        an unknown organisation code, ``--only`` with no report to update); 130 or 143 when
        interrupted by SIGINT or SIGTERM (nothing is left behind). Another build writing the
        same output folder is waited for, or with ``--no-wait`` is exit 1 naming its pid and
        start time.

    Notes
    -----
    Organisation reports (``--organisation``) succeed or fail per organisation: exit 1 when
    any organisation failed, after writing every other organisation's report and the index;
    a failed organisation keeps its previous report. An interrupt keeps the organisation
    reports that were already finished.
    """
    # The kernels' zygote first: it imports on another core while this process imports the
    # build's libraries (below) and validates the data.
    zygote = start_zygote()
    try:
        return _build(args, zygote)
    finally:
        if zygote is not None:
            zygote.close()


def _build(args: argparse.Namespace, zygote: Zygote | None) -> int:
    from wres_analysis.data import DataValidationError
    from wres_analysis.report.config import ParamsError
    from wres_analysis.report.pipeline import (
        BuildError,
        OrganisationBuildError,
        build_report,
        resolve,
    )
    from wres_analysis.report.staging import BuildLockedError

    options = _options(args)
    try:
        plan = resolve(options)
    except ParamsError as exc:
        print(f"wres build: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        build_report(options, plan, zygote)
    except ParamsError as exc:
        print(f"wres build: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DataValidationError as exc:
        print(f"wres build: the dataset is not valid; no chapter was run.\n{exc}", file=sys.stderr)
        return EXIT_FAILURE
    except OrganisationBuildError as exc:
        print(f"wres build: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except BuildLockedError as exc:
        print(f"wres build: {exc}; nothing was changed.", file=sys.stderr)
        return EXIT_FAILURE
    except BuildError as exc:
        print(
            f"wres build: build failed; the previous report is untouched.\n{exc}", file=sys.stderr
        )
        return EXIT_FAILURE
    except (FileNotFoundError, NotADirectoryError) as exc:
        print(f"wres build: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except OSError as exc:  # a folder that cannot be written, a full disk
        print(
            f"wres build: cannot write the report into {plan.output_dir}: {exc}; "
            f"{_unchanged(plan.config.report)}. {_what_to_do(exc)}",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print(f"wres build: interrupted; {_unchanged(plan.config.report)}.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except SystemExit as exc:
        print(f"wres build: terminated; {_unchanged(plan.config.report)}.", file=sys.stderr)
        return int(exc.code) if isinstance(exc.code, int) else EXIT_FAILURE
    return EXIT_OK
