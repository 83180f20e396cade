"""The vault out, in the formats other tools read: vCard 4.0, iCalendar, CSV and JSON.

Every export is a pure function of (vault, today, options) → text, so the same vault and
``--today`` give the same bytes.  The figures (last contact, due date, strength) come from the
analysis, as the report computes them.  ``redact`` turns names into initials and leaves out every
email, phone, address, link, birthday, free text and log text: what remains is the figures.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from netnotes.analysis import Index, Relationship, Status, assess
from netnotes.core import RECORD_KINDS, Contact, NetnotesError, Vault, json_safe, unlink, visible
from netnotes.interop.vcard import CardData, card_uid, write_vcards
from netnotes.render import initials, pseudonym, redact_contact

PRODID = "-//netnotes//netnotes export//EN"
# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = ("id", "name", "tier", "cadence", "company", "role", "field", "location", "emails",
               "phones", "links", "aliases", "tags", "interests", "birthday", "met",
               "snooze_until", "last_contact", "due", "days_overdue", "overdue", "strength",
               "trend", "interactions_12m", "path")
LIST_SEP = "; "


@dataclass(frozen=True)
class Row:
    """One contact with the figures the report shows for it."""

    contact: Contact
    status: Status
    relationship: Relationship


def select(vault: Vault, who: Sequence[str] = ()) -> list[Contact]:
    """The contacts ``who`` names (ids, names, unique prefixes), or everyone; in id order."""
    if not who:
        return sorted(vault.contacts, key=lambda c: c.id)
    out: dict[str, Contact] = {}
    for query in who:
        found = vault.find(query)
        if not found:
            raise NetnotesError(f"no contact matches {query!r} — try `netnotes list`")
        if len(found) > 1:
            names = ", ".join(c.id for c in found[:10])
            raise NetnotesError(f"{query!r} matches {len(found)} contacts ({names}); say which")
        out[found[0].id] = found[0]
    return sorted(out.values(), key=lambda c: c.id)


def rows(vault: Vault, today: dt.date, contacts: Iterable[Contact] | None = None) -> list[Row]:
    """Each contact with its status and relationship on ``today``."""
    index = Index(vault)
    out = []
    for c in contacts if contacts is not None else select(vault):
        s, rel = assess(c, vault.interactions_of(c.id), today, vault.config, index.ground(c))
        out.append(Row(c, s, rel))
    return out


def _birthday_text(c: Contact) -> str:
    value = c.extra.get("birthday_text")
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""


# ---------------------------------------------------------------------------------------------
# vCard


def export_vcard(vault: Vault, who: Sequence[str] = (), *, redact: bool = False) -> str:
    """vCard 4.0 of the contacts ``who`` names (everyone when empty), one card each, in id
    order.  Importing it into an empty vault and exporting again gives the same cards."""
    cards = []
    for c in select(vault, who):
        if redact:
            c = redact_contact(c)
        cards.append(CardData(
            uid=card_uid(c.id), name=c.name, aliases=c.aliases, company=c.company, role=c.role,
            emails=c.emails, phones=c.phones, links=c.links, tags=c.tags, location=c.location,
            birthday=str(c.birthday) if c.birthday else "",
            birthday_text="" if redact else _birthday_text(c)))
    return write_vcards(cards)


# ---------------------------------------------------------------------------------------------
# iCalendar


def export_ics(vault: Vault, today: dt.date, *, redact: bool = False,
               plan: Iterable[tuple[dt.date, str, str]] = ()) -> str:
    """An iCalendar of all-day events: when to reach out to each contact, yearly birthdays, and
    the log lines dated after ``today`` (plans).  UIDs depend only on the contact and what the
    event is, so a calendar subscribed to the file updates its events instead of adding new ones.

    ``plan`` gives (date, contact id, text), e.g. from ``netnotes plan``.  Each person's next
    contact is one event, never two: a log line planned after today is it (no reminder to reach
    out to someone you are already seeing), else their day in ``plan``, else their due date."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "netnotes")
    stamp = dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC)
    names = {c.id: (initials(c.name) if redact else c.name) for c in vault.contacts}
    uid = pseudonym if redact else str  # an id is made from a name: redacted, a pseudonym

    def event(uid: str, day: dt.date, summary: str, description: str = "",
              yearly: bool = False) -> None:
        ev = Event()
        ev.add("uid", uid)
        ev.add("dtstamp", stamp)
        ev.add("dtstart", day)
        ev.add("dtend", day + dt.timedelta(days=1))
        ev.add("summary", summary)
        if description:
            ev.add("description", description)
        ev.add("transp", "TRANSPARENT")
        if yearly:
            ev.add("rrule", {"freq": "yearly"})
        cal.add_component(ev)

    in_plan = {cid: (day, text) for day, cid, text in plan}
    for row in rows(vault, today):
        c, s = row.contact, row.status
        name = names[c.id]
        if s.next_plan is not None:
            pass  # the planned log line below is their next contact
        elif c.id in in_plan:
            day, text = in_plan[c.id]
            event(f"plan-{uid(c.id)}-{day.isoformat()}@netnotes", day, f"Reach out to {name}",
                  "" if redact else text)
        elif s.due is not None:
            day = max(s.due, today)
            if s.snoozed and c.snooze_until is not None:
                day = max(day, c.snooze_until)
            why = s.reason if not redact else ""
            late = f"overdue since {s.due.isoformat()}" if s.due < today else ""
            event(f"due-{uid(c.id)}@netnotes", day, f"Reach out to {name}",
                  "; ".join(x for x in (late, why) if x))
        if c.birthday is not None and not redact:
            first = c.birthday.next_on_or_after(today)
            if c.birthday.year is not None and c.birthday.year >= 1900:
                try:
                    first = dt.date(c.birthday.year, c.birthday.month, c.birthday.day)
                except ValueError:
                    pass
            event(f"birthday-{uid(c.id)}@netnotes", first, f"{name}'s birthday", yearly=True)
    for it in vault.interactions:
        if it.date <= today or it.kind in RECORD_KINDS:
            continue
        who = [names[p] for p in it.people if p in names]
        text = "planned" if redact else unlink(it.text)
        digest = hashlib.sha1(f"{it.path}\0{it.text}".encode()).hexdigest()[:12]
        event(f"planned-{it.date.isoformat()}-{digest}@netnotes", it.date,
              f"{text} — {', '.join(who)}" if who else text)
    return cal.to_ical().decode("utf-8")


# ---------------------------------------------------------------------------------------------
# CSV and JSON


def _record(row: Row, redact: bool) -> dict[str, Any]:
    c = redact_contact(row.contact) if redact else row.contact
    s, rel = row.status, row.relationship
    return {
        "id": c.id, "name": c.name, "tier": c.tier,
        "cadence": str(c.cadence) if c.cadence else None,
        "company": c.company, "role": c.role, "field": c.field, "location": c.location,
        "emails": list(c.emails), "phones": list(c.phones), "links": list(c.links),
        "aliases": list(c.aliases), "tags": list(c.tags), "interests": list(c.interests),
        "birthday": str(c.birthday) if c.birthday else None,
        "met": c.met.isoformat() if c.met else None,
        "snooze_until": c.snooze_until.isoformat() if c.snooze_until else None,
        "last_contact": s.last.date.isoformat() if s.last else None,
        "due": s.due.isoformat() if s.due else None,
        "days_overdue": s.days_overdue if s.overdue else None,
        "overdue": s.overdue,
        "strength": rel.strength.score,
        "trend": rel.trend.label,
        "interactions_12m": s.count_12m,
        "path": c.path,
    }


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: one starting with ``=``, ``+``, ``-``, ``@``, a tab
    or a carriage return gets a leading ``'`` (which spreadsheets hide), so that a name like
    ``=HYPERLINK(…)`` from someone's export is never run on opening the file."""
    return "'" + value if value.startswith(FORMULA_START) else value


def export_csv(vault: Vault, today: dt.date, *, redact: bool = False) -> str:
    """One row per contact (id order) with its fields and figures; lists joined with ``; ``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows(vault, today):
        rec = _record(row, redact)
        cells = []
        for key in CSV_COLUMNS:
            value = rec[key]
            if isinstance(value, list):
                value = LIST_SEP.join(value)
            elif isinstance(value, bool):
                value = "yes" if value else "no"
            cells.append(safe_cell("" if value is None else str(value)))
        writer.writerow(cells)
    return out.getvalue()


JSON_VERSION = 1


def export_json(vault: Vault, today: dt.date, *, redact: bool = False) -> str:
    """Every contact with its fields and figures (see docs/import-export.md for each key)."""
    data = {"netnotes_export": JSON_VERSION, "today": today.isoformat(), "redacted": redact,
            "contacts": [_record(r, redact) for r in rows(vault, today)]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------
# On a terminal


def on_terminal(text: str, fmt: str) -> str:
    """An export as a terminal may be sent it: every control character that came from a note
    (an escape sequence in a company, a right-to-left override in a role) shown as the report
    shows it (``visible``; JSON by its own rules, ``json_safe``), so that a note never drives
    the terminal.  The format's own CRLF line ends stay.  Only for a terminal: into a file or
    a pipe the export is the exact bytes of the standard format."""
    if fmt == "json":
        return json_safe(text)
    return "\r\n".join(visible(line) for line in text.split("\r\n"))
