"""Click conventions users rely on: --help everywhere, documented commands, exit codes, stderr."""

from __future__ import annotations

import os
import subprocess
import sys

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


def _netnotes(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    """The real command, in a process of its own (it leaves with os._exit: cli.main)."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("NETNOTES_VAULT", None)
    return subprocess.run([sys.executable, "-m", "netnotes", *args], capture_output=True,
                          text=True, env=env, **kwargs)


def test_the_command_prints_all_of_its_output_and_exits_with_click_codes(vault, run):
    root = vault({f"people/p{k:03d}.md": note(f"Person {k}", ["2026-01-05 coffee"])
                  for k in range(300)})
    real = _netnotes("--vault", str(root), "--today", "2026-11-22", "report")
    assert real.returncode == 0 and real.stderr == ""
    assert real.stdout == run(root, "report").stdout  # every byte reached the pipe
    missing = _netnotes("--vault", str(root), "show", "nobody")
    assert missing.returncode == 1 and "no contact matches 'nobody'" in missing.stderr
    assert _netnotes("--vault", str(root), "nonsense").returncode == 2
    assert _netnotes("--help").returncode == 0


def test_a_reader_that_stops_early_is_no_error(vault):
    root = vault({f"people/p{k:04d}.md": note(f"Person {k}") for k in range(2000)})
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "netnotes", "--vault", str(root), "report"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(10) == b"netnotes r"
    proc.stdout.close()  # as `| head` does
    err = proc.stderr.read().decode()
    assert proc.wait() == 0 and "Traceback" not in err


def test_an_edit_by_the_real_command_is_on_disk_when_it_exits(vault):
    """The command leaves with os._exit: what it wrote must be written by then."""
    root = vault({"people/ada.md": note("Ada Lovelace", ["2026-01-05 coffee"])})
    added = _netnotes("--vault", str(root), "add", "Grace Hopper", "--tier", "close")
    assert added.returncode == 0, added.stderr
    logged = _netnotes("--vault", str(root), "log", "ada", "call about engines", "--date",
                       "2026-11-20", "--with", "grace")
    assert logged.returncode == 0, logged.stderr
    text = (root / "people/ada.md").read_text(encoding="utf-8")
    assert "- 2026-11-20 call about engines" in text and "[[grace" in text.lower()
    assert "Grace Hopper" in (root / "people/grace-hopper.md").read_text(encoding="utf-8")


def test_list_gives_the_company_the_rest_of_the_terminal(run, vault, monkeypatch):
    from conftest import note

    root = vault({"people/ada.md": note("Ada", company="Analytical Engines of London Ltd")})
    assert run(root, "list").stdout.endswith(" Analytical …\n")  # a pipe: 80 columns
    for columns, shown in ((90, "Analytical Engines of…"), (60, "Analytical …"),
                           (200, "Analytical Engines of London Ltd")):
        monkeypatch.setattr("netnotes.cli.terminal_width", lambda c=columns: c)
        line = run(root, "list").stdout.rstrip("\n")
        assert line.endswith(" " + shown) and len(line) < max(columns, 67 + 12 + 1), line
