"""Which YAML library should read front matter?  PyYAML's C loader, rapidyaml and yaml-rs side by
side on the generated vault and on the hostile inputs, against what netnotes reads today.

    python benchmarks/yaml_loaders.py                       # 10,000 contacts, 5 rounds
    python benchmarks/yaml_loaders.py --contacts 1000 --rounds 3

Needs PyYAML with libyaml (a dependency); rapidyaml (``pip install rapidyaml``) and yaml-rs
(``pip install yaml-rs``) are measured when installed and reported as missing otherwise: they
are not dependencies of netnotes.

For every front matter (the text between the --- fences of each note of the generated vault,
of example-vault/ and of tests/bad_inputs/), each way of reading it is asked for the values and,
when it refuses the text, for the line it blames:

  netnotes      what netnotes does now: its fast path for plain ``key: value`` front matter,
                PyYAML's C loader (CSafeLoader, through parse.NoteLoader) for anything else
  pyyaml-c      PyYAML's C loader for every front matter (the same NoteLoader), with the
                spans of each key that problems point at
  yaml-rs       yaml_rs.loads (Rust): values only, no positions of keys
  yaml-rs+      the same, its dates turned back into the text netnotes keeps
  rapidyaml     ryml.parse_in_arena (C++) to a tree, turned into Python values here with
                netnotes' own rules for plain scalars (parse._plain); no positions of keys

It prints, per way: the median time over the generated vault's front matter (in this process,
``--rounds`` rounds, the collector paused as netnotes does), and how many front matters give
values other than netnotes' (or an error where netnotes reads values, and the other way round),
with a few examples.  The time is in-process, for reading front matter only: a whole report
does much more per note (see run.py).
"""

from __future__ import annotations

import argparse
import gc
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "src"))
from run import ensure_vault  # noqa: E402

from netnotes.vault import parse  # noqa: E402

Answer = tuple[str, Any]  # ("values", dict) or ("error", line)


def front_matters(root: Path) -> list[tuple[str, str]]:
    """(path, front matter text) of every note under ``root`` that has a closed front matter
    and is UTF-8."""
    out = []
    for path in sorted(root.rglob("*.md")):
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if not lines or lines[0].rstrip() != "---":
            continue
        for end in range(1, len(lines)):
            if lines[end].rstrip() in ("---", "..."):
                out.append((str(path.relative_to(root)), "\n".join(lines[1:end])))
                break
    return out


def _first_error(note: parse.RawNote) -> Answer:
    errors = [p for p in note.problems if p.severity == "error"]
    if errors:
        return "error", errors[0].source.line
    return "values", note.meta


def netnotes_now(text: str) -> Answer:
    note = parse.RawNote("x.md")
    parse._load_yaml(note, text, 2)
    return _first_error(note)


def pyyaml_c(text: str) -> Answer:
    note = parse.RawNote("x.md")
    parse._load_with_pyyaml(note, text, 2)
    return _first_error(note)


def yaml_rs_loader() -> Callable[[str], Answer] | None:
    try:
        import yaml_rs
    except ImportError:
        return None

    def load(text: str) -> Answer:
        try:
            data = yaml_rs.loads(text)
        except Exception as exc:  # noqa: BLE001 - any refusal is an answer here
            m = re.search(r"line (\d+)", str(exc))
            return "error", 1 + int(m.group(1)) if m else 0
        return "values", data if data is not None else {}

    return load


def yaml_rs_as_text() -> Callable[[str], Answer] | None:
    """yaml-rs with its dates and times turned back into the text they were read from (as
    netnotes keeps them): the fairest chance yaml-rs has of giving netnotes' values."""
    load = yaml_rs_loader()
    if load is None:
        return None
    import datetime as dt

    def text_of(v: Any) -> Any:
        if isinstance(v, dt.date | dt.datetime):
            return v.isoformat()
        if isinstance(v, dict):
            return {k: text_of(x) for k, x in v.items()}
        if isinstance(v, list):
            return [text_of(x) for x in v]
        return v

    def load_as_text(text: str) -> Answer:
        kind, value = load(text)
        return (kind, text_of(value)) if kind == "values" else (kind, value)

    return load_as_text


def rapidyaml_loader() -> Callable[[str], Answer] | None:
    try:
        import ryml
    except ImportError:
        return None

    def value(tree: Any, node: int) -> Any:
        if tree.is_map(node):
            return {bytes(tree.key(c)).decode(): value(tree, c) for c in ryml.children(tree, node)}
        if tree.is_seq(node):
            return [value(tree, c) for c in ryml.children(tree, node)]
        if tree.val_is_null(node):
            return None
        text = bytes(tree.val(node)).decode()
        return text if tree.is_val_quoted(node) else parse._plain(text)

    def load(text: str) -> Answer:
        try:
            tree = ryml.parse_in_arena(text.encode())
        except Exception as exc:  # noqa: BLE001 - any refusal is an answer here
            m = re.search(r"line=(\d+)", str(exc))
            return "error", 1 + int(m.group(1)) if m else 0
        root = tree.root_id()
        if not tree.is_map(root):
            return "values", {}
        return "values", value(tree, root)

    return load


def timed(load: Callable[[str], Answer], texts: list[str], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        gc.disable()
        start = time.perf_counter()
        for text in texts:
            load(text)
        times.append(time.perf_counter() - start)
        gc.enable()
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--contacts", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "netnotes-bench")
    args = ap.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    generated = front_matters(ensure_vault(args.contacts, args.dir))
    hostile = front_matters(REPO / "tests" / "bad_inputs") + \
        front_matters(REPO / "example-vault")
    texts = [t for _, t in generated]
    ways: dict[str, Callable[[str], Answer] | None] = {
        "netnotes": netnotes_now, "pyyaml-c": pyyaml_c,
        "yaml-rs": yaml_rs_loader(), "yaml-rs+": yaml_rs_as_text(),
        "rapidyaml": rapidyaml_loader()}
    print(f"{len(generated):,} front matters of the generated vault, {len(hostile)} of "
          "tests/bad_inputs/ and example-vault/")
    print(f"{'way':<10} {'time':>9} {'µs each':>8} {'differ (vault)':>15} {'differ (hostile)':>17}")
    reference = {name: [netnotes_now(t) for _, t in corpus]
                 for name, corpus in (("vault", generated), ("hostile", hostile))}
    for name, load in ways.items():
        if load is None:
            print(f"{name:<10} not installed")
            continue
        seconds = timed(load, texts, args.rounds)
        differ = {}
        for corpus_name, corpus in (("vault", generated), ("hostile", hostile)):
            differ[corpus_name] = [(path, want, got) for (path, text), want in
                                   zip(corpus, reference[corpus_name], strict=True)
                                   if (got := load(text)) != want]
        print(f"{name:<10} {seconds:>8.3f}s {1e6 * seconds / len(texts):>8.1f} "
              f"{len(differ['vault']):>15} {len(differ['hostile']):>17}")
        for path, want, got in (differ["vault"] + differ["hostile"])[:3]:
            print(f"    {path}: netnotes {_short(want)}; {name} {_short(got)}")
    return 0


def _short(answer: Answer) -> str:
    kind, value = answer
    if kind == "error":
        return f"error on line {value}"
    return "values " + repr(value)[:110]


if __name__ == "__main__":
    sys.exit(main())
