"""`netnotes check`: every problem of a vault, the ones only the whole vault can show included.

Each stage already returns the problems of one file (parse, fields, links); what needs the whole
vault or the date lives here: two notes claiming one email or one name, and dates that cannot be
in the future.  ``check_vault`` is pure (a Vault and a date in, problems out), so it is as easy to
test as the analysis; ``check`` adds the one bit of I/O, loading the vault, and turns a broken
``netnotes.toml`` into problems instead of an exception.
"""

from __future__ import annotations

import datetime as dt
import re

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
                            *_future_dates(vault.contacts, today), *_far_future(vault, today)])


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
    "file name": ("warning", "duplicate-name", (),
                  "merge the notes if it is one person, else rename one of the files"),
}


def same_name(text: str) -> str:
    """What two spellings of one name have in common: no case, accents, spaces or punctuation
    ("Zoë  Marchetti", "zoe-marchetti", "ZoeMarchetti" → "zoemarchetti")."""
    return re.sub(r"[\W_]+", "", fold(text))


def _file_name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _claimed_twice(contacts: tuple[Contact, ...]) -> list[Problem]:
    """Two notes with one email are almost always one person written down twice (an import next
    to a hand-made note): an error, because every count would show them twice.  Two notes with
    one name may be namesakes: a warning, because links and ``show`` by that name are ambiguous."""
    problems: list[Problem] = []
    owners: dict[tuple[str, str], Contact] = {}
    told: set[tuple[str, str, str]] = set()  # (severity, path, other path): said once a pair
    for c in sorted(contacts, key=lambda c: c.path):
        claims = [("email", e, e.strip().removeprefix("mailto:").casefold()) for e in c.emails]
        claims.append(("name", repr(c.name), same_name(c.name)))
        stem = _file_name(c.path).rsplit(".", 1)[0]
        claims.append(("file name", repr(_file_name(c.path)), same_name(stem)))
        for what, shown, key in claims:
            owner = owners.setdefault((what, key), c)
            if key and owner is not c:
                severity, code, keys, hint = _CLAIMS[what]
                if (severity, c.path, owner.path) in told:
                    continue
                told.add((severity, c.path, owner.path))
                problems.append(Problem(_at(c, *keys), severity, code,
                                        _claim_words(what, shown, c, owner), hint))
    return problems


def _claim_words(what: str, shown: str, c: Contact, owner: Contact) -> str:
    """What two notes both claim, naming the other file."""
    if what == "email":
        return f"email {shown} is also in {owner.path}"
    if what == "name" and fold(c.name) == fold(owner.name):
        return f"name {shown} is also used by {owner.path}"
    theirs = owner.name if what == "name" else _file_name(owner.path)
    return (f"{what} {shown} differs only by case, spacing or accents from {theirs!r} "
            f"({owner.path}): one person twice?")


def _far_future(vault: Vault, today: dt.date) -> list[Problem]:
    """Log lines dated after the plan's last week: a plan that far ahead is rare, a year typed
    wrong (2036 for 2026) is not, and such a line would sit unseen as a "plan" for years."""
    from netnotes.analysis.plan import first_week

    end = first_week(today) + dt.timedelta(weeks=vault.config.plan_weeks)
    problems: list[Problem] = []
    seen: set[tuple[str, int]] = set()
    for i in reversed(vault.interactions):  # in date order: the far ones are at the end
        if i.date < end:
            break
        if (i.path, i.line) in seen:
            continue
        seen.add((i.path, i.line))
        problems.append(Problem(i.source, "warning", "far-future",
                                f"log line dated {i.date.isoformat()}, after the plan's "
                                f"{vault.config.plan_weeks} weeks (until "
                                f"{(end - dt.timedelta(days=1)).isoformat()}): a typo in the date?",
                                "fix the date if it is wrong; a real plan this far ahead can "
                                "stay (it counts once its day has come)"))
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


