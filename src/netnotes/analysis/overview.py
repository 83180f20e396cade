"""The whole vault at once: every contact's status and facts, overdue and due-soon lists,
the summary — status (one contact) and strength (its relationship) put together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from netnotes.analysis.status import (
    Facts,
    NetworkSummary,
    Status,
    due_soon_of,
    facts_of,
    note_totals,
    overdue_of,
    sum_totals,
    summary_of,
)
from netnotes.analysis.strength import Index, assess
from netnotes.core import Contact, Vault


def contact_status(vault: Vault, contact: Contact, today: dt.date,
                   index: Index | None = None) -> Status:
    """Where ``contact`` stands on ``today``; ``index`` (strength.Index) is shared when many
    contacts are analysed at once."""
    index = index or Index(vault)
    return assess(contact, vault.interactions_of(contact.id), today, vault.config,
                  index.ground(contact))[0]


def statuses(vault: Vault, today: dt.date, index: Index | None = None) -> list[Status]:
    """Every contact's status, in id order.  ``index``: a strength.Index to share."""
    index = index or Index(vault)
    return [contact_status(vault, c, today, index) for c in vault.contacts]


def vault_facts(vault: Vault, today: dt.date) -> list[Facts]:
    """Every contact's Facts, in id order (what report_data makes on the way)."""
    index = Index(vault)
    out = []
    for c in vault.contacts:
        s, r = assess(c, vault.interactions_of(c.id), today, vault.config, index.ground(c))
        out.append(facts_of(s, r.strength.score, r.trend.label))
    return out


def overdue(vault: Vault, today: dt.date, facts: Sequence[Facts] | None = None) -> list[Facts]:
    """Overdue and not snoozed; most urgent first: tier rank, then how far past the cadence
    relative to the cadence (two weeks late on a monthly cadence beats a month late on a yearly
    one), then id."""
    return overdue_of(vault_facts(vault, today) if facts is None else facts, vault.config)


def due_soon(vault: Vault, today: dt.date, facts: Sequence[Facts] | None = None) -> list[Facts]:
    """Due from today up to ``due_soon_days`` ahead, soonest first."""
    return due_soon_of(vault_facts(vault, today) if facts is None else facts, vault.config,
                       today)


def network_summary(vault: Vault, today: dt.date, facts: Sequence[Facts] | None = None
                    ) -> NetworkSummary:
    return summary_of(vault_facts(vault, today) if facts is None else facts, vault.config,
                      sum_totals(note_totals(vault, today).values()), today)
