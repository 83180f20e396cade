"""`netnotes report --format html`: one self-contained, escaped page with its charts."""

from __future__ import annotations

import re

from conftest import TODAY, note

from netnotes.render import build_report
from netnotes.render.report import report_data
from netnotes.store import load_vault


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
    import netnotes.render.report as report

    root = small_vault(vault)
    original = report.report_data

    def richer(v, today, **_):  # rows made whole, as dicts another issue can add keys to
        data = original(v, today)
        data["network"]["resilience"] = {"bridges": 2, "score": 0.5}
        data["network"]["graph"]["k_cores"] = [3, 1]
        data["strength_table"] = [{"id": "ada-lovelace", "strength": 7.25}]
        for c in data["contacts"]:
            c["warmth"] = 3.5
            c["relationship"]["mood"] = "sunny"
        return data

    monkeypatch.setattr(report, "report_data", richer)
    from conftest import TODAY

    page = report.build_report(load_vault(root), TODAY, "html")
    assert 'id="more-analysis"' in page and "strength table" in page
    assert "resilience" in page and "k cores" in page
    assert "<dt>warmth</dt><dd>3.5</dd>" in page and "<dt>mood</dt><dd>sunny</dd>" in page


def test_known_analysis_has_its_own_views_not_the_generic_box(vault, run):
    root = small_vault(vault)
    page = run(root, "report", "--format", "html").stdout
    assert 'id="more-analysis"' not in page  # every key of the analysis has its place
    for dumped in ("<dt>relationship</dt>", "<dt>strength</dt>", "<dt>edge list</dt>"):
        assert dumped not in page
    for section in ("critical-few", "tier-suggestions", "brokers", "diversity", "introductions",
                    "introductions-made"):
        assert f'id="{section}"' in page, section
    data = report_data(load_vault(root), TODAY)
    assert f'<p class="lead">{data["summary"]}</p>' in page
    ada = next(c for c in data["contacts"] if c["id"] == "ada-lovelace")
    # strength as a bar and a number, in the table and in the person's section, with its parts
    assert f'<span class="score">{ada["strength"]}</span>' in page
    assert f"Why strength {ada['strength']}" in page and "1 × coffee" in page


def test_analysis_views_escape_note_text(vault, run):
    root = vault({
        "people/eve.md": note(
            "Eve <b>Bold</b>", ["2026-10-01 coffee with [[max]] #got", "2025-01-01 call"],
            tier="critical", field="software", interests="['<i>chess</i>', '{{ 7*7 }}']",
            agenda='"find a <script>x</script> {{ 7*7 }} chess expert"', company="Acme",
            role="CTO", history="[{company: '<u>Initech</u>', role: engineer, "
                                "until: 2026-10-01}]"),
        "people/max.md": note("Max & Co", ["2026-11-01 email"], tier="close",
                              field="<em>chess</em>", interests="['<i>chess</i>', '{{ 7*7 }}']"),
        "people/zed.md": note("Zed", ["2026-09-01 call #gave with [[eve]] and [[max]]"],
                              tier="network", interests="['<i>chess</i>', '{{ 7*7 }}']"),
    })
    page = run(root, "report", "--format", "html").stdout
    assert "<b>" not in page and "<script>" not in page and "<u>" not in page
    assert "<em>" not in page and "<i>" not in page
    assert "Eve &lt;b&gt;Bold&lt;/b&gt;" in page and "Max &amp; Co" in page
    assert "find a &lt;script&gt;x&lt;/script&gt; {{ 7*7 }} chess expert" in page  # agenda
    assert "&lt;i&gt;chess&lt;/i&gt;" in page and "{{ 7*7 }}" in page and ">49<" not in page
    assert "(was engineer at &lt;u&gt;Initech&lt;/u&gt;)" in page  # career move
    made = page[page.index('id="introductions-made"'):page.index('id="people"')]
    assert "Eve &lt;b&gt;Bold&lt;/b&gt;</a>" in made and "Max &amp; Co</a>" in made


def test_network_drawing_is_the_analysis_graph(vault):
    root = vault({
        "people/a.md": note("A", knows='["[[b]]"]'),
        "people/b.md": note("B"),
        "people/c.md": note("C", introduced_by='"[[d]]"'),
        "people/d.md": note("D", ["2026-01-01 call with [[c]]"]),
        "people/e.md": note("E"),
    })
    v = load_vault(root)
    data = report_data(v, TODAY)
    g = data["network"]["graph"]
    assert [(e["a"], e["b"], e["via"]) for e in g["edge_list"]] == [
        ("a", "b", ["knows"]), ("c", "d", ["introduced_by", "together"])]
    page = build_report(v, TODAY, "html")
    # one line per tie of the analysis, titled with how it was made
    assert page.count('class="edge"') == len(g["edge_list"]) == 2
    assert "C – D: introduced, met together" in page
    # colours follow the analysis's communities; E, tied to nobody, is grey
    colour = {n: c for c, n in re.findall(r'class="node (\S+)"><title>(\w) ', page)}
    assert colour["A"] == colour["B"] != colour["C"] == colour["D"]
    assert colour["E"] == "none"
    assert [cl["members"] for cl in g["communities"]] == [
        [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        [{"id": "c", "name": "C"}, {"id": "d", "name": "D"}]]
    assert build_report(v, TODAY, "html") == page  # deterministic


def test_whom_each_card_knows_is_listed_for_the_carded_people_only(vault):
    """Only a person's card lists whom they know, so the drawing sorts those lists for the
    people with a card, not for every contact of a big vault; a card's list is as before."""
    from netnotes.render.charts import html_context, network_graph

    root = vault({
        "people/a.md": note("A", knows='["[[b]]", "[[c]]"]'),
        "people/b.md": note("B", knows='["[[c]]"]'),
        "people/c.md": note("C"),
        "people/d.md": note("D", knows='["[[a]]"]'),
    })
    v = load_vault(root)
    data = report_data(v, TODAY)
    every = network_graph(v, data["contacts"], data["network"]["graph"])["neighbours"]
    assert every["a"] == ["b", "c", "d"]
    html = html_context(v, TODAY, data, None, limit=1)
    assert html["graph"]["neighbours"]
    assert set(html["graph"]["neighbours"]) <= html["carded"] < set(every)
    assert all(html["graph"]["neighbours"][i] == every[i] for i in html["graph"]["neighbours"])


def test_a_bounded_page_works_out_whole_rows_only_for_the_people_it_shows(vault, monkeypatch):
    """An HTML report lists at most per_section people a section, so of a vault of 120 people
    it makes whole (with their explanations) only the rows it shows; the charts read what they
    need of everyone.  The page is the same, byte for byte, as one made from every whole row."""
    import netnotes.render.report as report
    import netnotes.render.rows as rows

    people = {f"people/p{k:03d}.md": note(
        f"Person {k:03d}",
        [f"2026-{1 + k % 11:02d}-0{1 + k % 9} call {'#gave' if k % 3 else '#got'}"],
        tier=("critical", "close", "network")[k % 3], knows=f'"[[p{(k + 1) % 120:03d}]]"')
        for k in range(120)}
    root = vault({**people, "netnotes.toml": "[report]\nper_section = 3\n"})
    made = []
    whole = rows.LazyRow.whole
    monkeypatch.setattr(rows.LazyRow, "whole",
                        lambda row: made.append(row) or whole(row))
    page = build_report(load_vault(root), TODAY, "html")
    shown = {id(row) for row in made}
    assert 0 < len(shown) <= 40  # lists of three, their cards, the balance chart's dozen

    every_row = report.report_data
    monkeypatch.setattr(report, "report_data", lambda v, today, **_: every_row(v, today))
    assert build_report(load_vault(root), TODAY, "html") == page
