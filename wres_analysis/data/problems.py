"""Validation problems: what is wrong, where (file, row, column), and what was expected."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["DataValidationError", "Problem", "ProblemLog"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input.

    ``row`` counts as a spreadsheet user does (the header is row 1, the first record row 2);
    it is None for problems with a whole file, table or column.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


class ProblemLog:
    """Collects problems in one pass, listing at most ``max_rows_per_check`` rows of any one
    check and ``max_problems`` in all, while counting everything it did not list."""

    def __init__(self, max_problems: int = 200, max_rows_per_check: int = 10) -> None:
        if max_problems < 1:
            raise ValueError(f"max_problems must be at least 1, got {max_problems!r}")
        self.max_problems = max_problems
        self.max_rows_per_check = max_rows_per_check
        self.problems: list[Problem] = []
        self.unlisted = 0
        #: Findings that do not stop the load (an encoding fallback, an ignored file).
        self.notes: list[Problem] = []

    def note(self, file: str, message: str, column: str | None = None) -> None:
        """Record a finding that the data-quality chapter shows but that is not an error."""
        self.notes.append(Problem(file=file, message=message, column=column))

    def add(
        self, file: str, message: str, row: int | None = None, column: str | None = None
    ) -> None:
        """Record one problem (counted but not listed once the cap is reached)."""
        if len(self.problems) < self.max_problems:
            self.problems.append(Problem(file=file, message=message, row=row, column=column))
        else:
            self.unlisted += 1

    def add_rows(
        self, file: str, column: str | None, rows: Sequence[int], messages: Iterable[str]
    ) -> None:
        """Record the same kind of problem on many rows, listing the first few."""
        listed = 0
        for row, message in zip(rows, messages, strict=False):
            if listed == self.max_rows_per_check:
                break
            self.add(file, message, row=int(row), column=column)
            listed += 1
        rest = len(rows) - listed
        if rest > 0:
            self.add(file, f"... and {rest:,} more rows with the same problem", column=column)

    @property
    def total(self) -> int:
        return len(self.problems) + self.unlisted

    def __bool__(self) -> bool:
        return self.total > 0

    def report(self) -> str:
        """Every listed problem on its own line, then a count of any not listed."""
        lines = [f"- {p}" for p in self.problems]
        if self.unlisted:
            lines.append(
                f"- ... and {self.unlisted:,} more problems (raise --max-problems to see them)"
            )
        return "\n".join(lines)


class DataValidationError(ValueError):
    """The dataset breaks the data contract; ``problems`` lists where and how."""

    def __init__(self, source: str, log: ProblemLog) -> None:
        self.source = source
        self.problems: list[Problem] = list(log.problems)
        self.total = log.total
        noun = "problem" if log.total == 1 else "problems"
        super().__init__(
            f"{source} does not meet the WRES data contract ({log.total:,} {noun}):\n{log.report()}"
        )
