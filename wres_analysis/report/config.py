"""A report's configuration: ``params/*.yaml`` as a typed, strict model, and what each chapter
notebook receives.

A report is declared, not scripted: the YAML names the kind of report (its scope), the year,
the dataset, the statistical and disclosure settings in force, and the ordered chapters, each
with the notebook that writes it and its own ``params``. Chapter parameters are typed
(:class:`ChapterParams`): a report-level ``params`` block applies to every chapter, a chapter's
own ``params`` override it, and unknown keys are errors, so a typo cannot silently fall back to
a default.

Papermill injects parameters as Python source (``name = <literal>``). Every value a chapter
receives is plain data (``str``, ``int``, ``None``), and :func:`check_round_trip` proves before
any kernel starts that the injected source evaluates back to exactly the value given, so a
string such as ``'; import os`` or ``</script>`` can only ever arrive as that string.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from wres_analysis.contract import (
    BAND_CLUSTERS,
    GRADES_AFC,
    GRADES_MEDICAL,
    NON_ADVERSE_RANGE,
    OCCUPATIONS,
    YEAR_RANGE,
)
from wres_analysis.disclosure import DisclosureRule
from wres_analysis.indicators import RELATIVE_LIKELIHOODS
from wres_analysis.indicators.declarations import INDICATORS
from wres_analysis.stats.difference import DEFAULT_DIFFERENCE_METHOD, DIFFERENCE_METHODS
from wres_analysis.stats.ratio import DEFAULT_RATIO_METHOD, RATIO_METHODS

__all__ = [
    "NOTEBOOK_PARAMETERS",
    "ChapterParams",
    "ChapterSpec",
    "ParamsError",
    "ReportConfig",
    "check_round_trip",
    "injected_source",
    "load_config",
    "notebook_parameters",
]

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

#: The names every chapter's ``parameters`` cell declares, with their meaning. A chapter's own
#: :class:`ChapterParams` (such as ``indicator``) follow them.
NOTEBOOK_PARAMETERS: dict[str, str] = {
    "inputs": "the chapter inputs a build prepared for this scope (None: computed from `data`)",
    "data": "dataset folder or XLSX workbook when run by hand (None: the synthetic demo dataset)",
    "year": "WRES report year (None when run by hand: the dataset's latest year)",
    "scope": "'national', an organisation code, or 'organisation' (the first one reporting)",
    "name": "the chapter's name in the parameters file",
    "output_dir": "where the chapter publishes tables and figures (None: display only)",
}


class ParamsError(ValueError):
    """A parameters file that cannot be read or does not match the model (a usage error)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChapterParams(_Strict):
    """Parameters of one chapter beyond the common ones: set in ``params:`` of the report
    (every chapter) or of a chapter (that chapter; it wins).

    Attributes
    ----------
    indicator
        The relative-likelihood indicator a chapter is about ("2", "3" or "4"): one notebook
        writes the recruitment, disciplinary and training chapters.
    """

    indicator: str | None = None

    @field_validator("indicator")
    @classmethod
    def _relative_likelihood(cls, value: str | None) -> str | None:
        if value is not None and value not in RELATIVE_LIKELIHOODS:
            raise ValueError(
                f"must be one of {', '.join(map(repr, RELATIVE_LIKELIHOODS))}, got {value!r}"
            )
        return value


class ChapterSpec(_Strict):
    """One chapter: a notebook under ``notebooks_dir``, the title shown in navigation, and its
    parameters.

    ``needs`` names a table of a scope's inputs (``actions``: the organisation's action
    plan) that must have rows for the chapter to be in that scope's report: a report whose
    organisation has none has no such chapter, page or link (no empty section).
    """

    name: str
    notebook: str
    title: str
    params: ChapterParams = ChapterParams()
    needs: Literal["actions"] | None = None

    @field_validator("name")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError(
                "must be lower-case letters, digits, '_' or '-' (it is used in file names), "
                f"got {value!r}"
            )
        return value

    @field_validator("notebook")
    @classmethod
    def _ipynb(cls, value: str) -> str:
        if not value.endswith(".ipynb"):
            raise ValueError(f"must name a .ipynb file, got {value!r}")
        return value


class ReportConfig(_Strict):
    """The whole parameters file.

    ``report`` is the kind of scope the report is built for: ``national`` (England) or
    ``organisation`` (one report per organisation named on the command line). Relative paths
    (``data``, ``notebooks_dir``, ``output_dir``) are resolved against the folder holding the
    parameters file; paths given on the command line against the current directory.
    ``output_dir`` may contain ``{year}``.
    """

    report: Literal["national", "organisation"]
    title: str
    year: int = Field(ge=YEAR_RANGE[0], le=YEAR_RANGE[1])
    data: str | None = None
    notebooks_dir: str = "../notebooks"
    chapters: list[ChapterSpec] = Field(min_length=1)
    confidence: float = Field(0.95, gt=0, lt=1)
    interval_method: str = Field(DEFAULT_RATIO_METHOD, min_length=1)
    difference_method: str = Field(DEFAULT_DIFFERENCE_METHOD, min_length=1)
    non_adverse: tuple[float, float] = NON_ADVERSE_RANGE
    disclosure: DisclosureRule = DisclosureRule()
    #: Indicator 3 pooled over this many years: 1 (each year alone, the default) or 2 (each
    #: year with the one before, early guidance, unconfirmed today; docs/methodology.md).
    disciplinary_rolling_years: Literal[1, 2] = 1
    #: The funnels' overdispersion estimate: "consistent" (the default: phi corrected for
    #: winsorising) or "funnelplotr" (as NHS-R FunnelPlotR computes it; docs/methodology.md).
    funnel_overdispersion: Literal["consistent", "funnelplotr"] = "consistent"
    #: Organisation reports: the codes of organisations pooled as a further comparator (a
    #: peer group, with its own funnel target); empty for none. Codes are upper-cased; an
    #: unknown code is a usage error naming the closest (checked against the dataset).
    peer_group: list[str] = Field(default_factory=list)
    #: The band clusters of indicators 2-8 by band: each cluster's label and its grades
    #: (Agenda for Change bands, VSM, medical and dental grades). The technical guidance's
    #: clusters are unconfirmed, so they are a parameter; the default is
    #: :data:`~wres_analysis.contract.BAND_CLUSTERS`. A grade may be in one cluster at most.
    band_clusters: dict[str, list[str]] = Field(
        default_factory=lambda: {k: list(v) for k, v in BAND_CLUSTERS.items()}
    )
    params: ChapterParams = ChapterParams()
    output_dir: str | None = None
    #: The report's editions beside its pages: ``docx`` (Word) and ``pdf``; ``[]`` for none.
    editions: tuple[Literal["docx", "pdf"], ...] = ("docx", "pdf")

    @field_validator("editions")
    @classmethod
    def _once(cls, editions: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(editions)) != len(editions):
            raise ValueError(f"each edition may be listed once, got {list(editions)}")
        return editions

    @field_validator("peer_group")
    @classmethod
    def _peer_codes(cls, codes: list[str]) -> list[str]:
        cleaned = [code.strip().upper() for code in codes]
        empty = [i for i, code in enumerate(cleaned) if not code]
        if empty:
            raise ValueError(f"must list organisation codes; entry {empty[0] + 1} is empty")
        duplicates = sorted({c for c in cleaned if cleaned.count(c) > 1})
        if duplicates:
            raise ValueError(f"lists {duplicates} more than once")
        return cleaned

    @field_validator("band_clusters")
    @classmethod
    def _clusters(cls, clusters: dict[str, list[str]]) -> dict[str, list[str]]:
        grades = GRADES_AFC + GRADES_MEDICAL
        seen: dict[str, str] = {}
        taken = {*OCCUPATIONS, *(item.headline_breakdown for item in INDICATORS.values())}
        for label, members in clusters.items():
            if not label.strip() or label in taken:
                raise ValueError(
                    f"cluster label {label!r} must be non-empty text other than an occupation "
                    f"group ({', '.join(OCCUPATIONS)}) or an indicator's breakdown"
                )
            if not members:
                raise ValueError(f"cluster {label!r} lists no grade")
            for grade in members:
                if grade not in grades:
                    raise ValueError(
                        f"cluster {label!r}: {grade!r} is not a grade; expected one of "
                        f"{', '.join(grades)}"
                    )
                if grade in seen:
                    raise ValueError(
                        f"{grade!r} is in clusters {seen[grade]!r} and {label!r}; a grade may "
                        "be in one cluster at most"
                    )
                seen[grade] = label
        return clusters

    @field_validator("chapters")
    @classmethod
    def _unique(cls, chapters: list[ChapterSpec]) -> list[ChapterSpec]:
        names = [c.name for c in chapters]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"chapter names must be unique, got duplicates {duplicates}")
        return chapters

    @field_validator("non_adverse")
    @classmethod
    def _range(cls, value: tuple[float, float]) -> tuple[float, float]:
        if not 0 < value[0] < 1 < value[1]:
            raise ValueError(f"must be (lower, upper) with 0 < lower < 1 < upper, got {value}")
        return value

    @model_validator(mode="after")
    def _method_known(self) -> ReportConfig:
        for name, value, allowed in (
            ("interval_method", self.interval_method, RATIO_METHODS),
            ("difference_method", self.difference_method, DIFFERENCE_METHODS),
        ):
            if value not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
        return self

    @model_validator(mode="after")
    def _peers_for_organisations(self) -> ReportConfig:
        if self.peer_group and self.report != "organisation":
            raise ValueError("peer_group applies to organisation reports (report: organisation)")
        return self

    def default_output_dir(self) -> str:
        """Return ``output_dir`` or the default for this kind of report (with ``{year}``)."""
        if self.output_dir is not None:
            return self.output_dir
        folder = "national" if self.report == "national" else "organisations"
        return f"../outputs/{folder}/{{year}}"

    def chapter_params(self, chapter: ChapterSpec) -> dict[str, Any]:
        """The parameters set for ``chapter``: the report's ``params``, then the chapter's
        own (which win). Only values set in the file are returned, so a notebook declares just
        the parameters it uses."""
        return {
            **self.params.model_dump(exclude_unset=True),
            **chapter.params.model_dump(exclude_unset=True),
        }


def _describe(error: ValidationError, path: Path) -> str:
    lines = [f"{path}: {error.error_count()} problem(s) in the parameters file"]
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"]) or "(top level)"
        if item["type"] == "extra_forbidden":
            lines.append(f"  {key}: unknown key (check the spelling; see params/national.yaml)")
        else:
            lines.append(f"  {key}: {item['msg']} (got {item.get('input')!r})")
    return "\n".join(lines)


#: Largest parameters file read (the shipped ones are about 2 kB).
MAX_PARAMS_BYTES = 256 * 1024


def _refuse_aliases(text: str, path: Path) -> None:
    """Refuse YAML anchors and aliases before anything is constructed: a few lines of nested
    aliases ("billion laughs") expand to gigabytes, and parameters never need them."""
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
                kind = "an anchor" if isinstance(token, yaml.AnchorToken) else "an alias"
                line = token.start_mark.line + 1
                raise ParamsError(
                    f"{path}, line {line}: the parameters file uses {kind} "
                    f"({'&' if kind == 'an anchor' else '*'}{token.value}); YAML anchors and "
                    "aliases are not allowed in parameters files: write each value out"
                )
    except yaml.YAMLError as exc:
        raise ParamsError(f"{path}: not valid YAML: {exc}") from exc


def load_config(path: Path) -> ReportConfig:
    """Read and validate a parameters YAML file.

    Raises
    ------
    ParamsError
        When the file is missing, is not YAML, is not a mapping, or breaks the model; the
        message names the file and every offending key.
    """
    try:
        size = Path(path).stat().st_size
        if size > MAX_PARAMS_BYTES:
            raise ParamsError(
                f"{path}: the parameters file is {size:,} bytes; a parameters file is at most "
                f"{MAX_PARAMS_BYTES:,} bytes"
            )
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ParamsError(f"{path}: cannot read the parameters file ({exc.strerror})") from exc
    _refuse_aliases(text, Path(path))
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ParamsError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ParamsError(f"{path}: must be a YAML mapping of keys, got {type(raw).__name__}")
    try:
        return ReportConfig.model_validate(raw)
    except ValidationError as exc:
        raise ParamsError(_describe(exc, Path(path))) from exc


def notebook_parameters(
    *,
    inputs: str | None,
    year: int | None,
    scope: str,
    chapter: str,
    output_dir: str | None,
    data: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The parameters of one chapter run, as plain data: one entry per name in
    :data:`NOTEBOOK_PARAMETERS`, in that order, then the chapter's own (``extra``)."""
    values = {
        "inputs": None if inputs is None else str(inputs),
        "data": None if data is None else str(data),
        "year": None if year is None else int(year),
        "scope": str(scope),
        "name": str(chapter),
        "output_dir": None if output_dir is None else str(output_dir),
    }
    clash = set(extra or {}) & set(values)
    if clash:
        raise ValueError(f"chapter parameters may not redefine {sorted(clash)}")
    return {**{name: values[name] for name in NOTEBOOK_PARAMETERS}, **dict(extra or {})}


def injected_source(name: str, value: Any) -> str:
    """Return the line Papermill's Python translator injects for ``name = value``."""
    from papermill.translators import PythonTranslator

    return PythonTranslator.assign(name, PythonTranslator.translate(value))


def check_round_trip(parameters: Mapping[str, Any]) -> None:
    """Check that every injected parameter evaluates back to the same value.

    Raises
    ------
    ValueError
        Naming the parameter whose injected source is not the literal of its value (it would be
        code, not data).
    """
    for name, value in parameters.items():
        source = injected_source(name, value)
        try:
            tree = ast.parse(source, mode="exec")
            if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Assign):
                raise ValueError("not a single assignment")
            back = ast.literal_eval(tree.body[0].value)
        except (SyntaxError, ValueError) as exc:
            raise ValueError(
                f"parameter {name!r} would not be injected as a literal ({exc}): {source!r}"
            ) from exc
        if back != value or type(back) is not type(value):
            raise ValueError(
                f"parameter {name!r} changes when injected: {value!r} arrives as {back!r}"
            )
