"""The report parameters file: a typed, strict model of ``params/*.yaml``.

A report is declared, not scripted: the YAML names the year, the dataset, the ordered chapters
and the statistical and disclosure settings. Unknown keys are errors, so a typo cannot silently
fall back to a default.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from wres_analysis.contract import YEAR_RANGE

__all__ = ["BuildParams", "Chapter", "DisclosureRule", "ParamsError", "load_params"]

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class ParamsError(ValueError):
    """A parameters file that cannot be read or does not match the model (a usage error)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DisclosureRule(_Strict):
    """Statistical disclosure control for every output below national level.

    The default is NHS Digital's rule for sub-national counts: counts from ``min_count`` to
    ``max_count`` (1 to 7) are suppressed, every other count is rounded to the nearest
    ``round_to`` (5), and a suppressed cell shows ``symbol`` (``[c]``, as government statistics
    guidance asks).
    """

    min_count: int = Field(1, ge=0)
    max_count: int = Field(7, ge=0)
    round_to: int = Field(5, ge=1)
    symbol: str = "[c]"

    @model_validator(mode="after")
    def _ordered(self) -> DisclosureRule:
        if self.max_count < self.min_count:
            raise ValueError(
                f"max_count must be >= min_count, got min_count={self.min_count}, "
                f"max_count={self.max_count}"
            )
        return self


class Chapter(_Strict):
    """One chapter: a notebook under ``notebooks_dir`` and the title shown in navigation."""

    name: str
    notebook: str
    title: str

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


class BuildParams(_Strict):
    """The whole parameters file.

    Relative paths (``data``, ``notebooks_dir``, ``output_dir``) are resolved against the folder
    holding the parameters file; paths given on the command line are resolved against the
    current directory. ``output_dir`` may contain ``{year}``.
    """

    report: Literal["national", "organisation"]
    title: str
    year: int = Field(ge=YEAR_RANGE[0], le=YEAR_RANGE[1])
    data: str | None = None
    notebooks_dir: str = "../notebooks"
    chapters: list[Chapter] = Field(min_length=1)
    confidence: float = Field(0.95, gt=0, lt=1)
    interval_method: str = Field("miettinen-nurminen", min_length=1)
    disclosure: DisclosureRule = DisclosureRule()
    output_dir: str | None = None

    @field_validator("chapters")
    @classmethod
    def _unique(cls, chapters: list[Chapter]) -> list[Chapter]:
        names = [c.name for c in chapters]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"chapter names must be unique, got duplicates {duplicates}")
        return chapters

    def default_output_dir(self) -> str:
        """Return ``output_dir`` or the default for this kind of report (with ``{year}``)."""
        if self.output_dir is not None:
            return self.output_dir
        folder = "national" if self.report == "national" else "organisations"
        return f"../outputs/{folder}/{{year}}"


def _describe(error: ValidationError, path: Path) -> str:
    lines = [f"{path}: {error.error_count()} problem(s) in the parameters file"]
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"]) or "(top level)"
        if item["type"] == "extra_forbidden":
            lines.append(f"  {key}: unknown key (check the spelling; see params/national.yaml)")
        else:
            lines.append(f"  {key}: {item['msg']} (got {item.get('input')!r})")
    return "\n".join(lines)


def load_params(path: Path) -> BuildParams:
    """Read and validate a parameters YAML file.

    Parameters
    ----------
    path
        The YAML file.

    Returns
    -------
    BuildParams
        The validated parameters.

    Raises
    ------
    ParamsError
        When the file is missing, is not YAML, is not a mapping, or breaks the model; the
        message names the file and every offending key.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ParamsError(f"{path}: cannot read the parameters file ({exc.strerror})") from exc
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ParamsError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ParamsError(f"{path}: must be a YAML mapping of keys, got {type(raw).__name__}")
    try:
        return BuildParams.model_validate(raw)
    except ValidationError as exc:
        raise ParamsError(_describe(exc, Path(path))) from exc
