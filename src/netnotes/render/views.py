"""One contact, a list of contacts and the plan, as text or JSON: the small views beside the report
(``show``, ``list``, ``plan``), built from the same rows and templates.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from netnotes.analysis import (
    statuses,
)
from netnotes.core import (
    Vault,
)
from netnotes.render.charts import interaction_view
from netnotes.render.jsonout import dumps

if TYPE_CHECKING:
    from netnotes.analysis import Plan
from netnotes.render.report import JSON_VERSION, redacted, tidy
from netnotes.render.rows import contact_row, relationship_keys


def contact_detail(vault: Vault, contact_id: str, today: dt.date) -> dict[str, Any]:
    """Everything about one contact: the report row, every field (unknown ones too) and its
    history, newest first (the newest HISTORY_LISTED lines, and how many there are in all).  The
    view behind ``netnotes show``."""
    from netnotes.analysis import Index, assess

    c = vault.by_id[contact_id]
    s, rel = assess(c, vault.interactions_of(c.id), today, vault.config, Index(vault).ground(c))
    fields = {
        "aliases": list(c.aliases), "company": c.company, "role": c.role, "field": c.field,
        "location": c.location, "emails": list(c.emails), "phones": list(c.phones),
        "links": list(c.links), "tags": list(c.tags), "interests": list(c.interests),
        "agenda": c.agenda, "birthday": str(c.birthday) if c.birthday else None,
        "met": c.met.isoformat() if c.met else None, "met_via": c.met_how,
        "introduced_by": c.introduced_by, "knows": list(c.knows),
        "snooze_until": c.snooze_until.isoformat() if c.snooze_until else None,
        "cadence": (str(c.cadence) if c.cadence else "never") + (
            "" if c.cadence_from_note else f" (from tier {c.tier})"),
    }
    return contact_row(s, today) | relationship_keys(rel) | {
        "fields": {k: v for k, v in fields.items() if v not in (None, "", [])},
        "extra": {k: _plain(v) for k, v in c.extra.items()},
        "history": [interaction_view(i) for i in vault.newest_of(c.id)],
        "history_total": len(vault.interactions_of(c.id)),
        "problems": [p.to_dict() | {"text": str(p)} for p in vault.problems
                     if p.source.path == c.path],
    }


def _plain(value: Any) -> Any:
    """Unknown front-matter values as JSON-safe data (dates as ISO text)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def build_show(vault: Vault, contact_id: str, today: dt.date, fmt: str = "text", *,
               colour: bool = False, redact: bool = False) -> str:
    data = contact_detail(vault, contact_id, today)
    if redact:
        data = redacted(vault, data)
    if fmt == "json":
        return dumps(data, end="\n")
    from netnotes.render.environment import render

    return tidy(render("contact.txt.j2", {"c": data, "today": today.isoformat()},
                       vault_root=vault.root, colour=colour))


def list_contacts(vault: Vault, *, tier: str | None = None, tag: str | None = None,
                  field: str | None = None) -> list[str]:
    """Ids of contacts matching every filter given (case- and accent-insensitive)."""
    from netnotes.core import fold

    out = []
    for c in vault.contacts:
        if tier and c.tier != tier:
            continue
        if tag and fold(tag.lstrip("#")) not in {fold(t) for t in c.tags}:
            continue
        if field and fold(field) != fold(c.field):
            continue
        out.append(c.id)
    return out


LIST_FIXED = 22 + 1 + 22 + 1 + 9 + 1 + 10 + 1  # the columns before the company in `list`


def build_list(vault: Vault, ids: list[str], today: dt.date, fmt: str = "text", *,
               colour: bool = False, width: int | None = None) -> str:
    """``netnotes list``: one contact a line.  ``width`` is the terminal's: the company gets
    what is left of it (12 columns at least); without one (a pipe, a file) the line fits 80
    columns, the same on every machine."""
    sts = {s.contact.id: s for s in statuses(vault, today)}
    rows = [contact_row(sts[i], today) for i in ids]
    if fmt == "json":
        return dumps(rows, end="\n")
    from netnotes.render.environment import render

    company = max(12, (width or 80) - LIST_FIXED - 1)
    return tidy(render("list.txt.j2", {"rows": rows, "today": today.isoformat(),
                                       "company_width": company},
                       vault_root=vault.root, colour=colour))


def vault_plan(vault: Vault, today: dt.date, *, per_week: int | None = None,
               weeks: int | None = None) -> Plan:
    """The plan of ``vault`` from ``today`` (plan.make_plan over every contact's Facts): what
    ``netnotes plan`` prints and ``export ics`` adds as events."""
    from netnotes.analysis import make_plan, vault_facts

    return make_plan(vault_facts(vault, today), vault.config, today, per_week=per_week,
                     weeks=weeks)


def build_plan(vault: Vault, today: dt.date, fmt: str = "text", *, per_week: int | None = None,
               weeks: int | None = None, colour: bool = False) -> str:
    """``netnotes plan``: the plan as text, Markdown or JSON (the report's ``plan`` key)."""
    from netnotes.analysis import plan_data

    data = plan_data(vault_plan(vault, today, per_week=per_week, weeks=weeks))
    if fmt == "json":
        return dumps({"netnotes_plan": JSON_VERSION, "today": today.isoformat()} | data,
                     end="\n")
    from netnotes.render.environment import render

    name = "plan.md.j2" if fmt == "markdown" else "plan.txt.j2"
    return tidy(render(name, {"plan": data, "today": today.isoformat()}, vault_root=vault.root,
                       colour=colour))
