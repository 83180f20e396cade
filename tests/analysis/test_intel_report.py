"""The relationship intelligence as a user sees it: in every report format and in `show`."""

from __future__ import annotations

import json

from conftest import note

from netnotes.render.environment import display_width

FILES = {
    "people/ada-lovelace.md": note(
        "Ada Lovelace", ["2026-11-12 meeting at her office #got", "2025-06-01 dinner #gave"],
        tier="critical", field="software", interests="[chess, poetry]",
        agenda="find a compilers expert", company="Acme", role="CTO",
        history="[{company: Initech, role: engineer, until: 2026-10-01}]"),
    "people/grace-hopper.md": note("Grace Hopper", ["2025-01-05 call"], tier="close",
                                   field="compilers", interests="[poetry]"),
    "people/linus.md": note("Linus", ["2026-02-01 email"], field="software",
                            knows='["[[ada-lovelace]]"]'),
    "journal/2026-05-02.md": "- intro [[linus]] to [[grace-hopper]] #gave\n",
}


def test_text_report_opens_with_the_paragraph_and_shows_every_measure(vault, run):
    root = vault(FILES)
    out = run(root, "report").stdout
    head = " ".join(out.split("OVERDUE")[0].split())  # the paragraph is wrapped at 78
    assert "3 contacts; 1 in your critical few, fewer than the 5 to 24" in head
    assert "including 1 introduction" in head
    for section in ("THE CRITICAL FEW", "DIVERSITY", "GRAPH", "INTRODUCTIONS"):
        assert section in out
    rel = out.split("STRONGEST")[1].split("INTRODUCTIONS")[0]  # every one of 3: per_section 10
    assert "Score" in rel
    # meeting 10 days ago 3·½^(10/180) = 2.887, dinner 539 days ago 3·½^(539/180) = 0.375
    # → 3.262 points → 100·(1 − e^(−0.652)) = 48
    ada_line = next(line for line in rel.splitlines() if "Ada Lovelace" in line)
    assert ada_line.rstrip().endswith(" 48")
    assert "Ada Lovelace ↔ Grace Hopper" in out.split("INTRODUCTIONS")[1]
    assert all(display_width(line) <= 80 for line in out.splitlines()), "fits 80 columns"
    assert run(root, "report").stdout == out  # deterministic


def test_markdown_report_has_the_new_sections(vault, run):
    md = run(vault(FILES), "report", "--format", "markdown").stdout
    for heading in ("## The critical few", "## Diversity", "## The graph", "## Introductions"):
        assert heading in md
    assert "| Name | Tier | Last contact | 12 months | Gave / got | Strength | Trend | Summary |" \
        in md
    assert md.split("\n")[2].startswith("3 contacts; 1 in your critical few")


def test_json_keeps_old_keys_and_adds_the_new_ones(vault, run):
    data = json.loads(run(vault(FILES), "report", "--format", "json").stdout)
    assert data["summary"].startswith("3 contacts;")
    net = data["network"]
    for key in ("contacts", "tiers", "top_tier", "fields", "birthdays", "never_contacted",
                "critical_few", "cooling", "tier_suggestions", "diversity", "graph",
                "introductions", "introductions_made"):
        assert key in net
    ada = next(c for c in data["contacts"] if c["id"] == "ada-lovelace")
    assert (ada["strength"], ada["trend"]) == (48, "steady")  # a meeting vs a dinner: 3 vs 3
    rel = ada["relationship"]
    assert rel["strength"]["parts"][0] == {"kind": "meeting", "count": 1, "weight": 3.0,
                                           "points": 2.887}
    assert rel["reciprocity"]["turn"] == "yours"
    assert rel["career_moves"][0]["to_company"] == "Acme"
    assert rel["common_ground"]["helpers"] == [
        {"id": "grace-hopper", "name": "Grace Hopper", "matches": ["field compilers"]}]
    assert net["graph"]["edge_list"] == [
        {"a": "ada-lovelace", "b": "linus", "via": ["knows"]},
        {"a": "grace-hopper", "b": "linus", "via": ["together"]}]
    assert net["introductions_made"]["last_12m"] == 1
    assert [b["id"] for b in net["graph"]["brokers"]] == ["linus"]


def test_show_explains_the_strength_score(vault, run):
    out = run(vault(FILES), "show", "ada").stdout
    assert "Strength 48/100, steady: kind weights, halved every 180 days of age" in out
    assert "1 × meeting    weight 3.0  →   2.89 points" in out
    assert "1 × dinner     weight 3.0  →   0.38 points" in out
    assert "= 3.26 points; score = 100 × (1 − e^(−3.26 / 5.0)) = 48" in out
    assert "Career: moved to CTO at Acme (was engineer at Initech) in Oct 2026" in out
    assert "Could help with their agenda: Grace Hopper (field compilers)" in out
    reasons = out.split("Reasons to reach out:")[1]
    assert reasons.index("congratulate them") < reasons.index("introduce them to Grace")
    data = json.loads(run(vault(FILES), "show", "ada", "--format", "json").stdout)
    assert data["strength"] == 48 and data["relationship"]["trend"]["label"] == "steady"
