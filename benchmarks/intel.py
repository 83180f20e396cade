"""How long the relationship intelligence takes on a big synthetic network (no files written).

    PYTHONPATH=src python benchmarks/intel.py [contacts]

Builds contacts with fields, companies, four interests each, some agendas and `knows` links, and
eight interactions per contact (a fifth of them naming two people), then times report_data —
statuses, strength, trend, common ground, the graph, Burt's constraint, introductions — against
the same vault's plain statuses.  Seeded, so runs compare.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path

from netnotes.analysis import statuses
from netnotes.core import Config, Contact, Interaction, Source, Vault
from netnotes.core.config import Me
from netnotes.render.report import report_data

TODAY = dt.date(2026, 11, 22)


def synthetic(n: int, seed: int = 1) -> Vault:
    rnd = random.Random(seed)
    cfg = Config(me=Me(name="Sam", field="software", interests=("chess",)))
    topics = [f"topic {i}" for i in range(max(n // 10, 10))]
    fields = ["software", "design", "finance", "climate tech", "health", "law"]
    contacts = []
    for i in range(n):
        tier = cfg.tiers[rnd.randrange(len(cfg.tiers))]
        agenda = f"learn about {rnd.choice(topics)} and design" if rnd.random() < 0.3 else ""
        contacts.append(Contact(
            id=f"p{i:06d}", name=f"Person {i}", path=f"people/p{i:06d}.md", tier=tier.name,
            cadence=tier.cadence, field=rnd.choice(fields),
            company=f"co {rnd.randrange(n // 5 + 1)}",
            interests=tuple(rnd.sample(topics, 4)), agenda=agenda,
            knows=tuple(f"p{rnd.randrange(n):06d}" for _ in range(2))))
    its = []
    for k in range(n * 8):
        a = f"p{rnd.randrange(n):06d}"
        b = f"p{rnd.randrange(n):06d}"
        people = (a, b) if rnd.random() < 0.2 and a != b else (a,)
        its.append(Interaction(TODAY - dt.timedelta(days=rnd.randrange(1500)), "coffee",
                               Source(f"people/{a}.md", k + 1), people,
                               rnd.choice(["coffee", "email", "meeting"]),
                               rnd.random() < 0.2, rnd.random() < 0.2))
    its.sort(key=Interaction.sort_key)
    return Vault(Path("bench"), cfg, tuple(contacts), tuple(its))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    vault = synthetic(n)
    t0 = time.perf_counter()
    statuses(vault, TODAY)
    t1 = time.perf_counter()
    report_data(vault, TODAY)
    t2 = time.perf_counter()
    print(f"{n} contacts, {len(vault.interactions)} interactions: statuses {t1 - t0:.2f} s, "
          f"whole report data {t2 - t1:.2f} s")


if __name__ == "__main__":
    main()
