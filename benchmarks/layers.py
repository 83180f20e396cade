"""What each speed layer saves: the same command with the layer and without it, in one run.

    python benchmarks/layers.py                      # N = 1,000 and 10,000, 7 pairs each
    python benchmarks/layers.py --sizes 1000 --runs 5
    python benchmarks/layers.py run --without=memo --vault V --today 2026-11-22 report

The second form is one run of ``netnotes`` with a layer switched off (patched from outside, so
the product has no switch for it); the first times every layer's scenario with and without it,
the two alternating (A B A B …) so that a drift of the machine's speed hits both alike, and
prints the medians and what the layer saves.  Each scenario is the situation the layer is for:

  answers    an unchanged vault asked again (without: the remembered report answers)
  memo       a report after one note changed; answers off (without: the whole report is made
             from the index)
  index      a report no kept answer or memo can give; answers and memo off (without: every
             note is parsed)
  gcpause    a report reading every note (--no-cache) (without: the cyclic collector runs)
  bytecode   a report after one note changed, answers off (without: the templates are
             compiled every run instead of loaded from the user's cache)

Vaults come from gen_vault.py (as in run.py); the runs use src/ of this checkout.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TODAY = "2026-11-22"
sys.path.insert(0, str(HERE))

LAYERS = ("answers", "memo", "index", "gcpause", "bytecode")


def switch_off(layer: str) -> None:
    """Patch ``layer`` out of this process before netnotes' modules bind the names."""
    if layer == "answers":
        from netnotes.store import answers

        answers.lookup = lambda snap, question: None  # type: ignore[assignment]
        answers.store = lambda snap, question, answer: None  # type: ignore[assignment]
    elif layer == "memo":
        from netnotes.store import memo

        def whole(snap, today, fmt, load, *, progress=None, **options):  # type: ignore[no-untyped-def]
            return memo.whole(load(), today, fmt, **options)

        memo.report = whole  # type: ignore[assignment]
    elif layer == "index":
        from netnotes.store import load

        real = load.read_vault

        def uncached(root, *, use_cache=True, **kwargs):
            return real(root, use_cache=False, **kwargs)

        load.read_vault = uncached  # type: ignore[assignment]
    elif layer == "gcpause":
        import gc

        from netnotes.core import gcpause

        gcpause.paused_gc = contextlib.nullcontext  # type: ignore[assignment]
        gcpause.one_shot = lambda on=True: None  # type: ignore[assignment]
        gc.freeze = lambda: None  # type: ignore[assignment]
    elif layer == "bytecode":
        from netnotes.render import environment

        environment._compiled = lambda sandboxed=False: None  # type: ignore[assignment]
    else:
        raise SystemExit(f"unknown layer {layer!r}: one of {', '.join(LAYERS)}")


def run_without(layers: list[str], argv: list[str]) -> None:
    for layer in layers:
        switch_off(layer)
    from netnotes.cli import main

    sys.argv = ["netnotes", *argv]
    main()


# --- the table -------------------------------------------------------------------------------

SCENARIOS = {  # layer → (layers off in both A and B, extra netnotes arguments, one note changed)
    "answers": ((), [], False),
    "memo": (("answers",), [], True),
    "index": (("answers", "memo"), [], False),
    "gcpause": ((), ["--no-cache"], False),
    "bytecode": (("answers",), [], True),
}


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(n: int, folder: Path, runs: int) -> list[tuple[str, float, float]]:
    from run import ensure_vault

    vault = ensure_vault(n, folder)
    env = os.environ | {"PYTHONPATH": str(REPO / "src"), "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "src")], check=True)
    target = sorted((vault / "people").iterdir())[n // 2]
    original = target.read_bytes()
    flip = [0]
    rows = []
    shutil.rmtree(vault / ".netnotes", ignore_errors=True)
    for layer, (both_off, extra, change) in SCENARIOS.items():
        args = ["--vault", str(vault), "--today", TODAY, *extra, "report"]

        def cmd(off: tuple[str, ...], args: list[str] = args) -> list[str]:
            flags = [f"--without={x}" for x in off]
            return [sys.executable, str(HERE / "layers.py"), "run", *flags, *args]

        a, b = cmd(both_off), cmd((*both_off, layer))
        timed(a, env)  # whatever the scenario keeps is kept once
        with_, without = [], []
        for _ in range(runs):
            for which, out in ((a, with_), (b, without)):
                if change:
                    flip[0] += 1
                    target.write_bytes(original + f"- 2026-11-{flip[0] % 20 + 1:02d} call\n"
                                       .encode())
                out.append(timed(which, env))
        target.write_bytes(original)
        rows.append((layer, statistics.median(with_), statistics.median(without)))
    return rows


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["run"]:
        off = [a.split("=", 1)[1] for a in argv[1:] if a.startswith("--without=")]
        run_without(off, [a for a in argv[1:] if not a.startswith("--without=")])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=7, help="pairs of runs per layer")
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "netnotes-bench")
    args = ap.parse_args(argv)
    print("| N | layer | with | without | saves |")
    print("|---:|---|---:|---:|---:|")
    for n in args.sizes:
        for layer, w, wo in measure(n, args.dir, args.runs):
            print(f"| {n:,} | {layer} | {w:.3f} s | {wo:.3f} s | {(wo - w) / wo:.0%} |",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
