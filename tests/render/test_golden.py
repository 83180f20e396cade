"""Golden reports of example-vault/ at a pinned date: any change to what users see shows up as a
diff here.  After an intended change, regenerate them with

    NETNOTES_UPDATE_GOLDEN=1 pytest tests/test_golden.py

and read the diff before committing it.
"""

from __future__ import annotations

import os

import pytest
from conftest import EXAMPLE

GOLDEN = EXAMPLE.parent / "tests" / "golden"

CASES = {
    "report.txt": ["report"],
    "report-all.txt": ["report", "--all"],
    "report-all.md": ["report", "--all", "--format", "markdown"],
    "report.md": ["report", "--format", "markdown"],
    "report.json": ["report", "--format", "json"],
    "report.html": ["report", "--format", "html"],
    "overdue.txt": ["overdue"],
    "show-mira.txt": ["show", "mira"],
    "list-critical.txt": ["list", "--tier", "critical"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name, run, example_vault):
    result = run(example_vault, *CASES[name])
    assert result.exit_code == 0, result.output
    path = GOLDEN / name
    if os.environ.get("NETNOTES_UPDATE_GOLDEN"):
        path.write_text(result.stdout, encoding="utf-8")
    assert path.exists(), f"no golden file {name}: run NETNOTES_UPDATE_GOLDEN=1 pytest {__file__}"
    assert result.stdout == path.read_text(encoding="utf-8")


def test_same_vault_same_day_is_byte_identical(run, example_vault):
    first = run(example_vault, "report", "--format", "json").stdout
    assert run(example_vault, "report", "--format", "json").stdout == first


@pytest.mark.parametrize("args", [["report"], ["overdue"], ["list"], ["show", "mira"],
                                  ["show", "daniel"]])
def test_text_output_fits_80_columns(run, args, example_vault):
    from netnotes.render.environment import display_width

    out = run(example_vault, *args).stdout
    too_wide = [line for line in out.splitlines() if display_width(line) > 80]
    assert too_wide == []
