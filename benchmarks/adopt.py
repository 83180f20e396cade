"""How long does `netnotes init --adopt` take on a big Obsidian-style folder?

    python benchmarks/adopt.py                    # 5,000 person notes and 5,000 meeting notes
    python benchmarks/adopt.py --people 1000 --runs 3

The folder is generated once into --dir (default: a folder in the system temp dir) and reused:
person notes in People/ with their own key names (first_name, last_name, organization, title,
email), a `# Heading` and a Dataview `last_contact::` line; meeting notes in Meetings/, named after
their day, with `attendees:` linking three people each.  Each run is a fresh process, the way a
user runs it: the checkout's code (`python -m netnotes` with src/ on PYTHONPATH), printing the
plan as JSON and writing nothing.  Printed: the median wall time and the largest peak memory.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def generate(root: Path, people: int) -> Path:
    """The folder for ``people`` person notes and as many meeting notes (made once)."""
    folder = root / f"obsidian-{people}"
    if (folder / ".complete").exists():
        return folder
    rng = random.Random(5)
    (folder / "People").mkdir(parents=True, exist_ok=True)
    (folder / "Meetings").mkdir(exist_ok=True)
    names = [(f"Person{i:05d}", f"Surname{i % 977:03d}") for i in range(people)]
    for i, (first, last) in enumerate(names):
        (folder / "People" / f"{first} {last}.md").write_text(
            f"---\ntags: [person]\nfirst_name: {first}\nlast_name: {last}\n"
            f"organization: Org{i % 300}\ntitle: Role{i % 40}\nemail: p{i}@example.org\n---\n\n"
            f"# {first} {last}\n\nlast_contact:: 2026-0{1 + i % 9}-1{i % 9}\n\n"
            "## Notes\n- likes sailing\n")
    for j in range(people):
        who = ", ".join(f'"[[{a} {b}]]"' for a, b in rng.sample(names, min(3, people)))
        (folder / "Meetings" / f"2026-{1 + j % 12:02d}-{1 + j % 28:02d} meeting {j}.md") \
            .write_text(f"---\nattendees: [{who}]\n---\n\nNotes.\n")
    (folder / ".complete").write_text("")
    return folder


def run_once(folder: Path) -> tuple[float, float]:
    """Wall seconds and peak MiB of one `init --adopt --format json` process."""
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "netnotes", "init", "--adopt", str(folder),
                             "--format", "json"], env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"netnotes init --adopt failed on {folder}")
    return wall, usage.ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "netnotes-bench")
    args = parser.parse_args()
    folder = generate(args.dir, args.people)
    run_once(folder)  # warm-up: the page cache and the bytecode
    runs = [run_once(folder) for _ in range(args.runs)]
    print(f"init --adopt, {args.people:,} person notes + {args.people:,} meeting notes: "
          f"median {statistics.median(w for w, _ in runs):.2f} s wall, "
          f"peak {max(m for _, m in runs):.0f} MiB ({args.runs} runs)")


if __name__ == "__main__":
    main()
