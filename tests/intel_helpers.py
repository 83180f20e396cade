"""Hand-built vaults for the analysis tests: model objects, no files, so every answer can be
worked out on paper from the few lines each test writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from netnotes.core import Config, Contact, Interaction, Source, Vault, parse_duration
from netnotes.core.config import Me

TODAY = dt.date(2026, 11, 22)


def person(cid: str, tier: str = "network", **fields: Any) -> Contact:
    cfg = Config()
    cadence = cfg.tier(tier).cadence if cfg.tier(tier) else parse_duration("1 year")
    return Contact(id=cid, name=fields.pop("name", cid.replace("-", " ").title()),
                   path=f"people/{cid}.md", tier=tier, cadence=cadence, **fields)


def met(people: str | tuple[str, ...], days_ago: int, kind: str | None = "coffee", *,
        gave: bool = False, got: bool = False, text: str = "") -> Interaction:
    ids = (people,) if isinstance(people, str) else people
    return Interaction(TODAY - dt.timedelta(days=days_ago), text or (kind or "saw them"),
                       Source(f"people/{ids[0]}.md", days_ago + 1), ids, kind, gave, got)


def build(contacts: list[Contact], interactions: list[Interaction] = (), *,  # type: ignore[assignment]
          me: Me | None = None) -> Vault:
    cfg = Config(me=me or Me(name="Sam", field="software", interests=("chess", "climate tech")))
    return Vault(Path("vault"), cfg, tuple(sorted(contacts, key=lambda c: c.id)),
                 tuple(sorted(interactions, key=Interaction.sort_key)))
