"""Click conventions users rely on: --help everywhere, documented commands, exit codes, stderr."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import REPO, note

from netnotes.cli import cli

COMMANDS = sorted(name for name, cmd in cli.commands.items() if not cmd.hidden)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_a_readme_entry(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Usage: " in result.output and len(cli.commands[name].help or "") > 10
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"netnotes {name}" in readme, f"README has no entry for `netnotes {name}`"


def test_unknown_contact_is_exit_1_on_stderr(vault, run):
    root = vault({"people/ada.md": note("Ada"), "people/adam.md": note("Adam Smith")})
    result = run(root, "show", "nobody")
    assert result.exit_code == 1 and "no contact matches 'nobody'" in result.stderr
    assert result.stdout == ""
    ambiguous = run(root, "show", "ad")
    assert ambiguous.exit_code == 1
    assert "matches 2 contacts" in ambiguous.stderr and "adam" in ambiguous.stderr


def test_names_match_without_case_or_accents(vault, run):
    root = vault({"people/zoe-marchetti.md": note("Zoë Marchetti")})
    assert run(root, "show", "ZOE MARCHETTI").stdout.startswith("Zoë Marchetti (zoe-marchetti)")
    assert run(root, "show", "zoe").exit_code == 0


def test_usage_errors_exit_2(vault, run):
    root = vault({})
    assert run(root, "report", "--format", "pdf").exit_code == 2
    assert run(root, "list", "--tier", "vip").exit_code == 2
    assert run(root, "nonsense").exit_code == 2


def test_no_colour_with_no_color_and_out_file_is_written(vault, run, tmp_path):
    root = vault({"people/ada.md": note("Ada", ["2020-01-01 call"])})
    out = tmp_path / "r.md"
    result = run(root, "report", "--format", "markdown", "--out", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("# netnotes report — 2026-11-22")
    assert "\x1b[" not in run(root, "report").stdout


def test_env_vault_and_today(vault, monkeypatch):
    root = vault({"people/ada.md": note("Ada", ["2026-01-01 call"], tier="critical")})
    monkeypatch.setenv("NETNOTES_VAULT", str(root))
    monkeypatch.setenv("NETNOTES_TODAY", "2026-02-01")
    result = CliRunner().invoke(cli, ["overdue"])
    assert result.exit_code == 0 and "Nobody is overdue" in result.stdout


def test_an_empty_listing_prints_nothing(vault, run):
    root = vault({"people/ada.md": note("Ada", tier="close")})
    result = run(root, "list", "--tier", "critical")
    assert result.exit_code == 0 and result.stdout == ""
    assert run(root, "list").stdout.count("\n") == 1
