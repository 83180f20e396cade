"""Redaction for sharing: a contact reduced to what a report may show when only figures are asked.

One function serves every output that offers ``--redact`` (exports now, reports too), so that
"redacted" means the same everywhere: names become initials, and emails, phones, links, addresses,
birthdays, aliases, agendas, free text and unknown fields are dropped.  Ids and paths are derived
from names, so they become a stable pseudonym.  Pure: no I/O.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from netnotes.core import Contact


def initials(name: str) -> str:
    """``"Ada King Lovelace"`` → ``"A. K. L."``; a name without letters stays ``"?"``."""
    letters = [w[0].upper() for w in name.split() if w[:1].isalnum()]
    return " ".join(f"{ch}." for ch in letters) or "?"


def pseudonym(contact_id: str) -> str:
    """A stable stand-in for an id (which is made from the name): ``c-3f2a9b1c``."""
    return "c-" + hashlib.sha256(contact_id.encode("utf-8")).hexdigest()[:8]


def redact_contact(c: Contact) -> Contact:
    """The contact with nothing that identifies or describes the person beyond the figures:
    tier, cadence, company, role, field, tags, interests and dates of contact stay."""
    pid = pseudonym(c.id)
    return replace(c, id=pid, name=initials(c.name), path=f"{pid}.md", aliases=(), emails=(),
                   phones=(), links=(), location="", agenda="", birthday=None, met_how="",
                   introduced_by=None, knows=(), history=(), extra={}, key_lines={})
