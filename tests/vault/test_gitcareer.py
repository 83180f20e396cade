"""Career moves read from the git history of a note, when the vault is a git repository."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess

import pytest
from conftest import note

from netnotes.core import CareerStep
from netnotes.vault import steps_from_changes
from netnotes.vault.gitcareer import parse_log

LOG = """\
@@@2024-02-01
diff --git a/people/ada.md b/people/ada.md
--- /dev/null
+++ b/people/ada.md
@@ -0,0 +1,4 @@
+company: Initech
+role: engineer
@@@2025-06-30
diff --git a/people/ada.md b/people/ada.md
--- a/people/ada.md
+++ b/people/ada.md
@@ -3 +3 @@
-role: "engineer"  # first job
+role: lead
@@@2026-09-30
diff --git a/people/ada.md b/people/ada.md
--- a/people/ada.md
+++ b/people/ada.md
@@ -2,2 +2,2 @@
-company: Initech
-role: lead
+company: Acme
+role: CTO
"""


def test_each_commit_that_changed_company_or_role_ends_a_position():
    changes = parse_log(LOG)
    assert changes == {"people/ada.md": [
        (dt.date(2025, 6, 30), {"role": "engineer"}),
        (dt.date(2026, 9, 30), {"company": "Initech", "role": "lead"})]}
    # walking back from today's Acme/CTO: lead at Initech until 2026-09-30, engineer before
    assert steps_from_changes("Acme", "CTO", changes["people/ada.md"]) == (
        CareerStep("Initech", "engineer", until=dt.date(2025, 6, 30)),
        CareerStep("Initech", "lead", until=dt.date(2026, 9, 30)))


def _git(root, *args, day="2026-01-01"):
    env = os.environ | {"GIT_AUTHOR_DATE": f"{day}T12:00:00", "GIT_COMMITTER_DATE":
                        f"{day}T12:00:00", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x"}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def _ada_moved_in_git(vault):
    """A vault in git where Ada was an engineer at Initech, and became CTO at Acme in Oct 2026."""
    root = vault({"people/ada.md": note("Ada", ["2025-01-01 coffee"], company="Initech",
                                        role="engineer")})
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "ada", day="2025-01-02")
    (root / "people/ada.md").write_text(note("Ada", ["2025-01-01 coffee"], company="Acme",
                                             role="CTO"), encoding="utf-8")
    _git(root, "commit", "-qam", "ada moved", day="2026-10-15")
    return root


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_show_and_report_follow_a_move_seen_in_git(vault, run):
    root = _ada_moved_in_git(vault)
    out = run(root, "show", "ada").stdout
    assert "Career: moved to CTO at Acme (was engineer at Initech) in Oct 2026" in out
    assert "→ congratulate them: moved to CTO at Acme" in run(root, "report").stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_notes_a_commit_added_are_not_read_again_from_git(vault, monkeypatch):
    """An import commits thousands of new notes at once: no position ended there, so git is
    not asked to print them (parsing them cost a second per 10,000 notes); only the note that
    changed later is read."""
    from netnotes.vault import gitcareer

    root = _ada_moved_in_git(vault)
    (root / "people/bo.md").write_text(note("Bo", company="Globex", role="analyst"),
                                       encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "import bo", day="2026-11-01")
    read = []
    monkeypatch.setattr(gitcareer, "parse_log", lambda text: read.append(text) or parse_log(text))
    changes = gitcareer.career_changes(root, "people")
    assert changes == {"people/ada.md": [
        (dt.date(2026, 10, 15), {"company": "Initech", "role": "engineer"})]}
    assert "bo.md" not in read[0] and "+company: Initech" not in read[0]


def test_no_git_repository_is_no_problem(vault, run):
    root = vault({"people/ada.md": note("Ada", company="Acme")})
    result = run(root, "show", "ada")
    assert result.exit_code == 0 and "Career:" not in result.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_what_git_said_is_remembered_until_the_next_commit(vault, run, monkeypatch):
    from netnotes.store import careers
    from netnotes.vault import gitcareer

    root = _ada_moved_in_git(vault)
    moved = "Career: moved to CTO at Acme (was engineer at Initech) in Oct 2026"
    assert moved in run(root, "show", "ada").stdout
    remembered = root / ".netnotes" / careers.CACHE_NAME
    assert remembered.exists()

    def load() -> str:  # the vault itself, not the stored answer of the same question
        shutil.rmtree(root / ".netnotes" / "answers", ignore_errors=True)
        return run(root, "show", "ada").stdout

    asked: list[tuple[str, ...]] = []
    real_git = gitcareer._git
    monkeypatch.setattr(gitcareer, "_git", lambda r, *a: asked.append(a) or real_git(r, *a))
    assert moved in load()
    assert [a[0] for a in asked] == ["rev-parse"]  # the log itself was not read again

    # a new commit: the history is read again, and the new move shows
    (root / "people/ada.md").write_text(note("Ada", ["2025-01-01 coffee"], company="Globex",
                                             role="CEO"), encoding="utf-8")
    _git(root, "commit", "-qam", "ada moved again", day="2026-11-01")
    assert "moved to CEO at Globex (was CTO at Acme) in Nov 2026" in run(root, "show", "ada").stdout

    # whatever is in the file when it is not ours, the answer is git's
    for junk in (b"", b"{", b'{"key": 1}', b"[]", remembered.read_bytes().replace(b"Acme", b"X")
                 .replace(b'"key": "', b'"key": "?')):
        remembered.write_bytes(junk)
        assert "moved to CEO at Globex (was CTO at Acme)" in load()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_without_the_index_nothing_about_git_is_written(vault, run):
    root = vault({"people/ada.md": note("Ada", company="Acme")})
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "ada")
    assert run(root, "--no-cache", "show", "ada").exit_code == 0
    assert not (root / ".netnotes").exists()
