"""docs/adopt.md shows real sessions: every ```console block there is run here, over the same
folder, and must print what the page says (so the page cannot drift from the program)."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, write_vault

from netnotes.cli import cli

DOC = REPO / "docs" / "adopt.md"

# The folder the page adopts: an Obsidian vault with its own key names.
NOTES = {
    ".obsidian/app.json": "{}\n",
    "People/Mira Castellanos.md": """\
---
tags: [person]
first_name: Mira
last_name: Castellanos
organization: Gridwise
title: Head of Data
email: mira@example.org
city: Lisbon
---

# Mira Castellanos

last_contact:: 2026-03-01

Met at the climate meetup; wants intros to utilities.
""",
    "People/Priya Raman.md": """\
---
tags: [person]
---

# Priya Raman

organization:: Northwind Energy
role:: Grid analyst

- Loves sailing.
""",
    "People/Person.md": "---\ntags: [person]\nfirst_name:\nlast_name:\norganization:\ntitle:\n"
                        "---\n\n# {{title}}\n",
    "Templates/Person.md": "---\ntags: [person]\nfirst_name:\nlast_name:\norganization:\n"
                           "title:\n---\n\n# {{title}}\n",
    "Meetings/2026-09-14 Climate meetup.md": """\
---
attendees: ["[[Mira Castellanos]]", "[[Priya Raman]]"]
---

Grid data and who owns it.
""",
    "Meetings/Grid data call.md": "---\ndate: 2026-10-02\npeople: [priya-raman]\n---\n",
    "Daily/2026-10-20.md": "Lunch with [[Mira Castellanos]] at the harbour; she asked about "
                           "[[Project Tidal]].\n",
}


def sessions(text: str) -> list[tuple[list[str], str, str]]:
    """Each ``$ netnotes …`` command of the page's console blocks: (argv, the answer typed at
    a prompt, the output shown)."""
    out = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        for part in re.split(r"^(?=\$ )", block, flags=re.M):
            if not part.startswith("$ netnotes "):
                continue
            command, _, shown = part.partition("\n")
            answer = re.search(r"\[y/N\]: (\w*)$", shown, re.M)
            out.append((shlex.split(command[2:])[1:], answer.group(1) if answer else "", shown))
    return out


def test_the_page_shows_what_the_commands_print(tmp_path, monkeypatch):
    root = write_vault(tmp_path / "Notes", NOTES, toml=None)
    if subprocess.run(["git", "--version"], capture_output=True).returncode == 0:
        subprocess.run(["git", "init", "-q", str(root)], check=True)  # as a user's vault is
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NETNOTES_TODAY", "2026-11-22")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("NETNOTES_VAULT", raising=False)
    steps = sessions(DOC.read_text(encoding="utf-8"))
    assert len(steps) >= 6
    for argv, answer, shown in steps:
        result = CliRunner().invoke(cli, argv, input=answer + "\n" if answer else None,
                                    prog_name="netnotes",
                                    catch_exceptions=False)
        assert result.output == shown, f"netnotes {shlex.join(argv)}"


def test_the_page_exists_and_is_linked():
    assert "docs/adopt.md" in (REPO / "README.md").read_text(encoding="utf-8")
    assert Path(DOC).is_file() or pytest.fail("docs/adopt.md is missing")
