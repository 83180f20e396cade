"""A floor for a Python reader of a vault: list, read and minimally parse every note.

    python benchmarks/floor.py VAULT            # one process
    python benchmarks/floor.py VAULT --jobs 2   # the notes split over 2 worker processes

``cat`` is the floor of the disk; this is the floor of the language.  It does the least a
report needs from each note and nothing else: the front matter cut into ``key: value`` lines
(no lists, no quotes, nothing checked), and each log line (a contact's dated bullets, a journal
note's bullets) cut into its date (made a ``datetime.date``), its kind and its text.  No links,
tags, problems, index, analysis or rendering.  Every parsed note is kept until the end, as a
report must keep them, so the peak memory it prints is about the least a model holding one
Python object per log line can cost.

run.py runs it as a fresh process beside netnotes, so its time includes Python's start-up,
as netnotes' does.  A netnotes run that takes longer than this floor spends the difference on
what netnotes does beyond it; a target near this floor leaves Python code no room for the rest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

# As simple as the synthetic notes allow (LF line ends, "- " bullets): a floor, not a parser.
KEY_VALUE = re.compile(r"^(\w+): *(.*)$", re.M)
DATED = re.compile(r"^- (\d{4}-\d\d-\d\d) (?:(\w+): )?(.*)$", re.M)  # a contact's log lines
BULLET = re.compile(r"^- (?:(\d{4}-\d\d-\d\d) )?(?:(\w+): )?(.*)$", re.M)  # a journal's lines
CHUNK = 250
# One object per distinct date and kind, however many lines name it (netnotes shares them too):
# the peak memory is then the least one Python object per log line can cost.
_DAYS: dict[str, dt.date] = {}
_SHARED: dict[str, str] = {}

Parsed = tuple[dict[str, str], list[tuple[dt.date, str, str]]]


def parse(data: bytes, day: dt.date | None = None) -> Parsed:
    """The least a report needs of one note (see the module's docstring).  ``day`` is a journal
    note's date: its bullets are its lines, dated that day unless they say otherwise."""
    text = data.decode("utf-8", "replace")
    end = text.find("\n---\n", 3) if text.startswith("---\n") else -1
    meta = dict(KEY_VALUE.findall(text, 4, end)) if end > 0 else {}
    known, share = _DAYS.get, _SHARED.setdefault
    if day is None:  # a contact's note: every line has its own date
        lines, day = DATED.findall(text, end + 1), dt.date.min
    else:
        lines = BULLET.findall(text, end + 1)
    return meta, [((known(d) or _DAYS.setdefault(d, dt.date.fromisoformat(d))) if d else day,
                   share(kind, kind), what) for d, kind, what in lines]


def journal_day(path: str) -> dt.date | None:
    """The date a journal note's name gives (``journal/2026-11-22.md``); None for a contact's."""
    folder, name = os.path.split(path)
    if os.path.basename(folder) != "journal":
        return None
    try:
        return dt.date.fromisoformat(name[:10])
    except ValueError:
        return None


def parse_files(paths: list[str]) -> list[Parsed]:
    out = []
    for path in paths:
        with open(path, "rb") as f:
            out.append(parse(f.read(), journal_day(path)))
    return out


def note_paths(vault: str) -> list[str]:
    return sorted(entry.path for folder in ("people", "journal")
                  if os.path.isdir(os.path.join(vault, folder))
                  for entry in os.scandir(os.path.join(vault, folder))
                  if entry.name.endswith(".md"))


def read_vault(vault: str, jobs: int = 1) -> list[Parsed]:
    """Every note parsed, in path order; with ``jobs`` > 1 the notes are parsed in that many
    worker processes and sent back pickled, as any parallel Python parser must."""
    paths = note_paths(vault)
    if jobs <= 1:
        return parse_files(paths)
    chunks = [paths[i:i + CHUNK] for i in range(0, len(paths), CHUNK)]
    out: list[Parsed] = []
    with ProcessPoolExecutor(jobs) as pool:
        for parsed in pool.map(parse_files, chunks):
            out.extend(parsed)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("vault")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (default: none)")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    kept: Any = read_vault(args.vault, args.jobs)
    took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = sum(len(log) for _, log in kept)
    print(f"{len(kept):,} notes, {lines:,} log lines: {took:.3f} s, peak RSS {peak:.0f} MiB "
          f"(this process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
