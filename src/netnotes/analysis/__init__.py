"""Pure analysis, (Vault, today) in and results out — status, strength, reciprocity, network,
introductions, figures — with no I/O and no clock; it imports core only.

Public names (what other packages import from here; each is loaded on first use,
so importing the package stays cheap):

- checks: check_vault
- figures: Brief, RECENT_INTRODUCTIONS, network_data
- network: network_shape, shape_data
- overview: contact_status, due_soon, network_summary, overdue, statuses, vault_facts
- plan: Plan, make_plan, plan_data, plan_events
- status: Facts, IntroMade, Status, Totals, due_soon_of, facts_of, is_due_soon, last_year,
  note_totals, one_line, overdue_of, sum_totals, summary_of, totals_of, unlinked
- strength: Ground, Index, Relationship, assess, relationship_data
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netnotes.core.lazy import lazy_attributes

if TYPE_CHECKING:
    from netnotes.analysis.checks import check_vault as check_vault
    from netnotes.analysis.figures import RECENT_INTRODUCTIONS as RECENT_INTRODUCTIONS
    from netnotes.analysis.figures import Brief as Brief
    from netnotes.analysis.figures import network_data as network_data
    from netnotes.analysis.network import network_shape as network_shape
    from netnotes.analysis.network import shape_data as shape_data
    from netnotes.analysis.overview import contact_status as contact_status
    from netnotes.analysis.overview import due_soon as due_soon
    from netnotes.analysis.overview import network_summary as network_summary
    from netnotes.analysis.overview import overdue as overdue
    from netnotes.analysis.overview import statuses as statuses
    from netnotes.analysis.overview import vault_facts as vault_facts
    from netnotes.analysis.plan import Plan as Plan
    from netnotes.analysis.plan import make_plan as make_plan
    from netnotes.analysis.plan import plan_data as plan_data
    from netnotes.analysis.plan import plan_events as plan_events
    from netnotes.analysis.status import Facts as Facts
    from netnotes.analysis.status import IntroMade as IntroMade
    from netnotes.analysis.status import Status as Status
    from netnotes.analysis.status import Totals as Totals
    from netnotes.analysis.status import due_soon_of as due_soon_of
    from netnotes.analysis.status import facts_of as facts_of
    from netnotes.analysis.status import is_due_soon as is_due_soon
    from netnotes.analysis.status import last_year as last_year
    from netnotes.analysis.status import note_totals as note_totals
    from netnotes.analysis.status import one_line as one_line
    from netnotes.analysis.status import overdue_of as overdue_of
    from netnotes.analysis.status import sum_totals as sum_totals
    from netnotes.analysis.status import summary_of as summary_of
    from netnotes.analysis.status import totals_of as totals_of
    from netnotes.analysis.status import unlinked as unlinked
    from netnotes.analysis.strength import Ground as Ground
    from netnotes.analysis.strength import Index as Index
    from netnotes.analysis.strength import Relationship as Relationship
    from netnotes.analysis.strength import assess as assess
    from netnotes.analysis.strength import relationship_data as relationship_data

_PUBLIC = {
    "Brief": "netnotes.analysis.figures",
    "Facts": "netnotes.analysis.status",
    "Ground": "netnotes.analysis.strength",
    "Index": "netnotes.analysis.strength",
    "IntroMade": "netnotes.analysis.status",
    "Plan": "netnotes.analysis.plan",
    "RECENT_INTRODUCTIONS": "netnotes.analysis.figures",
    "Relationship": "netnotes.analysis.strength",
    "Status": "netnotes.analysis.status",
    "Totals": "netnotes.analysis.status",
    "assess": "netnotes.analysis.strength",
    "check_vault": "netnotes.analysis.checks",
    "contact_status": "netnotes.analysis.overview",
    "due_soon": "netnotes.analysis.overview",
    "due_soon_of": "netnotes.analysis.status",
    "facts_of": "netnotes.analysis.status",
    "is_due_soon": "netnotes.analysis.status",
    "last_year": "netnotes.analysis.status",
    "make_plan": "netnotes.analysis.plan",
    "network_data": "netnotes.analysis.figures",
    "network_shape": "netnotes.analysis.network",
    "network_summary": "netnotes.analysis.overview",
    "note_totals": "netnotes.analysis.status",
    "one_line": "netnotes.analysis.status",
    "overdue": "netnotes.analysis.overview",
    "overdue_of": "netnotes.analysis.status",
    "plan_data": "netnotes.analysis.plan",
    "plan_events": "netnotes.analysis.plan",
    "relationship_data": "netnotes.analysis.strength",
    "shape_data": "netnotes.analysis.network",
    "statuses": "netnotes.analysis.overview",
    "sum_totals": "netnotes.analysis.status",
    "summary_of": "netnotes.analysis.status",
    "totals_of": "netnotes.analysis.status",
    "unlinked": "netnotes.analysis.status",
    "vault_facts": "netnotes.analysis.overview",
}

__all__ = sorted(_PUBLIC)


__getattr__ = lazy_attributes(__name__, _PUBLIC)
