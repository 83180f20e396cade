"""Notes are data, never code: no YAML object is built, and nothing from a note, a name or a
file name reaches a shell unquoted.

Every payload below would leave a file called ``pwned-…`` behind if any shell read it.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import note

from netnotes.edit.notes import editor_command

NAMES = [
    "Eve; touch pwned-semicolon",
    "Eve $(touch pwned-dollar)",
    "Eve `touch pwned-backtick`",
    "Eve\ntouch pwned-newline",
    "Eve' \"$(touch pwned-quotes)\" '",
    "--upload-pack=touch pwned-option",
]


def no_pwned(*folders: Path) -> None:
    for folder in folders:
        assert not list(folder.rglob("pwned-*")), list(folder.rglob("pwned-*"))


def test_custom_yaml_tags_are_problems_at_their_line_and_build_nothing(vault, run, tmp_path,
                                                                          monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = vault({
        "people/ada.md": "---\nname: Ada\ntier: close\n"
                         "x: !!python/object/apply:os.system ['touch pwned-yaml']\n"
                         "y: !!python/name:os.system\nz: !custom {a: 1}\n---\n",
        "people/grace.md": note("Grace Hopper"),
    })
    result = run(root, "check")
    assert "people/ada.md:4:" in result.stdout
    assert "!!python/object/apply:os.system" in result.stdout
    assert "people/ada.md:5:" in result.stdout and "people/ada.md:6:" in result.stdout
    no_pwned(tmp_path)
    listed = run(root, "list").stdout
    assert "Ada" in listed and "Grace Hopper" in listed  # every contact still read


def _recording_editor(tmp_path: Path, monkeypatch) -> Path:
    """$VISUAL: a script that records the arguments it got and adds a log line."""
    seen = tmp_path / "editor-args.txt"
    script = tmp_path / "editor.py"
    script.write_text("import sys\nfrom pathlib import Path\n"
                      f"Path({str(seen)!r}).write_text('\\0'.join(sys.argv[1:]))\n"
                      "p = Path(sys.argv[1])\n"
                      "p.write_text(p.read_text() + '- 2026-11-20 dinner\\n')\n")
    monkeypatch.setenv("VISUAL", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")
    return seen


@pytest.mark.parametrize("name", NAMES)
def test_edit_passes_the_file_to_the_editor_as_an_argument(vault, run, tmp_path, monkeypatch,
                                                           name):
    """A contact's name, and a file name someone pushed, never reach the shell."""
    monkeypatch.chdir(tmp_path)
    fname = name.replace("\n", " ").replace("/", "_")
    root = vault({f"people/{fname}.md": "---\nname: " + _yaml(name) + "\n---\n## Log\n"})
    seen = _recording_editor(tmp_path, monkeypatch)
    result = run(root, "edit", "--", fname)
    assert result.exit_code == 0, result.output
    assert seen.read_text() == str(root / "people" / f"{fname}.md")
    assert (root / "people" / f"{fname}.md").read_text().endswith("- 2026-11-20 dinner\n")
    no_pwned(tmp_path, root)


def _yaml(text: str) -> str:
    import json

    return json.dumps(text)  # a JSON string is a YAML double-quoted scalar


def test_editor_command_keeps_the_users_words_and_the_file_apart():
    env = {"VISUAL": "code --wait", "EDITOR": "vi"}
    cmd = editor_command(Path("people/$(x);`y`.md"), env)
    assert cmd == ["sh", "-c", 'code --wait "$@"', "code --wait", "people/$(x);`y`.md"]
    assert editor_command(Path("a.md"), {"EDITOR": "nano"})[2] == 'nano "$@"'


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("name", NAMES)
def test_sync_commits_names_as_data(tmp_path, run, monkeypatch, name):
    """The commit message says what changed, names included, exactly; no shell reads it."""
    from conftest import private_git
    from test_sync import sh, world

    private_git(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    (a,) = world(tmp_path, "a")
    added = run(a, "add", "--tier", "close", "--", name)
    assert added.exit_code == 0, added.output
    result = run(a, "sync")
    assert result.exit_code == 0, result.output
    message = sh(a, "log", "-1", "--format=%B")
    assert name.split("\n")[0] in message
    no_pwned(tmp_path)
    pushed = subprocess.run(["git", "--git-dir", str(tmp_path / "remote.git"), "log", "-1",
                             "--format=%B", "main"], capture_output=True, text=True).stdout
    assert pushed == message
