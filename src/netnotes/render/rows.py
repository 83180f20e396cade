"""One contact's row in the report: the plain data the JSON shape and every template show of a
contact (``contact_row``, with its relationship from strength.py), and the Unit of a report, its
row with its Facts (``contact_unit``).  A bounded HTML report makes the whole row only of the
people it shows (``LazyRow``).  Apart from report.py, which joins the units into the report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from netnotes.analysis import Facts, Status, assess, facts_of, one_line, relationship_data
from netnotes.core import Config, Contact, Interaction, Vault, humanize_days
from netnotes.render.charts import interaction_view
from netnotes.render.fragments import Kept

if TYPE_CHECKING:
    from netnotes.analysis import Ground, Relationship


_cadence_text = lru_cache(maxsize=256)(str)  # a vault has a handful of cadences, shared by many


def contact_row(s: Status, today: dt.date) -> dict[str, Any]:
    """One contact as the report shows it (and as ``--format json`` prints it).  Made for every
    contact of the vault, so the days since the last contact are worked out once."""
    c = s.contact
    last = s.last
    days = (today - last.date).days if last else None
    late = s.overdue
    return {
        "id": c.id,
        "name": c.name,
        "path": c.path,
        "tier": c.tier,
        "cadence": _cadence_text(c.cadence) if c.cadence else None,
        "company": c.company,
        "role": c.role,
        "field": c.field,
        "last_contact": interaction_view(last),
        "days_since_contact": days,
        "since": humanize_days(days) if days is not None else None,
        "next_plan": interaction_view(s.next_plan),
        "due": s.due.isoformat() if s.due else None,
        "days_overdue": s.days_overdue if late else None,
        "overdue_for": (("never contacted" if s.overdue_ratio == float("inf") else
                         humanize_days(s.days_overdue or 0)) if late else None),
        "snoozed_until": c.snooze_until.isoformat() if s.snoozed and c.snooze_until else None,
        "interactions_12m": s.count_12m,
        "gave_12m": s.gave_12m,
        "got_12m": s.got_12m,
        "turn": s.turn,
        "reason": s.reason,
        "reasons": [{"kind": kind, "text": text} for kind, text, _ in s.reasons],
        "birthday_next": s.birthday_next.isoformat() if s.birthday_next else None,
        "summary": one_line(s, today),
    }


# The keys of a contact row, in the order a row has them (contact_row, then relationship_keys):
# what ``--fields`` may name (docs/json.md).
ROW_FIELDS = ("id", "name", "path", "tier", "cadence", "company", "role", "field",
              "last_contact", "days_since_contact", "since", "next_plan", "due", "days_overdue",
              "overdue_for", "snoozed_until", "interactions_12m", "gave_12m", "got_12m", "turn",
              "reason", "reasons", "birthday_next", "summary", "strength", "trend",
              "relationship")


def relationship_keys(r: Relationship) -> dict[str, Any]:
    """What strength.py adds to a contact row: the score and trend up front for tables, the
    whole explanation under ``relationship`` (docs/analysis.md)."""
    return {"strength": r.strength.score, "trend": r.trend.label,
            "relationship": relationship_data(r)}


class Unit(NamedTuple):
    """One contact of a report: its row (the JSON shape) and its Facts (what the vault-wide
    figures need).  The report is made of these and of the Parts below, and nothing else.  The
    row is a Kept placeholder when only its renderings are kept (report_inputs), or a LazyRow
    made whole on demand (a bounded HTML report)."""

    row: dict[str, Any] | Kept | LazyRow
    facts: Facts


def contact_unit(c: Contact, history: Sequence[Interaction], today: dt.date, config: Config,
                 ground: Ground, *, explained: bool = True) -> Unit:
    """One contact, from its history and ground only (strength.assess).  ``explained=False``
    leaves the row's ``relationship`` out (None), for a row only our text and Markdown row
    macros will read (report_inputs): writing it out as plain data was a fifth of the work
    of a contact.  Its names are bound when this module is imported: a lookup through the
    package's first-use ``__getattr__`` here, twice per contact, cost 0.05 s a report of
    10,000."""
    s, r = assess(c, history, today, config, ground)
    keys = relationship_keys(r) if explained else \
        {"strength": r.strength.score, "trend": r.trend.label, "relationship": None}
    return Unit(contact_row(s, today) | keys, facts_of(s, r.strength.score, r.trend.label))


class LazyRow(Mapping[str, Any]):
    """A contact's row in a report that shows few of its rows (an HTML report listing at most
    ``per_section`` people a section): what the charts read of every contact at hand, the
    whole row (contact_unit's, the same one) made only when a template or chart asks for more.

    The whole rows of 10,000 contacts took about 100 MB, and working out their explanations
    was a fifth of each contact's work, for a page that shows a few hundred of them."""

    __slots__ = ("_few", "_make", "_row")
    _row: dict[str, Any] | None

    def __init__(self, few: dict[str, Any], make: Callable[[], dict[str, Any]]):
        self._few, self._make, self._row = few, make, None

    def whole(self) -> dict[str, Any]:
        if self._row is None:
            self._row = self._make()
        return self._row

    def __getitem__(self, key: str) -> Any:
        few = self._few
        return few[key] if key in few else self.whole()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.whole())

    def __len__(self) -> int:
        return len(self.whole())


def lazy_unit(c: Contact, vault: Vault, today: dt.date, ground: Ground) -> Unit:
    """``contact_unit`` with a LazyRow: its Facts now, its whole row on demand."""
    config = vault.config
    s, r = assess(c, vault.interactions_of(c.id), today, config, ground)
    few = {"id": c.id, "name": c.name, "tier": c.tier, "interactions_12m": s.count_12m,
           "gave_12m": s.gave_12m, "got_12m": s.got_12m, "strength": r.strength.score,
           "days_overdue": s.days_overdue if s.overdue else None}  # as contact_row has them
    def whole() -> dict[str, Any]:
        row = contact_unit(c, vault.interactions_of(c.id), today, config, ground).row
        return cast(dict[str, Any], row)  # contact_unit makes a whole row, never a Kept

    return Unit(LazyRow(few, whole), facts_of(s, r.strength.score, r.trend.label))
