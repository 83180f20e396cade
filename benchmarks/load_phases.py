"""Where a cold load of a vault spends its time and memory: listing, reading, assembling.

    python benchmarks/load_phases.py VAULT            # a cold load: .netnotes/ deleted first
    python benchmarks/load_phases.py VAULT --warm     # the index kept from the last run

One process does what ``netnotes.store.load_vault`` does, a phase at a time, and prints after
each the seconds since it started and the process's resident memory now and at its highest so
far (Linux: /proc/self/status).  The peak of a cold report is at least the last line's: the
report then works on this vault.  Vaults come from gen_vault.py; the run uses src/ of this
checkout.  Run it on a quiet machine, or twice: a busy one changes the seconds, not the memory.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))


def memory() -> str:
    """Resident memory now and at its highest, in MiB (empty where /proc is not there)."""
    try:
        with open("/proc/self/status") as status:
            fields = dict(line.split(":", 1) for line in status if line.startswith("Vm"))
    except OSError:
        return ""
    now, high = (int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM"))
    return f"{now:7.0f} MiB now {high:7.0f} MiB at most"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("vault", type=Path)
    parser.add_argument("--warm", action="store_true", help="keep the index (a warm load)")
    args = parser.parse_args()
    root = args.vault.resolve()
    if not args.warm:
        shutil.rmtree(root / ".netnotes", ignore_errors=True)

    from netnotes.core import paused_gc
    from netnotes.store import indexer
    from netnotes.vault import assemble, list_notes, load_config

    start = time.perf_counter()

    def say(what: str) -> None:
        print(f"{what:<14} {time.perf_counter() - start:6.2f} s {memory()}", flush=True)

    say("imported")
    with paused_gc():  # as load_vault does
        config, problems = load_config(root)
        notes, listed = list_notes(root, config)
        say(f"listed {len(notes)}")
        records, stats = indexer.read_records(root, config, notes)
        say(f"read {stats.parsed}")
        vault = assemble(root, config, records, problems + listed, consume=True)
        say("assembled")
    print(f"{len(vault.contacts)} contacts, {len(vault.interactions)} interactions, "
          f"{len(vault.problems)} problems")


if __name__ == "__main__":
    main()
