"""Should the JSON report be written by orjson or msgspec instead of the standard library?

    python benchmarks/json_encoders.py                  # 10,000 contacts, 5 rounds
    python benchmarks/json_encoders.py --contacts 1000

The generated vault's whole report data (``report.report_data``, every contact) is encoded in
this process, ``--rounds`` times each way, and each output is compared with what netnotes prints
(``json.dumps(data, indent=2, ensure_ascii=False)``, which the JSON report is byte for byte):

  json          json.dumps(indent=2, ensure_ascii=False): the standard library as it is
  jsonout-      netnotes.render.jsonout.pieces with the standard library only: the same text, its C
                encoder driven container by container (what netnotes used before orjson)
  jsonout       netnotes.render.jsonout.pieces as netnotes writes now: each row by orjson, checked
                for the floats orjson writes otherwise (needs orjson)
  orjson        orjson.dumps(option=OPT_INDENT_2), decoded to text: the whole report at once
  msgspec       msgspec.json.encode, then msgspec.json.format(indent=2), decoded to text

orjson and msgspec (``pip install orjson msgspec``) are measured when installed; they are not
dependencies of netnotes.  Prints the median time of each, its output size, and whether it is
byte-identical to netnotes' JSON (and where it first differs when not).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
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
from run import TODAY, ensure_vault  # noqa: E402

from netnotes.render.jsonout import pieces  # noqa: E402
from netnotes.render.report import report_data  # noqa: E402
from netnotes.store import read_vault  # noqa: E402


def encoders() -> dict[str, Callable[[Any], str] | None]:
    from netnotes.render import jsonout

    def standard_only(d: Any) -> str:
        kept, jsonout.orjson = jsonout.orjson, None
        try:
            return "".join(pieces(d))
        finally:
            jsonout.orjson = kept

    ways: dict[str, Callable[[Any], str] | None] = {
        "json": lambda d: json.dumps(d, indent=2, ensure_ascii=False),
        "jsonout-": standard_only,
        "jsonout": (lambda d: "".join(pieces(d, finite=True))) if jsonout.orjson is not None
        else None,
    }
    try:
        import orjson

        ways["orjson"] = lambda d: orjson.dumps(d, option=orjson.OPT_INDENT_2).decode()
    except ImportError:
        ways["orjson"] = None
    try:
        import msgspec

        ways["msgspec"] = lambda d: msgspec.json.format(msgspec.json.encode(d),
                                                        indent=2).decode()
    except ImportError:
        ways["msgspec"] = None
    return ways


def first_difference(a: str, b: str) -> str:
    for k, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return f"at character {k}: {a[max(0, k - 30):k + 30]!r} / {b[max(0, k - 30):k + 30]!r}"
    return f"lengths {len(a)} / {len(b)}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--contacts", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "netnotes-bench")
    args = ap.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    vault, _ = read_vault(ensure_vault(args.contacts, args.dir))
    data = report_data(vault, dt.date.fromisoformat(TODAY))
    want = json.dumps(data, indent=2, ensure_ascii=False)
    print(f"{args.contacts:,} contacts: the whole report data, {len(want.encode()) / 1e6:.1f} MB "
          f"of JSON; medians of {args.rounds} rounds")
    for name, encode in encoders().items():
        if encode is None:
            print(f"  {name:<8} not installed")
            continue
        times = []
        for _ in range(args.rounds):
            gc.disable()
            start = time.perf_counter()
            got = encode(data)
            times.append(time.perf_counter() - start)
            gc.enable()
            del got
        got = encode(data)
        same = "byte-identical" if got == want else "DIFFERS " + first_difference(want, got)
        print(f"  {name:<8} {statistics.median(times):7.3f} s  {len(got.encode()) / 1e6:6.1f} MB"
              f"  {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
