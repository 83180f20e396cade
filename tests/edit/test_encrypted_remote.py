"""`netnotes git-setup --encrypt`: the git host sees only age ciphertext, the notes stay plain
Markdown in every clone that has the key, and they sync both ways without loss.  Real git."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import note, private_git, write_vault
from test_sync import DRIVER, log, logged, sh

from netnotes.edit import git_setup
from netnotes.edit.crypt import RECIPIENTS, key_home

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

SECRET = "coffee at the secret harbour bar"
PEOPLE = {
    "people/ada-lovelace.md": note("Ada Lovelace", [f"2026-01-05 {SECRET}"], tier="close",
                                   company="Analytical Engines"),
    "people/linus.md": note("Linus", [], tier="network"),
}


@pytest.fixture
def clones(tmp_path, monkeypatch):
    """A bare remote whose vault was encrypted from its first commit, and two clones that
    have the key (the same HOME, so the same key folder)."""
    private_git(tmp_path, monkeypatch)
    remote = tmp_path / "remote.git"
    sh(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    seed = tmp_path / "seed"
    sh(tmp_path, "clone", "-q", str(remote), str(seed))
    write_vault(seed, PEOPLE)
    (seed / ".gitignore").write_text(".netnotes/\n")
    made = git_setup(seed, command=DRIVER, encrypt=True)
    assert any("made a new key" in line for line in made)
    sh(seed, "add", "-A")
    sh(seed, "commit", "-qm", "an encrypted vault")
    sh(seed, "push", "-q", "-u", "origin", "main")
    out = []
    for name in "ab":
        clone = tmp_path / name
        sh(tmp_path, "clone", "-q", str(remote), str(clone))
        git_setup(clone, command=DRIVER, encrypt=True)
        out.append(clone)
    return remote, out


def remote_bytes(remote: Path) -> bytes:
    """Every object the git host holds, uncompressed."""
    return subprocess.run(["git", "--git-dir", str(remote), "cat-file", "--batch-all-objects",
                           "--batch"], capture_output=True, check=True).stdout


def test_the_host_holds_only_ciphertext(clones):
    remote, (a, _) = clones
    stored = remote_bytes(remote)
    assert b"age-encryption.org/v1" in stored
    for text in (SECRET, "Ada Lovelace", "Analytical Engines", "Linus"):
        assert text.encode() not in stored, text
    # …while the clone's working tree is plain Markdown that any editor opens
    assert SECRET in (a / "people/ada-lovelace.md").read_text()
    assert sh(a, "status", "--porcelain") == ""


def test_an_unchanged_note_keeps_its_ciphertext(clones):
    """age is not deterministic: clean must reuse what git has, or every note is 'modified'."""
    _, (a, _) = clones
    path = a / "people/ada-lovelace.md"
    path.write_bytes(path.read_bytes())  # touched: git runs the clean filter again
    sh(a, "update-index", "--really-refresh", check=False)
    assert sh(a, "status", "--porcelain") == ""
    assert sh(a, "diff", "--stat") == ""


def test_diff_and_log_stay_readable(clones):
    _, (a, _) = clones
    log(a, "ada-lovelace", "2026-02-01 call about engines")
    assert "+- 2026-02-01 call about engines" in sh(a, "diff")
    sh(a, "commit", "-qam", "a call")
    assert "+- 2026-02-01 call about engines" in sh(a, "log", "-p", "-1")


def test_two_clones_log_the_same_contact_and_sync_both_ways(clones, run):
    remote, (a, b) = clones
    log(a, "ada-lovelace", "2026-03-01 walk by the canal")
    log(b, "ada-lovelace", "2026-02-10 call about engines")
    log(b, "ada-lovelace", "2026-03-05 lunch #gave")
    for clone in (a, b, a):
        result = run(clone, "sync")
        assert result.exit_code == 0, result.output
    want = [f"2026-01-05 {SECRET}", "2026-02-10 call about engines",
            "2026-03-01 walk by the canal", "2026-03-05 lunch #gave"]
    assert logged(a, "ada-lovelace") == logged(b, "ada-lovelace") == want
    stored = remote_bytes(remote)
    for text in ("walk by the canal", "call about engines", SECRET):
        assert text.encode() not in stored
    assert sh(a, "status", "--porcelain") == "" and sh(b, "status", "--porcelain") == ""


def test_a_clone_without_the_key_sees_ciphertext_and_is_told_how_to_unlock(
        clones, tmp_path, run, monkeypatch):
    remote, _ = clones
    stranger = tmp_path / "stranger-home"
    stranger.mkdir()
    monkeypatch.setenv("HOME", str(stranger))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(stranger))
    c = tmp_path / "c"
    sh(tmp_path, "clone", "-q", str(remote), str(c))
    assert (c / "people/ada-lovelace.md").read_bytes().startswith(b"age-encryption.org/v1")
    checked = run(c, "check")
    assert "people/ada-lovelace.md:1: error: encrypted (age): unlock the vault first" \
        in checked.stdout
    assert "docs/privacy.md" in checked.stdout
    setup = run(c, "git-setup", "--encrypt")
    assert setup.exit_code == 1
    assert "no key for it is in" in setup.stderr and str(key_home()) in setup.stderr
    # Given the key file, the clone unlocks.
    key = next((tmp_path / "home" / "netnotes" / "keys").glob("*.txt"))
    unlocked = run(c, "git-setup", "--encrypt", "--key", str(key))
    assert unlocked.exit_code == 0, unlocked.output
    assert SECRET in (c / "people/ada-lovelace.md").read_text()


def test_sync_refuses_to_push_when_this_clone_does_not_encrypt(clones, tmp_path, run):
    remote, (a, _) = clones
    for name in ("clean", "smudge", "required"):
        sh(a, "config", "--unset", f"filter.netnotes-age.{name}")
    log(a, "ada-lovelace", "2026-04-01 plain text that must not leave")
    before = remote_bytes(remote)
    result = run(a, "sync")
    assert result.exit_code == 1
    assert "git-setup --encrypt" in result.stderr and "nothing was committed" in result.stderr
    assert remote_bytes(remote) == before
    assert (a / RECIPIENTS).is_file()
