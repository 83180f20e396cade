"""Where things went wrong: source positions, problems as data, and the few exceptions we raise.

Problems are values, not exceptions, so that one broken note never stops the rest of the vault
from being read (the beancount way): every stage returns the problems it found beside its result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from netnotes.core.shown import visible

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True, slots=True)  # slots: one per interaction of a big vault
class Source:
    """A place in the vault: a path relative to the vault root (always with ``/``), 1-based line and
    column (0 when unknown), so that editors and ``grep`` can jump straight to it."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line and self.col:
            return f"{self.path}:{self.line}:{self.col}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path


@dataclass(frozen=True)
class Problem:
    """Something wrong in the vault, with where it is and how to fix it.

    ``code`` is a stable short name (``yaml-syntax``, ``bad-date`` …) for scripts and tests; the
    ``message`` and ``hint`` are for people.
    """

    source: Source
    severity: Severity
    code: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        """One line, with any control character from the note shown (netnotes.core.shown)."""
        text = f"{self.source}: {self.severity}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return visible(text, one_line=True)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.source.path, self.source.line, self.source.col, self.code, self.message)

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.source.path,
            "line": self.source.line,
            "col": self.source.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


def sorted_problems(problems: list[Problem] | tuple[Problem, ...]) -> list[Problem]:
    """Problems in the order people read them: by file, then line."""
    return sorted(problems, key=Problem.sort_key)


class NetnotesError(Exception):
    """An error that stops a command (as opposed to a Problem, which is reported and skipped).

    The CLI prints it on stderr without a traceback and exits 1.
    """


class VaultNotFound(NetnotesError):
    """No vault could be found from the given path, ``NETNOTES_VAULT`` or the current folder."""


class ConfigError(NetnotesError):
    """``netnotes.toml`` cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
