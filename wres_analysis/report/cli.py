"""``wres build``: turn the parsed command line into a build and an exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wres_analysis.report.params import ParamsError
from wres_analysis.report.pipeline import BuildError, BuildOptions, build_report, resolve

__all__ = ["EXIT_FAILURE", "EXIT_OK", "EXIT_USAGE", "cli_build"]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


def _options(args: argparse.Namespace) -> BuildOptions:
    return BuildOptions(
        params_path=Path(args.params),
        data=getattr(args, "data", None),
        year=getattr(args, "year", None),
        output_dir=getattr(args, "output_dir", None),
        organisations=getattr(args, "organisation", None),
        jobs=getattr(args, "jobs", None),
        only=getattr(args, "only", None),
        quiet=bool(getattr(args, "quiet", False)),
    )


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
        an unknown organisation code); 130 or 143 when interrupted by SIGINT or SIGTERM
        (nothing is left behind).

    Notes
    -----
    Organisation reports (``--organisation``) succeed or fail per organisation: exit 1 when
    any organisation failed, after writing every other organisation's report and the index;
    a failed organisation keeps its previous report. An interrupt keeps the organisation
    reports that were already finished.
    """
    from wres_analysis.report.dataset import validation_error_type
    from wres_analysis.report.organisations import OrganisationBuildError

    options = _options(args)
    try:
        plan = resolve(options)
    except ParamsError as exc:
        print(f"wres build: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        invalid = validation_error_type()
    except ImportError:  # no loader installed: nothing can be a validation error
        invalid = type("_NoValidationError", (Exception,), {})
    try:
        build_report(options, plan)
    except ParamsError as exc:
        print(f"wres build: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except invalid as exc:
        print(f"wres build: the dataset is not valid; no chapter was run.\n{exc}", file=sys.stderr)
        return EXIT_FAILURE
    except OrganisationBuildError as exc:
        print(f"wres build: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except BuildError as exc:
        print(
            f"wres build: build failed; the previous report is untouched.\n{exc}", file=sys.stderr
        )
        return EXIT_FAILURE
    except (FileNotFoundError, NotADirectoryError) as exc:
        print(f"wres build: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print(f"wres build: interrupted; {_unchanged(plan.params.report)}.", file=sys.stderr)
        return 130
    except SystemExit as exc:
        print(f"wres build: terminated; {_unchanged(plan.params.report)}.", file=sys.stderr)
        return int(exc.code) if isinstance(exc.code, int) else EXIT_FAILURE
    return EXIT_OK
