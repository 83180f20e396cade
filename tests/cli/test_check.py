"""`netnotes check`: one line per problem, a count, and an exit code scripts can trust.

Also the promises behind it: the loader never raises (hypothesis), a front matter nested 50,000
levels deep does not kill the process, YAML tags build no objects, and values YAML 1.1 would
change are read as written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE, REALWORLD, REPO, TODAY, note, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netnotes.analysis import check_vault
from netnotes.core import Config
from netnotes.render import build_report, build_show
from netnotes.store import load_vault
from netnotes.vault import NoteFile, assemble, parse_note, read_note


def test_check_lists_problems_sorted_then_counts(vault, run):
    root = vault({
        "people/ada.md": note("Ada Lovelace", cadence="banana", cadance="3 months"),
        "people/babbage.md": note("Charles Babbage", ["2026-13-01 call", "2026-01-05 tea"]),
        "people/grace.md": note("Grace Hopper", tags="navy, cobol"),
    })
    result = run(root, "check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        'people/ada.md:3:10: error: cadence: "banana" is not a duration — use e.g. "3 weeks", '
        '"4 months" or "90d"',
        "people/ada.md:4:1: warning: unknown key 'cadance': did you mean 'cadence'? — rename it "
        "to cadence, or keep it as your own field",
        "people/babbage.md:6:3: error: log line starts with 2026-13-01, which is not a real date, "
        "so it is not counted — fix the date (YYYY-MM-DD)",
        "people/grace.md:3:7: warning: tags: is text, not a list — write it as [navy, cobol]",
        "2 errors, 2 warnings in 3 notes",
    ]


def test_clean_vault_exits_0_and_says_so(vault, run):
    root = vault({"people/ada.md": note("Ada Lovelace", ["2026-11-01 call"])})
    result = run(root, "check")
    assert (result.exit_code, result.stdout) == (0, "0 errors, 0 warnings in 1 note\n")


def test_warnings_alone_exit_0_unless_strict(vault, run):
    root = vault({"people/ada.md": note("Ada Lovelace", cadance="3 months")})
    assert run(root, "check").exit_code == 0
    strict = run(root, "check", "--strict")
    assert strict.exit_code == 1
    assert strict.stdout.endswith("0 errors, 1 warning in 1 note\n")


def test_usage_error_exits_2(vault, run):
    root = vault({})
    assert run(root, "check", "--format", "xml").exit_code == 2
    assert run(root, "check", "--no-such-option").exit_code == 2


def test_json_for_editors_and_ci(vault, run):
    root = vault({"people/ada.md": note("Ada Lovelace", tier="vip")})
    result = run(root, "check", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["netnotes_check"], data["notes"], data["errors"], data["warnings"]) == (1, 1, 1, 0)
    assert data["problems"] == [{
        "path": "people/ada.md", "line": 3, "col": 1, "severity": "error", "code": "unknown-tier",
        "message": "tier 'vip' is not defined in netnotes.toml",
        "hint": "use one of: critical, close, network, archive",
        "text": "people/ada.md:3:1: error: tier 'vip' is not defined in netnotes.toml — use one "
                "of: critical, close, network, archive",
    }]


def test_future_met_depends_on_today(vault, run):
    root = vault({"people/ada.md": note("Ada Lovelace", met="2026-12-01")})
    assert run(root, "check", today=dt.date(2026, 12, 1)).exit_code == 0
    late = run(root, "check", today=dt.date(2026, 11, 30))
    assert "people/ada.md:3: error: met: 2026-12-01 is after today (2026-11-30)" in late.stdout


def test_broken_config_is_reported_by_check_and_stops_other_commands(vault, run):
    root = vault({"people/ada.md": note("Ada Lovelace")}, toml="[tiers\nclose = 1\n")
    before = snapshot(root)
    result = run(root, "check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("netnotes.toml:1:7: error: netnotes.toml is not valid TOML")
    assert lines[-1] == "1 error, 0 warnings in 0 notes"
    report = run(root, "report")
    assert report.exit_code == 1
    assert report.stderr.startswith("netnotes: netnotes.toml:1:7: error:")
    assert "Traceback" not in report.output
    assert snapshot(root) == before


def test_a_people_folder_that_is_not_there_is_pointed_out(vault, run):
    root = vault({"contacts/ada.md": note("Ada Lovelace")}, toml='[vault]\npeople = "contact"\n')
    assert run(root, "check").stdout.splitlines() == [
        "netnotes.toml: warning: there is no folder contact/ in the vault, so there are no "
        "contacts — create contact/, or set [vault] people in netnotes.toml",
        "0 errors, 1 warning in 0 notes"]


def test_check_without_a_vault_is_a_clear_error(tmp_path, run, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(None, "check")
    assert result.exit_code == 1 and "no vault here" in result.stderr


def test_every_command_says_when_notes_were_skipped(vault, run):
    root = vault({"people/ada.md": note("Ada Lovelace"), "people/broken.md": "---\nname: [\n"})
    for args in (["report"], ["overdue"], ["list"], ["show", "ada"]):
        result = run(root, *args)
        assert result.exit_code == 0, args
        assert f"1 note skipped — run `netnotes --vault {root} check`" in result.stderr, args


def test_templates_in_notes_are_shown_as_written(vault, run):
    root = vault({"people/t.md": (REPO / "tests/bad_inputs/template-text.md").read_bytes()})
    text = run(root, "report").stdout
    assert "Ada {{ 7 * 7 }}" in text and "49" not in text
    md = run(root, "report", "--format", "markdown").stdout
    assert r"\<script\>" in md and "<script>" not in md
    shown = run(root, "show", "t").stdout
    assert "Ada {{ 7 * 7 }} {% raw %}<script>alert(1)</script>" in shown
    assert "{{ config }}" in shown and "call {{ lipsum() }}" in shown


def test_yaml_tags_never_build_objects():
    raw = parse_note(b"---\nname: Ada\nx: !!python/object/new:os.system [echo hi]\n"
                     b"y: !!python/name:os.system\nz: !!python/object:argparse.Namespace {a: 1}\n"
                     b"---\n", "people/ada.md")
    assert raw.meta == {"name": "Ada", "x": ["echo hi"], "y": "", "z": {"a": 1}}
    assert [p.code for p in raw.problems] == ["yaml-tag"] * 3


def test_yaml_1_1_surprises_are_read_as_written():
    """Documented per field in docs/check.md: nothing becomes a boolean, an octal, a sexagesimal
    number or a float that loses a digit."""
    raw = parse_note((REPO / "tests/bad_inputs/yaml11-values.md").read_bytes(), "people/a.md")
    assert raw.meta == {"name": "Ada Lovelace", "country": "NO", "zip": "012345",
                        "time": "12:30", "phones": ["+4915112345678"], "version": "1.10",
                        "location": "on"}
    plain = parse_note(b"---\nname: Ada\nyears: 42\nscore: 1.5\nok: true\nnone: ~\n---\n", "a.md")
    assert plain.meta == {"name": "Ada", "years": 42, "score": 1.5, "ok": True, "none": None}


def test_alias_bomb_is_rejected_before_it_expands():
    bomb = "---\na: &a [" + ",".join(["lol"] * 10) + "]\n"
    for i in range(1, 12):  # 10**12 strings if it were expanded
        bomb += f"l{i}: &l{i} [" + ",".join([f"*{'a' if i == 1 else f'l{i - 1}'}"] * 10) + "]\n"
    raw = parse_note((bomb + "---\n").encode(), "people/bomb.md")
    assert [p.code for p in raw.problems] == ["yaml-too-large"]


DEEP = {
    "brackets": "---\nname: Deep\nx: " + "[" * 50_000 + "]" * 50_000 + "\n---\n",
    "braces": "---\nname: Deep\nx: " + "{a: " * 50_000 + "}" * 50_000 + "\n---\n",
    "dashes": "---\nname: Deep\nx:\n" + "- " * 50_000 + "x\n---\n",
    "complex-keys": "---\nname: Deep\n" + "? " * 50_000 + "x\n---\n",
}


@pytest.mark.parametrize("shape", sorted(DEEP))
def test_deep_nesting_does_not_crash_the_process(shape, tmp_path):
    """Unguarded, PyYAML's C loader segfaults on each of these: run the real command in a child
    process so that a crash would show as a signal, not take pytest down with it."""
    root = tmp_path / "vault"
    (root / "people").mkdir(parents=True)
    (root / "netnotes.toml").write_text("")
    (root / "people/deep.md").write_text(DEEP[shape])
    (root / "people/ada.md").write_text(note("Ada Lovelace"))
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), NO_COLOR="1")
    proc = subprocess.run([sys.executable, "-m", "netnotes", "--vault", str(root), "check",
                           "--today", TODAY.isoformat()], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 1, proc.stderr  # a crash would be negative (a signal)
    assert "people/deep.md:" in proc.stdout and "nested too deeply" in proc.stdout
    assert proc.stdout.endswith("1 error, 0 warnings in 2 notes\n")


YAMLISH = st.lists(st.sampled_from([
    "---", "...", "\n", "\r\n", "\r", " ", "  ", "\t", "- ", "? ", ": ", ":", ",", "[", "]", "{",
    "}", "'", '"', "#", "|", ">", "&a ", "*a", "!!python/object:os.system ", "!x ", "!!binary ",
    "name", "name: Ada", "tags", "cadence", "banana", "3 months", "met", "birthday", "knows",
    "[[ada]]", "!!set ", "!!timestamp ", "!!float ", "1e400", ".nan", "2026-02-30", "2026-11-01",
    "--02-29", "- 2026-13-01 call", "## Log",
    "<<<<<<< HEAD", "=======", ">>>>>>> x", "%YAML 1.1", "null", "~", "true", "NO", "012",
    "1.10", "+49", "\x00", "\ufeff", "é", "\u2028", "{{ x }}", "\\",
]), max_size=60).map("".join)


def _load(data: bytes, kind: str = "person") -> None:
    """The property: bytes in, a contact or an error out, never an exception."""
    rec = read_note(data, NoteFile(Path("/nowhere/x.md"), "people/x.md", kind), Config())  # type: ignore[arg-type]
    if kind == "person":
        assert rec.contact is not None or any(p.severity == "error" for p in rec.problems)
    vault = assemble(Path("/nowhere"), Config(), [rec], [])
    check_vault(vault, TODAY)
    build_report(vault, TODAY, "json")  # whatever a note holds, every output can print it
    for c in vault.contacts:
        build_show(vault, c.id, TODAY, "json")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_give_a_contact_or_problems(data):
    _load(data)
    _load(b"---\n" + data)
    _load(data, "journal")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(YAMLISH, YAMLISH)
def test_any_yamlish_text_gives_a_contact_or_problems(front, body):
    _load(f"---\n{front}\n---\n{body}".encode("utf-8", "surrogatepass"))
    _load(f"---\nname: Ada\n{front}\n---\n{body}".encode())
    _load(f"{front}\n{body}".encode(), "journal")


def test_example_vault_has_no_errors(run):
    if not any((EXAMPLE / "people").glob("*.md")):
        pytest.skip("example-vault/ has no notes yet")
    result = run(EXAMPLE, "check")
    assert "error:" not in result.stdout
    assert result.exit_code == 0, result.stdout


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="../shared/realworld/ is not here")
def test_real_person_notes_with_first_and_last_name_are_read(vault, run):
    """Real Obsidian-style notes use first_name/last_name and keys of their own: they are read,
    and the journal note's `time: 20:03` stays text."""
    root = vault({
        "people/ada-lovelace.md": (REALWORLD / "markdown_person_note_ada-lovelace.md").read_bytes(),
        "people/template.md": (REALWORLD / "hal_md_Person_template.md").read_bytes(),
        "journal/2024-03-01.md":
            (REALWORLD / "markdown_interaction_note_ada-lovelace_2024-03-01.md").read_bytes(),
    })
    before = snapshot(root)
    vault_ = load_vault(root)
    ada = vault_.by_id["ada-lovelace"]
    assert ada.name == "Ada Lovelace"
    assert ada.birthday is not None and str(ada.birthday) == "1815-12-10"
    assert ada.extra["city"] == "London"
    assert [i.date.isoformat() for i in vault_.interactions_of("ada-lovelace")] == ["2024-03-01"]
    result = run(root, "check")
    assert "people/template.md:1: error: the note has no name" in result.stdout  # an empty form
    assert "journal/2024-03-01.md:5: warning: [[alan-kay]] does not name a contact" \
        in result.stdout
    assert "people/ada-lovelace.md" not in result.stdout
    assert snapshot(root) == before


def test_every_problem_code_is_documented():
    source = "\n".join(p.read_text() for p in (REPO / "src/netnotes").rglob("*.py")
                       if p.parent.name != "interop")  # its codes: docs/import-export.md
    codes = set(re.findall(r'"(?:error|warning)",\s*"([a-z0-9-]+)"', source)) - {"warning"}
    codes |= set(re.findall(r'note\.(?:error|warn)\([^"\n]*"([a-z0-9-]+)"', source))
    codes |= set(re.findall(r'"bad-value" if .* else "([a-z-]+)"', source))
    assert {"yaml-syntax", "too-deep", "value-style", "duplicate-email"} <= codes
    docs = (REPO / "docs/check.md").read_text()
    assert sorted(c for c in codes if f"`{c}`" not in docs) == []
