"""`netnotes report --format html`: one self-contained, escaped page with its charts."""

from __future__ import annotations

import re

from conftest import note

from netnotes.charts import clusters, edges
from netnotes.index import load_vault


def small_vault(vault):
    return vault({
        "people/ada-lovelace.md": note(
            "Ada Lovelace", ["2026-03-01 coffee with [[grace-hopper]] #got",
                             "2026-12-01 lunch planned"],
            tier="critical", knows='["[[grace-hopper]]"]', field="computing"),
        "people/grace-hopper.md": note("Grace Hopper", ["2026-11-01 call #gave"], tier="close",
                                       introduced_by='"[[ada-lovelace]]"'),
        "people/alan-turing.md": note("Alan Turing", ["2025-01-01 email"], tier="network"),
    })


def test_html_report_is_one_self_contained_page(vault, run, tmp_path):
    root = small_vault(vault)
    out = tmp_path / "site" / "report.html"
    out.parent.mkdir()
    result = run(root, "report", "--format", "html", "--out", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # nothing from the network, no script needed
    assert not re.search(r"<script|<link|@import|url\(|src=", page, re.I)
    assert "http://" not in page and "https://" not in page
    assert "prefers-color-scheme: dark" in page and "@media print" in page
    # the order people read it in: summary and overdue first, then relationships, then network
    order = [page.index(f'id="{s}"') for s in
             ("summary", "overdue", "relationships", "network", "people")]
    assert order == sorted(order)
    for chart in ("chart-heatmap", "chart-tiers", "chart-balance", "chart-network"):
        assert f'id="{chart}"' in page
    # each contact has its own section, linked from the lists, with a link to its note file
    assert 'id="c-ada-lovelace"' in page and 'href="#c-ada-lovelace"' in page
    assert 'href="../vault/people/ada-lovelace.md"' in page
    assert "lunch planned" in page  # the history, plans included
    # the same vault and day give the same bytes
    run(root, "report", "--format", "html", "--out", str(tmp_path / "again.html"))
    again = (tmp_path / "again.html").read_text(encoding="utf-8")
    assert again.replace("../vault/", "vault/") == page.replace("../vault/", "vault/")


def test_note_text_is_shown_literally_never_run(vault, run):
    root = vault({"people/eve.md": note(
        "Eve <script>alert(1)</script>",
        ["2026-11-01 coffee {{ 7*7 }} and <img src=x onerror=alert(2)> & {% raw %}"],
        company="'{{ 7*7 }}'")})
    page = run(root, "report", "--format", "html").stdout
    assert "<script>" not in page and "<img" not in page
    assert "Eve &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "coffee {{ 7*7 }} and" in page and "coffee 49" not in page
    assert '<div class="sub">{{ 7*7 }}</div>' in page
    assert "&lt;img src=x onerror=alert(2)&gt; &amp; {% raw %}" in page


def test_vault_template_overrides_ours(vault, run):
    root = vault({"people/ada.md": note("Ada"),
                  "templates/report.html.j2": "<p>{{ network.contacts }} {{ vault }}</p>\n"})
    assert run(root, "report", "--format", "html").stdout == "<p>1 vault</p>\n"


def test_broken_user_template_names_template_and_line(vault, run):
    root = vault({"people/ada.md": note("Ada"),
                  "templates/report.html.j2": "<p>\n{{ network.contacts }}\n{% if %}\n"})
    result = run(root, "report", "--format", "html")
    assert result.exit_code == 1
    assert "report.html.j2:3: template error" in result.stderr
    assert "Traceback" not in result.stderr


def test_template_tolerates_new_analysis_keys(vault, monkeypatch):
    """Another issue adds keys to report_data; the page shows them instead of breaking."""
    import netnotes.report as report

    root = small_vault(vault)
    original = report.report_data

    def richer(v, today):
        data = original(v, today)
        data["network"]["diversity"] = {"fields": 2, "score": 0.5}
        data["strength_table"] = [{"id": "ada-lovelace", "strength": 7.25}]
        for c in data["contacts"]:
            c["strength"] = 3.5
        return data

    monkeypatch.setattr(report, "report_data", richer)
    from conftest import TODAY

    page = report.build_report(load_vault(root), TODAY, "html")
    assert 'id="more-analysis"' in page and "strength table" in page and "diversity" in page
    assert "<dt>strength</dt><dd>3.5</dd>" in page


def test_graph_edges_and_clusters_are_deterministic(vault):
    root = vault({
        "people/a.md": note("A", knows='["[[b]]"]'),
        "people/b.md": note("B"),
        "people/c.md": note("C", introduced_by='"[[d]]"'),
        "people/d.md": note("D", ["2026-01-01 call with [[c]]"]),
        "people/e.md": note("E"),
    })
    v = load_vault(root)
    links = edges(v)
    assert set(links) == {("a", "b"), ("c", "d")}
    assert links[("c", "d")]["why"] == {"introduced", "met together"}
    labels = clusters(sorted(v.by_id), links)
    assert labels["a"] == labels["b"] != labels["c"] == labels["d"]
    assert labels["e"] == "e"
