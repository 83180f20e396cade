"""A note as read, before any field is checked: its front matter's values with the line and column
of every key (KeySpan), its body, and its problems; and numbers kept as they were written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from netnotes.core import Problem, Source

if TYPE_CHECKING:
    pass


# The values a plain (unquoted) scalar can resolve to.  The fast path below reads plain values with
# the same patterns, so both ways of reading a note agree by construction.
YAML_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


YAML_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")


YAML_FLOAT = re.compile(
    r"^[-+]?(?:[0-9]+\.[0-9]+(?:[eE][-+]?[0-9]+)?|\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN)$")


YAML_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")


def number_as_written(value: str, kind: type) -> Any:
    """A plain number stays a number only when writing it back gives the same text: ``42`` and
    ``1.5`` are numbers, but ``+4915112345678`` (a phone), ``1.10`` (a version) and ``.inf`` stay
    the text the user typed, so no field ever shows something they did not write."""
    try:
        number = kind(value)
    except ValueError:
        return value
    return number if repr(number) == value else value


@dataclass(frozen=True)
class KeySpan:
    """Where a top-level front-matter key and its value sit in the file (1-based lines and
    columns; ``end_line`` is the last line the value occupies)."""

    line: int
    col: int
    end_line: int
    value_line: int = 0  # where the value starts (0: unknown), for messages about the value
    value_col: int = 0


@dataclass
class RawNote:
    """A note split and loaded, before any field is interpreted."""

    path: str
    meta: dict[str, Any] = field(default_factory=dict)
    keys: dict[str, KeySpan] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1  # file line on which the body starts
    has_front_matter: bool = False
    front_matter_ok: bool = False
    bom: bool = False
    crlf: bool = False
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, key: str) -> int:
        span = self.keys.get(key)
        return span.line if span else (1 if self.has_front_matter else 0)

    def source(self, key: str | None = None) -> Source:
        if key is None:
            return Source(self.path, 1)
        span = self.keys.get(key)
        return Source(self.path, span.line, span.col) if span else Source(self.path, 1)

    def error(self, line: int, code: str, message: str, hint: str = "", col: int = 0) -> None:
        self.problems.append(Problem(Source(self.path, line, col), "error", code, message, hint))

    def warn(self, line: int, code: str, message: str, hint: str = "", col: int = 0) -> None:
        self.problems.append(Problem(Source(self.path, line, col), "warning", code, message, hint))
