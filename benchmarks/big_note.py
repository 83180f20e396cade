"""One note at the size limit: how long each command takes, and its peak memory.

    python benchmarks/big_note.py                 # a note just under the limit
    python benchmarks/big_note.py --mb 1 2 5      # notes of these sizes instead
    python benchmarks/big_note.py --runs 5 --cache

The vault holds five small notes and one big one made of the shortest log lines a person writes
(``- 2001-01-01 call 123``: the most lines, so the most work, a megabyte can hold).  Each command
runs as its own process, as a user runs it (``--no-cache`` unless ``--cache``: the index would
hide the parsing a first run pays); the figures are the median wall time and the largest peak
resident memory of the runs.  ``log`` runs on a fresh copy of the note each time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from netnotes.vault import MAX_NOTE_BYTES

COMMANDS = [
    ("show", ["show", "amara"]),
    ("log", ["log", "amara", "lunch at the market"]),
    ("report html", ["report", "--format", "html", "--out", "{out}/r.html"]),
    ("report json", ["report", "--format", "json"]),
    ("report text", ["report", "--format", "text"]),
    ("overdue", ["overdue"]),
    ("check", ["check"]),
]


def make_vault(root: Path, size: int) -> Path:
    people = root / "people"
    people.mkdir(parents=True)
    (root / "netnotes.toml").write_text("")
    lines = ["---", "name: Amara Oduya", "tier: close", "tags: [chess]", "---", "", "## Log"]
    total = sum(len(line) + 1 for line in lines)
    day, i = dt.date(1990, 1, 1), 0
    while True:
        line = f"- {(day + dt.timedelta(days=i // 40)).isoformat()} call {i}"
        if total + len(line) + 1 > size:
            break
        lines.append(line)
        total += len(line) + 1
        i += 1
    big = people / "amara-oduya.md"
    big.write_text("\n".join(lines) + "\n")
    for k in range(5):
        (people / f"p{k}.md").write_text(f"---\nname: Person {k}\n---\n\n## Log\n"
                                         f"- 2026-01-0{k + 1} coffee\n")
    return big


def run_once(argv: list[str]) -> tuple[float, int, int]:
    """Wall seconds, peak resident KiB and exit code of one command."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.monotonic() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, nargs="*", help="note sizes in MB (default: the limit)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cache", action="store_true", help="let commands use the index")
    args = ap.parse_args()
    sizes = [int(mb * 1_000_000) for mb in args.mb] if args.mb else [MAX_NOTE_BYTES - 100]
    print(f"{'note':>8}  {'command':<12} {'median s':>9} {'peak MiB':>9}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "vault"
            big = make_vault(root, size)
            original = big.read_bytes()
            base = [sys.executable, "-m", "netnotes", "--vault", str(root),
                    "--today", "2026-11-22", *([] if args.cache else ["--no-cache"])]
            for label, cmd in COMMANDS:
                times, peak = [], 0
                for _ in range(args.runs):
                    if label == "log":
                        big.write_bytes(original)
                    wall, kib, code = run_once(base + [c.format(out=tmp) for c in cmd])
                    if code not in (0, 1):
                        raise SystemExit(f"{label} exited {code}")
                    times.append(wall)
                    peak = max(peak, kib)
                print(f"{size / 1e6:>6.1f}MB  {label:<12} {statistics.median(times):>9.2f} "
                      f"{peak / 1024:>9.0f}", flush=True)


if __name__ == "__main__":
    main()
