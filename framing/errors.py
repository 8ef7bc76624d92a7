"""Exceptions of the framing package: the only place they are defined."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CorpusError", "FramingError", "LexiconError", "Problem"]


class FramingError(Exception):
    """Base class of every error that framing raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, located as precisely as we can."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class LexiconError(FramingError):
    """A lexicon could not be loaded; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in lexicon files:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


class CorpusError(FramingError):
    """A corpus could not be read (missing file, missing columns, unknown format)."""
