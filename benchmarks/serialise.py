"""Pickle or JSON for the index rows?  Measures both on the NoteRecords of a generated vault.

    python benchmarks/serialise.py [N]      # default N = 2,000

JSON needs a codec of our own (dataclasses, dates and tuples are not JSON), written here as
compactly as it can be: a class tag per object, rebuilt through the constructor.  The figures
decided the cache format (see docs/performance.md): a warm run pays the load cost once per note.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import pickle
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import gen_vault  # noqa: E402

from netnotes.core import dates, errors, model  # noqa: E402
from netnotes.vault import interactions, list_notes, load_config  # noqa: E402
from netnotes.vault import records as index  # noqa: E402

CLASSES = {c.__name__: c for c in (index.NoteRecord, model.Contact, model.CareerStep,
                                   interactions.LogLine, errors.Problem, errors.Source,
                                   dates.Duration, dates.Birthday)}


def to_json(obj: object) -> object:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, object] = {"@": type(obj).__name__}
        for f in dataclasses.fields(obj):
            out[f.name] = to_json(getattr(obj, f.name))
        return out
    if isinstance(obj, dt.date):
        return {"@d": obj.isoformat()}
    if isinstance(obj, (list, tuple)):
        return [to_json(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_json(v) for k, v in obj.items()}
    return obj


def _tuples(v: object) -> object:
    return tuple(_tuples(x) for x in v) if type(v) is list else v


def hook(d: dict) -> object:
    if "@d" in d:
        return dt.date.fromisoformat(d["@d"])
    name = d.pop("@", None)
    if name is None:
        return d
    return CLASSES[name](**{k: (v if k == "extra" else _tuples(v)) for k, v in d.items()})


def measure(label: str, dump, load, records: list) -> None:
    t = time.perf_counter()
    blobs = [dump(r) for r in records]
    t_dump = time.perf_counter() - t
    t = time.perf_counter()
    back = [load(b) for b in blobs]
    t_load = time.perf_counter() - t
    same = back == records
    n = len(records)
    print(f"| {label} | {t_dump / n * 1e6:.0f} µs | {t_load / n * 1e6:.0f} µs | "
          f"{sum(map(len, blobs)) / n:,.0f} B | {'yes' if same else 'NO'} |")


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "vault"
        gen_vault.generate(n, root)
        config, _ = load_config(root)
        notes, _ = list_notes(root, config)
        records = [index.read_note(nf.path.read_bytes(), nf, config) for nf in notes]
    print(f"{len(records):,} NoteRecords of a generated vault (per record):\n")
    print("| format | dump | load | size | round-trips |")
    print("|---|---:|---:|---:|---|")
    measure("pickle (protocol 5)", lambda r: pickle.dumps(r, protocol=5), pickle.loads, records)
    measure("JSON + dataclass codec", lambda r: json.dumps(to_json(r)).encode(),
            lambda b: json.loads(b, object_hook=hook), records)
    return 0


if __name__ == "__main__":
    sys.exit(main())
