"""The main job end to end: `netnotes report` over small vaults written in tmp_path."""

from __future__ import annotations

import datetime as dt
import json

from conftest import note, snapshot


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
    assert "1 note skipped — run `netnotes check`" in result.stderr


def test_no_vault_is_a_clear_error(tmp_path, run, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(None, "report")
    assert result.exit_code == 1
    assert "no vault here" in result.stderr and "netnotes init" in result.stderr


def test_usage_error_exits_2(vault, run):
    root = vault({})
    assert run(root, "report", "--format", "pdf").exit_code == 2
