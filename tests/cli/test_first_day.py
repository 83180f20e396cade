"""A new user's first day, with the real git: `netnotes init`, a few notes, a report, the first
sync to an empty remote, a second clone that syncs back.  Every command runs as a user would run
it: `python -m netnotes` in the vault folder, no --vault, no fixture-made repository."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import private_git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

TODAY = "2026-11-22"


@pytest.fixture(autouse=True)
def _git_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    private_git(tmp_path, monkeypatch)
    monkeypatch.setenv("NETNOTES_TODAY", TODAY)
    monkeypatch.setenv("NO_COLOR", "1")


def netnotes(cwd: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "netnotes", *args], cwd=cwd, text=True,
                          capture_output=True, stdin=subprocess.DEVNULL, check=False)
    if ok:
        assert proc.returncode == 0, f"netnotes {' '.join(args)}:\n{proc.stdout}{proc.stderr}"
        assert "Traceback" not in proc.stderr
    return proc


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout


def clean(repo: Path) -> None:
    """Nothing staged, nothing left uncommitted, and the cache never in git."""
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""
    assert not [p for p in git(repo, "ls-files").splitlines() if p.startswith(".netnotes")]


def log_lines(note: Path) -> list[str]:
    return [ln for ln in note.read_text().splitlines() if ln.startswith("- 20")]


KENJI = """---
name: Kenji Tanaka
tier: close
---

## Log
- 2026-10-01 dinner in Kyoto
"""


def test_init_log_report_sync_and_a_second_clone_syncs_back(tmp_path: Path) -> None:
    netnotes(tmp_path, "init", "network")
    a = tmp_path / "network"
    git(tmp_path, "init", "-q", "--bare", "network.git")

    netnotes(a, "add", "Ada Lovelace", "--tier", "critical", "--met", "2026-03-14")
    (a / "people" / "Kenji Tanaka.md").write_text(KENJI)  # named as Obsidian names notes
    netnotes(a, "log", "ada", "coffee at the station café", "--got")
    netnotes(a, "log", "Kenji Tanaka", "call about the conference")
    assert "Ada Lovelace" in netnotes(a, "report").stdout  # the cache is made now
    assert (a / ".netnotes").is_dir()

    # --dry-run before there is a remote: shows the commit, changes nothing
    before = git(a, "status", "--porcelain", "--untracked-files=all")
    dry = netnotes(a, "sync", "--dry-run").stdout
    assert "would commit: add: Kenji Tanaka, add: Ada Lovelace" in dry
    assert "file: people/Kenji Tanaka.md" in dry
    assert "git remote add origin URL" in dry
    assert git(a, "status", "--porcelain", "--untracked-files=all") == before

    git(a, "remote", "add", "origin", str(tmp_path / "network.git"))
    dry = netnotes(a, "sync", "--dry-run").stdout
    assert "(the first push; it becomes the upstream)" in dry
    assert git(a, "status", "--porcelain", "--untracked-files=all") == before

    first = netnotes(a, "sync").stdout
    assert "commit: " in first and "the first push" in first
    clean(a)

    # a second machine clones, registers the merge driver, logs, syncs
    git(tmp_path, "clone", "-q", "network.git", "desktop")
    b = tmp_path / "desktop"
    netnotes(b, "git-setup")
    netnotes(b, "log", "kenji", "lunch near the office", "--date", "2026-11-01")
    netnotes(b, "log", "ada", "call about the translation", "--date", "2026-11-20")
    netnotes(a, "log", "ada", "email with the draft", "--date", "2026-11-21", "--gave")
    assert "push: 1 commit" in netnotes(b, "sync").stdout

    head, before = git(a, "rev-parse", "HEAD"), git(a, "status", "--porcelain")
    dry = netnotes(a, "sync", "--dry-run").stdout  # with a remote and a note with a space
    assert "would commit: log: Ada Lovelace (email)" in dry
    assert "would pull: from origin/" in dry
    assert (git(a, "rev-parse", "HEAD"), git(a, "status", "--porcelain")) == (head, before)

    assert "pull: 1 new commit" in netnotes(a, "sync").stdout
    assert "pull: 1 new commit" in netnotes(b, "sync").stdout
    for repo in (a, b):
        clean(repo)
        assert netnotes(repo, "check").returncode == 0
        assert log_lines(repo / "people" / "ada-lovelace.md") == [
            "- 2026-11-20 call about the translation",
            "- 2026-11-21 email with the draft #gave",
            "- 2026-11-22 coffee at the station café #got",
        ]
        assert log_lines(repo / "people" / "Kenji Tanaka.md") == [
            "- 2026-10-01 dinner in Kyoto",
            "- 2026-11-01 lunch near the office",
            "- 2026-11-22 call about the conference",
        ]
    assert git(a, "rev-parse", "HEAD") == git(b, "rev-parse", "HEAD")


def test_init_makes_a_first_commit_so_the_push_hint_works(tmp_path: Path) -> None:
    out = netnotes(tmp_path, "init", "v").stdout
    vault = tmp_path / "v"
    branch = git(vault, "symbolic-ref", "--short", "HEAD").strip()
    assert f"first commit on branch {branch}" in out
    assert git(vault, "ls-files").split() == [".gitattributes", ".gitignore", "netnotes.toml"]
    git(tmp_path, "init", "-q", "--bare", "v.git")
    git(vault, "remote", "add", "origin", str(tmp_path / "v.git"))
    git(vault, "push", "-q", "-u", "origin", "HEAD")  # the hint sync and the docs give
    assert netnotes(vault, "sync").stdout.splitlines() == [
        "commit: nothing to commit", f"pull: up to date with origin/{branch}",
        "push: nothing to push"]


def test_without_an_identity_init_still_makes_the_vault(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
                "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(key)
    monkeypatch.setenv("EMAIL", "")
    out = netnotes(tmp_path, "init", "v").stdout
    vault = tmp_path / "v"
    assert (vault / "netnotes.toml").is_file()
    if "no first commit" in out:  # git could not guess an identity on this machine
        assert "the first `netnotes sync` makes it" in out
        assert git(vault, "status", "--porcelain") != ""  # nothing left staged half way
        assert git(vault, "diff", "--cached", "--name-only") == ""


def test_sync_keeps_staged_work_outside_the_vault_and_the_cache_out(tmp_path: Path) -> None:
    """A vault in a folder of a bigger repository: sync commits the vault's files only, even
    with the cache ignored by .gitignore (the exclude pathspec that used to fail)."""
    repo = tmp_path / "repo"
    git(tmp_path, "init", "-q", str(repo))
    (repo / "README").write_text("mine\n")
    git(repo, "add", "README")
    git(repo, "commit", "-qm", "start")
    netnotes(repo, "init", "contacts")
    (repo / "todo.txt").write_text("later\n")
    git(repo, "add", "todo.txt")  # staged by the user, not ours to commit
    netnotes(repo / "contacts", "add", "Ada Lovelace")
    netnotes(repo / "contacts", "report")
    git(tmp_path, "init", "-q", "--bare", "repo.git")
    git(repo, "remote", "add", "origin", str(tmp_path / "repo.git"))
    netnotes(repo / "contacts", "sync")
    assert git(repo, "status", "--porcelain").splitlines() == ["A  todo.txt"]
    committed = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert "contacts/people/ada-lovelace.md" in committed and "todo.txt" not in committed



def test_a_report_saved_inside_the_vault_is_never_committed(tmp_path: Path) -> None:
    netnotes(tmp_path, "init", "v")
    v = tmp_path / "v"
    netnotes(v, "add", "Ada Lovelace")
    said = netnotes(v, "report", "--format", "html", "--out", "report.html").stderr
    assert "report.html is inside the vault: added it to .gitignore" in said
    assert netnotes(v, "report", "--format", "html", "--out", "report.html").stderr == ""
    netnotes(v, "report", "--out", "notes [draft].md")
    netnotes(tmp_path, "--vault", "v", "report", "--out", str(tmp_path / "outside.txt"))
    assert (v / ".gitignore").read_text() == ".netnotes/\n/report.html\n/notes \\[draft].md\n"
    git(tmp_path, "init", "-q", "--bare", "v.git")
    git(v, "remote", "add", "origin", str(tmp_path / "v.git"))
    netnotes(v, "sync")
    committed = git(v, "ls-files").split("\n")
    assert "people/ada-lovelace.md" in committed and ".gitignore" in committed
    assert not [f for f in committed if "report" in f or "draft" in f]
    clean(v)
