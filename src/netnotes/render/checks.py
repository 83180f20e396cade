"""``netnotes check``: load a vault, collect every problem, and say it as text or JSON.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from netnotes.analysis import check_vault
from netnotes.core import (
    CONFIG_NAME,
    ConfigError,
    Problem,
    Source,
    Vault,
    counted,
    sorted_problems,
)
from netnotes.render.jsonout import dumps


@dataclass(frozen=True)
class CheckResult:
    """What ``netnotes check`` prints: the problems and how many notes were read."""

    problems: tuple[Problem, ...]
    notes: int

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    def exit_code(self, strict: bool = False) -> int:
        """0 when clean enough, 1 with errors (with ``strict``, warnings count as errors)."""
        return 1 if self.errors or (strict and self.warnings) else 0

    def summary(self) -> str:
        return (f"{counted(self.errors, 'error')}, {counted(self.warnings, 'warning')} "
                f"in {counted(self.notes, 'note')}")

    def text(self) -> str:
        return "".join(f"{p}\n" for p in self.problems) + self.summary() + "\n"

    def json(self) -> str:
        data = {
            "netnotes_check": 1,
            "notes": self.notes,
            "errors": self.errors,
            "warnings": self.warnings,
            "problems": [p.to_dict() | {"text": str(p)} for p in self.problems],
        }
        return dumps(data, end="\n")


def check(load: Callable[[], Vault], today: dt.date) -> CheckResult:
    """Load the vault (``load``: the store's Session.vault, or load_vault of a folder) and check
    it.  A ``netnotes.toml`` that cannot be parsed is reported like any other problem (the notes
    cannot be read without it)."""
    try:
        vault = load()
    except ConfigError as exc:
        return CheckResult(tuple(sorted_problems(exc.problems)), 0)
    problems = check_vault(vault, today)
    people = vault.config.people_dir
    if not (vault.root / people).is_dir():  # a typo in [vault] people = "…" reads nothing
        problems.append(Problem(Source(CONFIG_NAME), "warning", "no-people-folder",
                                   f"there is no folder {people}/ in the vault, so there are "
                                   "no contacts", f"create {people}/, or set [vault] people "
                                   "in netnotes.toml"))
    return CheckResult(tuple(sorted_problems(problems)), vault.notes_read)
