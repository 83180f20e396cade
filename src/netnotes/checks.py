"""`netnotes check`: every problem of a vault, the ones only the whole vault can show included.

Each stage already returns the problems of one file (parse, fields, links); what needs the whole
vault or the date lives here: two notes claiming one email or one name, and dates that cannot be
in the future.  ``check_vault`` is pure (a Vault and a date in, problems out), so it is as easy to
test as the analysis; ``check`` adds the one bit of I/O, loading the vault, and turns a broken
``netnotes.toml`` into problems instead of an exception.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from netnotes.config import CONFIG_NAME
from netnotes.errors import ConfigError, Problem, Severity, Source, sorted_problems
from netnotes.jsonout import dumps
from netnotes.model import Contact, Vault
from netnotes.names import fold


def check_vault(vault: Vault, today: dt.date) -> list[Problem]:
    """Every problem of ``vault`` on ``today``, sorted by path, line and column."""
    return sorted_problems([*vault.problems, *_claimed_twice(vault.contacts),
                            *_future_dates(vault.contacts, today)])


def _at(contact: Contact, *keys: str) -> Source:
    """The line of the first of ``keys`` the note has (``emails``, else its ``email``)."""
    line = next((contact.key_lines[k] for k in keys if k in contact.key_lines), 1)
    return Source(contact.path, line)


# what a note claims -> (severity, code, keys where it is written, hint)
_CLAIMS: dict[str, tuple[Severity, str, tuple[str, ...], str]] = {
    "email": ("error", "duplicate-email", ("emails", "email"),
              "if it is the same person, merge the two notes; otherwise fix the address"),
    "name": ("warning", "duplicate-name", ("name", "first_name"),
             "merge the notes if it is one person, else add a middle name or initial"),
}


def _claimed_twice(contacts: tuple[Contact, ...]) -> list[Problem]:
    """Two notes with one email are almost always one person written down twice (an import next
    to a hand-made note): an error, because every count would show them twice.  Two notes with
    one name may be namesakes: a warning, because links and ``show`` by that name are ambiguous."""
    problems: list[Problem] = []
    owners: dict[tuple[str, str], Contact] = {}
    for c in sorted(contacts, key=lambda c: c.path):
        claims = [("email", e, e.strip().removeprefix("mailto:").casefold()) for e in c.emails]
        claims.append(("name", repr(c.name), fold(c.name)))
        for what, shown, key in claims:
            owner = owners.setdefault((what, key), c)
            if key and owner is not c:
                severity, code, keys, hint = _CLAIMS[what]
                problems.append(Problem(_at(c, *keys), severity, code,
                                        f"{what} {shown} is also "
                                        f"{'in' if what == 'email' else 'used by'} {owner.path}",
                                        hint))
    return problems


def _future_dates(contacts: tuple[Contact, ...], today: dt.date) -> list[Problem]:
    """``met`` and a birthday's year describe the past; after ``today`` they are typos."""
    problems: list[Problem] = []
    for c in contacts:
        if c.met is not None and c.met > today:
            problems.append(Problem(_at(c, "met"), "error", "future-date",
                                    f"met: {c.met.isoformat()} is after today "
                                    f"({today.isoformat()})", "fix the year"))
        b = c.birthday
        if b is not None and b.year is not None and dt.date(b.year, b.month, b.day) > today:
            problems.append(Problem(_at(c, "birthday"), "error", "future-date",
                                    f"birthday: {b} is after today ({today.isoformat()})",
                                    "fix the year, or write --MM-DD when it is unknown"))
    return problems


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
        def count(n: int, word: str) -> str:
            return f"{n} {word}{'s' if n != 1 else ''}"

        return (f"{count(self.errors, 'error')}, {count(self.warnings, 'warning')} "
                f"in {count(self.notes, 'note')}")

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


def check(root: str | os.PathLike[str], today: dt.date) -> CheckResult:
    """Load the vault at ``root`` and check it.  A ``netnotes.toml`` that cannot be parsed is
    reported like any other problem (the notes cannot be read without it)."""
    from netnotes.index import load_vault

    try:
        vault = load_vault(Path(root))
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
