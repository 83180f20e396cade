"""The main job end to end: `netnotes report` over small vaults written in tmp_path."""

from __future__ import annotations

import datetime as dt
import json

from conftest import DEFAULT_TOML, note, snapshot


def test_overdue_contact_is_listed_with_reason(vault, run):
    root = vault({
        "people/ada-lovelace.md": note("Ada Lovelace", ["2026-03-01 coffee at the café #got"],
                                       tier="critical", agenda="publish her notes"),
        "people/grace-hopper.md": note("Grace Hopper", ["2026-11-01 call"], tier="critical"),
    })
    before = snapshot(root)
    result = run(root, "report")
    assert result.exit_code == 0, result.output
    out = result.stdout
    overdue = out.split("OVERDUE (1)")[1].split("DUE SOON")[0]
    assert "Ada Lovelace" in overdue and "Grace Hopper" not in overdue
    assert "your turn" in overdue  # she paid last (#got)
    assert "→ ask how it goes: publish her notes" in overdue
    assert snapshot(root) == before  # reading never writes a note


def test_json_shape_is_stable(vault, run):
    root = vault({"people/ada.md": note("Ada", ["2025-01-01 email"], tier="close")})
    data = json.loads(run(root, "report", "--format", "json").stdout)
    assert data["netnotes_report"] == 1
    assert data["today"] == "2026-11-22"
    row = data["overdue"][0]
    assert row["id"] == "ada"
    assert row["last_contact"]["date"] == "2025-01-01"
    assert row["last_contact"]["kind"] == "email"
    assert row["due"] == "2025-07-01"
    assert row["days_overdue"] == (dt.date(2026, 11, 22) - dt.date(2025, 7, 1)).days


def test_broken_note_is_reported_and_others_still_shown(vault, run):
    root = vault({
        "people/ada.md": note("Ada", ["2020-01-01 call"]),
        "people/broken.md": "---\nname: [\n---\n",
    })
    result = run(root, "report")
    assert result.exit_code == 0
    assert "Ada" in result.stdout
    assert "people/broken.md:3:1: error: front matter is not valid YAML" in result.stdout
    assert f"1 note skipped — run `netnotes --vault {root} check`" in result.stderr


def test_no_vault_is_a_clear_error(tmp_path, run, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(None, "report")
    assert result.exit_code == 1
    assert "no vault here" in result.stderr and "netnotes init" in result.stderr


def test_usage_error_exits_2(vault, run):
    root = vault({})
    assert run(root, "report", "--format", "pdf").exit_code == 2


def _crowd(vault, per_section: int | None = 3):
    """Fifteen overdue people, each a little stronger than the one before, and a setting."""
    files = {f"people/p{k:02d}.md": note(f"Person {k:02d}",
                                         [f"2025-{1 + k % 9:02d}-0{1 + k % 8} call"] * (1 + k % 4),
                                         tier="close")
             for k in range(15)}
    toml = DEFAULT_TOML + (f"\n[report]\nper_section = {per_section}\n"
                           if per_section is not None else "")
    return vault(files, toml)


def test_a_report_lists_a_few_people_a_section_and_says_how_to_see_the_rest(vault, run):
    """A big vault's report is as long as a small one's: each section lists per_section people
    and says how many more there are; --all and JSON have everyone."""
    root = _crowd(vault)
    out = run(root, "report").stdout
    overdue = out.split("OVERDUE (15)")[1].split("DUE SOON")[0]
    assert overdue.count("Person ") == 3
    assert "… 12 more overdue — `netnotes overdue` lists them all" in overdue
    strongest = out.split("STRONGEST (3 of 15)")[1].split("INTRODUCTIONS")[0]
    assert strongest.count("Person ") == 3
    assert "every relationship, all 15: `netnotes report --all`" in strongest
    assert "RELATIONSHIPS" not in out
    # the figures still count everyone
    assert "close        6 months            15        15" in out

    everyone = run(root, "report", "--all").stdout
    assert everyone.split("OVERDUE (15)")[1].split("DUE SOON")[0].count("Person ") == 15
    assert everyone.split("RELATIONSHIPS")[1].split("INTRODUCTIONS")[0].count("Person ") == 15
    assert "more overdue" not in everyone
    assert run(root, "overdue").stdout.count("Person ") == 15

    md = run(root, "report", "--format", "markdown").stdout
    assert md.split("## Overdue (15)")[1].split("## Due soon")[0].count("| Person ") == 3
    assert "… 12 more overdue — `netnotes overdue` lists them all." in md

    html = run(root, "report", "--format", "html").stdout
    assert html.count('class="card person"') < 15  # cards only for the people it names
    assert "12 more overdue" in html
    assert run(root, "report", "--format", "html", "--all").stdout.count(
        'class="card person"') == 15

    data = json.loads(run(root, "report", "--format", "json").stdout)
    assert len(data["contacts"]) == 15 and len(data["overdue"]) == 15
    assert "strongest" not in data and "limit" not in data


def test_the_strongest_come_first(vault, run):
    root = _crowd(vault, per_section=2)
    out = run(root, "report").stdout
    strongest = out.split("STRONGEST (2 of 15)")[1].split("INTRODUCTIONS")[0]
    scores = [int(line.split()[-1]) for line in strongest.splitlines()
              if line.startswith("  Person ")]
    data = json.loads(run(root, "report", "--format", "json").stdout)
    assert scores == sorted((c["strength"] for c in data["contacts"]), reverse=True)[:2]


def test_a_bad_per_section_is_a_config_problem(vault, run):
    root = _crowd(vault, per_section=0)
    result = run(root, "check")
    assert "per_section must be a whole number of people, at least 1" in result.stdout
    assert "netnotes.toml:" in result.stdout


def test_json_narrowed_for_scripts(vault, run):
    """--since keeps the contacts last in touch from that day on; --fields keeps only those keys
    (and the id) of each; the network's figures stay whole, and `narrowed` says what was left
    out.  The same answer from the notes, from the memo after an edit, and from a stored one."""
    root = vault({
        "people/ada.md": note("Ada", ["2026-11-10 call"], tier="close"),
        "people/bob.md": note("Bob", ["2026-03-01 lunch"], tier="close"),
        "people/cy.md": note("Cy", [], tier="close"),
    })
    args = ["report", "--format", "json", "--since", "2026-11-01", "--fields", "tier,name"]
    data = json.loads(run(root, *args).stdout)
    assert data["contacts"] == [{"id": "ada", "name": "Ada", "tier": "close"}]
    assert data["overdue"] == [] and data["due_soon"] == []
    assert data["narrowed"] == {"since": "2026-11-01", "fields": ["id", "name", "tier"],
                                "contacts": 1, "of": 3}
    assert data["network"]["contacts"] == 3
    assert json.loads(run(root, *args).stdout) == data  # the stored answer
    assert json.loads(run(root, "--no-cache", *args).stdout) == data
    late = json.loads(run(root, "report", "--format", "json", "--fields", "days_overdue").stdout)
    assert sorted(r["id"] for r in late["overdue"]) == ["bob", "cy"]
    assert set(late["overdue"][0]) == {"id", "days_overdue"}
    (root / "people/bob.md").write_text(note("Bob", ["2026-03-01 lunch", "2026-11-20 call"],
                                             tier="close"), encoding="utf-8")
    again = json.loads(run(root, *args).stdout)  # the memo makes Bob again, keeps Ada's text
    assert [r["id"] for r in again["contacts"]] == ["ada", "bob"]
    assert again == json.loads(run(root, "--no-cache", *args).stdout)
    whole = json.loads(run(root, "report", "--format", "json").stdout)
    assert "narrowed" not in whole and len(whole["contacts"]) == 3


def test_json_narrowing_says_what_is_wrong(vault, run):
    root = vault({"people/ada.md": note("Ada", ["2026-11-10 call"])})
    bad = run(root, "report", "--format", "json", "--fields", "name,nme")
    assert bad.exit_code == 2 and "nme is not a key of a contact" in bad.stderr
    text = run(root, "report", "--since", "2026-01-01")
    assert text.exit_code == 2 and "add --format json" in text.stderr
    date = run(root, "report", "--format", "json", "--since", "yesterday-ish")
    assert date.exit_code == 2


def test_problem_counts_say_one_in_the_singular(vault, run):
    """One broken note is "1 error", one skipped "1 note", in every human format."""
    root = vault({
        "people/ada.md": note("Ada", ["2020-01-01 call"]),
        "people/broken.md": "---\nname: [\n---\n",
    })
    text = run(root, "report").stdout
    assert "PROBLEMS (1 error, 0 warnings, 1 note skipped)" in text
    markdown = run(root, "report", "--format", "markdown").stdout
    assert "## Problems (1 error, 0 warnings, 1 note skipped)" in markdown
    html = run(root, "report", "--format", "html").stdout
    assert "(1 error, 0 warnings, 1 note skipped)" in html
