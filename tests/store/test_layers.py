"""benchmarks/layers.py switches each speed layer off from outside: every switch still gives the
report that the layers give (what it times must be the same work)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import REPO, TODAY


@pytest.mark.parametrize("layer", ["answers", "memo", "index", "gcpause", "bytecode"])
def test_a_report_without_each_layer_is_the_same_report(example_vault, layer):
    env = os.environ | {"PYTHONPATH": str(REPO / "src"), "NO_COLOR": "1"}
    args = ["--vault", str(example_vault), "--today", TODAY.isoformat(), "report"]

    def run(*off: str) -> str:
        cmd = [sys.executable, str(REPO / "benchmarks/layers.py"), "run", *off, *args]
        return subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout

    assert run(f"--without={layer}") == run()
