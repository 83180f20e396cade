"""How long `netnotes watch` takes to show a one-note edit in a big vault.

    PYTHONPATH=src python benchmarks/watch_latency.py [--contacts 10000] [--format text]
    PYTHONPATH=src python benchmarks/watch_latency.py --vault COPY-OF-A-VAULT [--edits 20]
    PYTHONPATH=src python benchmarks/watch_latency.py --redact [--contacts 1000] [--ties 0]

Without --vault it generates a vault of fictional people (gen_vault.py, as benchmarks/run.py
does) into a temporary folder; with --vault it uses that folder, edits one of its notes and puts
the note back at the end (give it a copy: the edits touch the vault's index and memo).

The watcher runs in a thread with real file-system events, as `netnotes watch --out` does. After
the first render, one note is edited --edits times (a log line appended: the note's own contact
changes, no tie), then --ties times a line that names another person (a new tie: the network's
shape changes). Each edit is timed from the save to the replaced report file; the quiet spell
(--debounce, 0.05 s) is part of it. It prints the median, p95 and slowest of each series, how
many notes each rebuild read, whether the remembered per-contact results made the report, and
the load average (the machine may be shared).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_vault  # noqa: E402

from netnotes.watch import Rendered, Watcher  # noqa: E402

TODAY = dt.date(2026, 11, 22)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def series(out: Path, target: Path, lines: list[str], results: list[Rendered]
           ) -> tuple[list[float], list[Rendered]]:
    """Append each line to ``target`` in turn; seconds until ``out`` was replaced, and the
    rebuild that replaced it."""
    times: list[float] = []
    made: list[Rendered] = []
    for line in lines:
        before = out.stat().st_mtime_ns
        start = time.perf_counter()
        with target.open("ab") as f:
            f.write(line.encode("utf-8"))
        while out.stat().st_mtime_ns == before and time.perf_counter() - start < 120:
            time.sleep(0.002)
        times.append(time.perf_counter() - start)
        time.sleep(0.3)  # let the rebuild's result be reported
        made.append(results[-1])
    return times, made


def show(label: str, times: list[float], made: list[Rendered]) -> None:
    ms = [t * 1000 for t in times]
    how = {"memo" if r.remembered else "whole" for r in made}
    reads = sorted({r.read for r in made})
    print(f"{label}: {len(ms)} edits, median {statistics.median(ms):.0f} ms, "
          f"p95 {p95(ms):.0f} ms, slowest {max(ms):.0f} ms; notes read per rebuild {reads}; "
          f"made {'/'.join(sorted(how))}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--contacts", type=int, default=10_000)
    ap.add_argument("--vault", type=Path, help="use this vault (a copy) instead of generating")
    ap.add_argument("--format", default="text", choices=["text", "markdown", "html"])
    ap.add_argument("--edits", type=int, default=20, help="edits that change one contact")
    ap.add_argument("--ties", type=int, default=3, help="edits that add a tie")
    ap.add_argument("--debounce", type=float, default=0.05)
    ap.add_argument("--redact", action="store_true",
                    help="as `watch --redact`: every refresh made whole, redacted")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.vault.resolve() if args.vault else Path(tmp) / "vault"
        if not args.vault:
            gen_vault.generate(args.contacts, root)
        people = sorted((root / "people").iterdir())
        target, other = people[len(people) // 3], people[len(people) // 3 + 1]
        original = target.read_bytes()
        out = Path(tmp) / f"report.{args.format}"
        results: list[Rendered] = []
        w = Watcher(root, args.format, out, today=lambda: TODAY, debounce=args.debounce,
                    on_render=lambda r, t: results.append(r), redact=args.redact)
        stop, ready = threading.Event(), threading.Event()
        thread = threading.Thread(target=w.run, args=(stop, ready), daemon=True)
        t0 = time.perf_counter()
        thread.start()
        ready.wait(600)
        read = results[-1].read
        print(f"{len(people):,} people; first render {time.perf_counter() - t0:.2f} s "
              f"({read:,} note{'s' if read != 1 else ''} read); "
              f"load average {os.getloadavg()[0]:.2f}")
        try:
            time.sleep(1.0)
            edits = [f"- 2026-11-{1 + k % 20:02d} call benchmark edit {k} #gave\n"
                     for k in range(args.edits)]
            show("one contact's note edited", *series(out, target, edits, results))
            ties = [f"- 2026-11-{1 + k % 20:02d} lunch with [[{other.stem}]] tie {k}\n"
                    for k in range(args.ties)]
            if ties:
                show("an edit that adds a tie", *series(out, target, ties, results))
        finally:
            stop.set()
            thread.join(60)
            target.write_bytes(original)
        print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
