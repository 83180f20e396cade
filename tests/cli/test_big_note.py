"""One note at the size limit cannot make a command's output, time or memory huge: every view of
it lists a bounded number of lines and counts the rest (the figures are in docs/performance.md,
measured with benchmarks/big_note.py)."""

from __future__ import annotations

import datetime as dt
import json

from conftest import note

from netnotes.core import HISTORY_LISTED as HISTORY_SHOWN
from netnotes.render.charts import HISTORY_SHOWN as CARD_LINES
from netnotes.vault import MAX_NOTE_BYTES


def _big_log(size: int) -> tuple[str, int]:
    head = note("Amara Oduya", tier="close") + "\n## Log\n"
    lines, total, day = [], len(head), dt.date(1990, 1, 1)
    while True:
        line = f"- {(day + dt.timedelta(days=len(lines) // 40)).isoformat()} call {len(lines)}\n"
        if total + len(line) > size:
            return head + "".join(lines), len(lines)
        lines.append(line)
        total += len(line)


def test_a_note_at_the_size_limit_is_read_and_every_view_of_it_is_bounded(vault, run, tmp_path):
    text, n = _big_log(MAX_NOTE_BYTES - 10)
    root = vault({"people/amara.md": text, "people/ada.md": note("Ada Lovelace", ["2026-01-01 x"])})
    shown = run(root, "show", "amara")
    assert shown.exit_code == 0
    assert f"History ({n}; the newest {HISTORY_SHOWN} shown" in shown.stdout
    assert shown.stdout.count("\n") < HISTORY_SHOWN + 80
    data = json.loads(run(root, "show", "amara", "--format", "json").stdout)
    assert len(data["history"]) == HISTORY_SHOWN and data["history_total"] == n
    assert data["history"][0]["text"] == f"call {n - 1}"  # the newest first
    out = tmp_path / "report.html"
    assert run(root, "report", "--format", "html", "--out", str(out)).exit_code == 0
    page = out.read_text()
    card = CARD_LINES  # a bounded report's card
    assert page.count("call ") <= card + 10 and f"… {n - card} earlier in the note" in page
    assert len(page) < 1_000_000
    assert run(root, "report", "--format", "html", "--all", "--out", str(out)).exit_code == 0
    page = out.read_text()  # every contact, and still the newest HISTORY_SHOWN lines of each
    assert page.count("call ") <= HISTORY_SHOWN + 10
    assert f"… {n - HISTORY_SHOWN} earlier in the note" in page and len(page) < 1_000_000
    for fmt in ("json", "text", "markdown"):
        assert len(run(root, "report", "--format", fmt).stdout) < 200_000
    # a line that would take the note past the limit (where it would stop being read) is refused
    before = (root / "people/amara.md").read_bytes()
    refused = run(root, "log", "amara", "a long lunch at the market " * 3, "--date", "2026-11-20")
    assert refused.exit_code == 1 and "size limit" in refused.stderr
    assert (root / "people/amara.md").read_bytes() == before
    # …and one that fits goes in
    (root / "people/amara.md").write_bytes(before[:-1000].rsplit(b"\n", 1)[0] + b"\n")
    logged = run(root, "log", "amara", "lunch", "--date", "2026-11-20")
    assert logged.exit_code == 0, logged.output
    assert (root / "people/amara.md").read_text().endswith("- 2026-11-20 lunch\n")
