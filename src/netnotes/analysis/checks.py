"""`netnotes check`: every problem of a vault, the ones only the whole vault can show included.

Each stage already returns the problems of one file (parse, fields, links); what needs the whole
vault or the date lives here: two notes claiming one email or one name, and dates that cannot be
in the future.  ``check_vault`` is pure (a Vault and a date in, problems out), so it is as easy to
test as the analysis; ``check`` adds the one bit of I/O, loading the vault, and turns a broken
``netnotes.toml`` into problems instead of an exception.
"""

from __future__ import annotations

import datetime as dt

from netnotes.core import (
    Contact,
    Problem,
    Severity,
    Source,
    Vault,
    fold,
    sorted_problems,
)


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


