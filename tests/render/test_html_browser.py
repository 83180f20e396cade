"""The HTML report in a real browser: headless Chromium loads the example vault's report, the
overdue list, the charts and the network drawing are on screen, nothing is logged as an error,
and a screenshot is kept in test-artifacts/ for people to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cdp import CHROMIUM, Chromium
from conftest import EXAMPLE, REPO, TODAY

from netnotes.render import build_report
from netnotes.render.report import report_data
from netnotes.store import load_vault

ARTIFACTS = REPO / "test-artifacts"


def _need_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{CHROMIUM} is missing on CI: .ci/run must `apt-get install -y chromium`")
    pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium) — browser test skipped")


VISIBLE = """(sel => { const el = document.querySelector(sel); if (!el) return 'missing';
  const r = el.getBoundingClientRect(), s = getComputedStyle(el);
  return (r.width > 20 && r.height > 20 && s.display !== 'none' && s.visibility !== 'hidden'
          && s.opacity !== '0') ? 'visible' : `hidden ${r.width}x${r.height}`; })"""


def test_example_report_renders_in_chromium(tmp_path: Path) -> None:
    _need_chromium()
    if not list((EXAMPLE / "people").glob("*.md")):
        pytest.skip("example-vault/ has no notes yet")
    page = tmp_path / "report.html"
    vault = load_vault(EXAMPLE)
    page.write_text(build_report(vault, TODAY, "html", out=page),
                    encoding="utf-8")
    with Chromium() as browser:
        browser.open(page.as_uri())
        for sel in ("#overdue", "#chart-heatmap svg", "#chart-tiers svg", "#chart-balance",
                    "#chart-network svg", "#people", "p.lead", "#critical-few .scale",
                    "#diversity table", "#brokers table", "#introductions"):
            assert browser.evaluate(f"{VISIBLE}({sel!r})") == "visible", sel
        data = report_data(vault, TODAY)
        nodes = browser.evaluate("document.querySelectorAll('#chart-network circle.node').length")
        assert nodes == len(vault.contacts) or nodes >= 100
        # the drawing shows the analysis's own ties, each one a line on screen
        assert browser.evaluate("document.querySelectorAll('#chart-network line.edge').length") \
            == len(data["network"]["graph"]["edge_list"])
        # a strength bar is as wide as the score says (a 0 bar is empty, not full)
        widths = browser.evaluate("""[...document.querySelectorAll('#relationships tbody tr')]
          .map(r => { const m = r.querySelector('.meter'), b = m.firstElementChild;
                      return Math.round(100 * b.getBoundingClientRect().width
                                        / m.getBoundingClientRect().width); })""")
        # the table lists the strongest few ([report] per_section), strongest first
        limit = vault.config.per_section
        assert widths == [c["strength"] for c in data["strongest"][:limit]]
        # compact: the analysis has its own views and person cards fold long histories, so
        # 30 contacts fit in about 14 screens (generic dumps of the analysis once made it 60)
        height = browser.evaluate("document.documentElement.scrollHeight")
        assert height < 20_000, height
        assert browser.evaluate("document.querySelectorAll('#chart-heatmap rect').length") >= 365
        rows = browser.evaluate("document.querySelectorAll('#overdue tbody tr').length")
        assert rows == min(len(data["overdue"]), limit)
        assert browser.evaluate("document.querySelector('#overdue p.more').textContent") \
            .startswith(f"… {len(data['overdue']) - limit} more overdue")
        assert browser.console_errors() == []
        assert [u for u in browser.requests() if not u.startswith("file:")] == []
        browser.screenshot(ARTIFACTS / "report.png")
        browser.open(page.as_uri(), dark=True)
        assert browser.console_errors() == []
        browser.screenshot(ARTIFACTS / "report-dark.png", full_page=False)
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000
