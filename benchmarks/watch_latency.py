"""How long `netnotes watch` takes to show a one-note edit in a big vault.

    PYTHONPATH=src python benchmarks/watch_latency.py [--contacts 10000] [--format text]

Writes a synthetic vault (fictional people) into a temporary folder, renders it once, then edits
one note and measures (1) the rebuild alone and (2) the end-to-end latency from the save to the
replaced output file with real file-system events.  It also prints how many notes each rebuild
read, which must be 1: the other notes come from the watcher's in-memory index.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

from netnotes.watch import Rendered, Watcher

TODAY = dt.date(2026, 11, 22)
FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Tim"]
LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson"]
KINDS = ["coffee", "call", "email", "lunch", "video", "message"]


def make_vault(root: Path, n: int) -> list[Path]:
    rnd = random.Random(7)
    (root / "people").mkdir(parents=True)
    (root / "netnotes.toml").write_text('[me]\nname = "Sam"\n', encoding="utf-8")
    tiers = ["critical", "close", "network", "network", "archive"]
    paths = []
    for i in range(n):
        name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)} {i}"
        log = []
        for _ in range(rnd.randint(0, 6)):
            day = TODAY - dt.timedelta(days=rnd.randint(1, 900))
            other = f" with [[p{rnd.randrange(n):05d}]]" if rnd.random() < 0.2 else ""
            log.append(f"- {day} {rnd.choice(KINDS)} about work{other}")
        text = (f"---\nname: {name}\ntier: {rnd.choice(tiers)}\n"
                f"knows: [\"[[p{rnd.randrange(n):05d}]]\"]\n---\n\n## Log\n"
                + "\n".join(log) + "\n")
        path = root / "people" / f"p{i:05d}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--contacts", type=int, default=10_000)
    ap.add_argument("--format", default="text", choices=["text", "markdown", "html"])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "vault"
        paths = make_vault(root, args.contacts)
        out = Path(tmp) / f"report.{args.format}"
        results: list[Rendered] = []
        w = Watcher(root, args.format, out, today=lambda: TODAY, debounce=0.05,
                    on_render=lambda r, t: results.append(r))
        t0 = time.perf_counter()
        w.rebuild()
        print(f"first render: {time.perf_counter() - t0:.2f}s, {results[-1].read} notes read")

        target = paths[len(paths) // 2]
        t0 = time.perf_counter()
        with target.open("a", encoding="utf-8") as f:
            f.write("- 2026-11-21 call benchmark edit\n")
        w.notify(str(target))
        w.rebuild()
        print(f"rebuild after a one-note edit: {time.perf_counter() - t0:.2f}s, "
              f"{results[-1].read} note read")

        stop, ready = threading.Event(), threading.Event()
        thread = threading.Thread(target=w.run, args=(stop, ready), daemon=True)
        thread.start()
        ready.wait(600)
        before = out.stat().st_mtime_ns
        t0 = time.perf_counter()
        with target.open("a", encoding="utf-8") as f:
            f.write("- 2026-11-22 email second benchmark edit\n")
        while out.stat().st_mtime_ns == before and time.perf_counter() - t0 < 120:
            time.sleep(0.005)
        print(f"save → new report on disk (real events, debounce 0.05s): "
              f"{time.perf_counter() - t0:.2f}s, {results[-1].read} note read")
        stop.set()
        thread.join(30)
    sys.exit(0)


if __name__ == "__main__":
    main()
