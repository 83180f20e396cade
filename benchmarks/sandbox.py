"""What rendering the built-in report templates in the sandbox would cost.

    PYTHONPATH=src python benchmarks/sandbox.py [contacts] [runs]

Vault templates always render in the sandbox (render.sandbox).  This times our own templates
rendered whole from the same report data in the ordinary environment and in the sandbox (with
its budget: every loop step, call, attribute and operator counted), for each format: the median
of ``runs`` renders, in-process, after one warm-up render of each.  Uses the synthetic vault of
benchmarks/intel.py, so runs compare.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from intel import TODAY, synthetic  # noqa: E402

from netnotes.render import environment as render  # noqa: E402
from netnotes.render.charts import html_context  # noqa: E402
from netnotes.render.report import report_data  # noqa: E402
from netnotes.render.sandbox import SandboxEnvironment  # noqa: E402


def timed(sandboxed: bool, name: str, data: dict[str, Any], runs: int) -> float:
    env = render.make_environment(None, sandboxed=sandboxed)
    assert isinstance(env, SandboxEnvironment) == sandboxed
    render.render_in(env, name, data)  # warm-up: compiled once
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        render.render_in(env, name, data)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    vault = synthetic(n)
    data = report_data(vault, TODAY)
    data["only"] = None
    data["html"] = html_context(vault, TODAY, data, None)
    print(f"{n} contacts, median of {runs} renders")
    print(f"{'format':10} {'ordinary':>10} {'sandbox':>10} {'cost':>8}")
    for fmt, name in render.FORMATS.items():
        plain = timed(False, name, data, runs)
        boxed = timed(True, name, data, runs)
        print(f"{fmt:10} {plain * 1000:8.1f}ms {boxed * 1000:8.1f}ms {boxed / plain - 1:+7.0%}")


if __name__ == "__main__":
    main()
