"""`netnotes sync`, `git-setup` and the merge driver, with the real git in tmp_path.

Every clone registers the driver as ``<this python> -m netnotes merge-driver`` and PYTHONPATH
points at this checkout, so the driver git runs is the code under test.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import note, private_git, write_vault

import netnotes
from netnotes.edit import git_setup
from netnotes.store import load_vault

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

SRC = Path(netnotes.__file__).resolve().parents[1]
DRIVER = f"{shlex.quote(sys.executable)} -m netnotes"


@pytest.fixture(autouse=True)
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    private_git(tmp_path, monkeypatch)


def sh(cwd: Path, *args: str, check: bool = True) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if check and proc.returncode:
        raise AssertionError(f"git {' '.join(args)}: {proc.stderr}")
    return proc.stdout


PEOPLE = {
    "people/ada-lovelace.md": note("Ada Lovelace", ["2026-01-05 coffee at the station"],
                                   tier="network", tags="[math]", company="Analytical"),
    "people/linus.md": note("Linus", [], tier="network"),
}


def world(tmp_path: Path, clones: str = "ab", files: dict | None = None, sub: str = ""
          ) -> list[Path]:
    """A bare remote seeded with a vault (in folder ``sub`` of the repo), and clones of it,
    each with the merge driver registered."""
    remote = tmp_path / "remote.git"
    sh(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    seed = tmp_path / "seed"
    sh(tmp_path, "clone", "-q", str(remote), str(seed))
    write_vault(seed / sub if sub else seed, files or PEOPLE)
    (seed / sub / ".gitignore").write_text(".netnotes/\n")
    git_setup(seed / sub, command=DRIVER)
    sh(seed, "add", "-A")
    sh(seed, "commit", "-qm", "a vault")
    sh(seed, "push", "-q", "-u", "origin", "main")
    out = []
    for name in clones:
        clone = tmp_path / name
        sh(tmp_path, "clone", "-q", str(remote), str(clone))
        git_setup(clone / sub, command=DRIVER)
        out.append(clone / sub if sub else clone)
    return out


def log(vault: Path, who: str, line: str) -> None:
    """What `netnotes log` does: the line goes after every line of the same day or earlier."""
    path = vault / "people" / f"{who}.md"
    lines = path.read_text().split("\n")
    if "## Log" not in lines:
        lines[-1:] = ["## Log", ""]
    at = lines.index("## Log") + 1
    for i in range(at, len(lines)):
        m = re.match(r"- (\d{4}-\d\d-\d\d)", lines[i])
        if m and m.group(1) <= line[:10]:
            at = i + 1
    lines.insert(at, f"- {line}")
    path.write_text("\n".join(lines))


def set_key(vault: Path, who: str, key: str, value: str) -> None:
    """What `netnotes set` does: replace the key's line, or add it after the last key."""
    path = vault / "people" / f"{who}.md"
    lines = path.read_text().split("\n")
    close = lines.index("---", 1)
    for i in range(1, close):
        if lines[i].startswith(f"{key}:"):
            lines[i] = f"{key}: {value}"
            break
    else:
        lines.insert(close, f"{key}: {value}")
    path.write_text("\n".join(lines))


def logged(vault: Path, who: str) -> list[str]:
    text = (vault / "people" / f"{who}.md").read_text()
    return re.findall(r"^- (\d{4}-\d\d-\d\d .*)$", text, re.M)


def errors(vault: Path) -> list[str]:
    return [str(p) for p in load_vault(vault).problems if p.severity == "error"]


@pytest.mark.parametrize("first", ["a", "b"])
def test_two_machines_log_the_same_contact_and_sync_in_either_order(tmp_path, run, first):
    a, b = world(tmp_path)
    log(a, "ada-lovelace", "2026-03-01 coffee by the canal")
    set_key(a, "ada-lovelace", "tier", "close")
    set_key(a, "ada-lovelace", "tags", "[math, poetry]")
    log(b, "ada-lovelace", "2026-02-10 call about engines")
    log(b, "ada-lovelace", "2026-03-05 lunch #gave")
    set_key(b, "ada-lovelace", "company", "Babbage & Co")
    set_key(b, "ada-lovelace", "tags", "[math, chess]")
    set_key(b, "linus", "role", "maintainer")
    order = [a, b, a] if first == "a" else [b, a, b]
    for clone in order:
        result = run(clone, "sync")
        assert result.exit_code == 0, result.stderr
        assert "push:" in result.output and "pull:" in result.output
    assert logged(a, "ada-lovelace") == logged(b, "ada-lovelace") == [
        "2026-01-05 coffee at the station", "2026-02-10 call about engines",
        "2026-03-01 coffee by the canal", "2026-03-05 lunch #gave"]
    for clone in (a, b):
        ada = next(c for c in load_vault(clone).contacts if c.id == "ada-lovelace")
        assert (ada.tier, ada.company) == ("close", "Babbage & Co")
        assert set(ada.tags) == {"math", "poetry", "chess"}
        assert errors(clone) == []
        assert sh(clone, "status", "--porcelain") == ""
    note_path = "people/ada-lovelace.md"
    assert (a / note_path).read_bytes() == (b / note_path).read_bytes()
    assert sh(a, "rev-parse", "HEAD") == sh(b, "rev-parse", "HEAD")


def test_the_commit_message_says_what_changed_in_peoples_terms(tmp_path, run):
    (a,) = world(tmp_path, "a")
    log(a, "ada-lovelace", "2026-03-01 coffee by the canal")
    write_vault(a, {"people/grace-hopper.md": note("Grace Hopper")}, toml=None)
    set_key(a, "linus", "tier", "close")
    dry = run(a, "sync", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "would commit: log: Ada Lovelace (coffee), add: Grace Hopper, set: Linus tier=close" \
        in dry.output
    assert sh(a, "status", "--porcelain")  # nothing staged or committed by a dry run
    assert sh(a, "log", "--oneline").count("\n") == 1
    result = run(a, "sync")
    assert result.exit_code == 0, result.stderr
    assert sh(a, "log", "-1", "--format=%s").strip() == \
        "log: Ada Lovelace (coffee), add: Grace Hopper, set: Linus tier=close"
    assert "push: 1 commit to origin/main" in result.output
    again = run(a, "sync")
    assert "commit: nothing to commit" in again.output
    assert "push: nothing to push" in again.output
    log(a, "linus", "2026-03-02 call")
    log(a, "ada-lovelace", "2026-03-02 email")
    assert run(a, "sync", "--message", "after the conference").exit_code == 0
    assert sh(a, "log", "-1", "--format=%B").strip() == (
        "after the conference\n\n- log: Ada Lovelace (email)\n- log: Linus (call)")


def test_a_true_conflict_marks_that_key_only_and_stops_the_sync(tmp_path, run):
    a, b = world(tmp_path)
    set_key(a, "ada-lovelace", "tier", "close")
    log(a, "ada-lovelace", "2026-03-01 coffee by the canal")
    set_key(b, "ada-lovelace", "tier", "critical")
    log(b, "ada-lovelace", "2026-02-01 call")
    set_key(b, "ada-lovelace", "company", "Babbage & Co")
    assert run(a, "sync").exit_code == 0
    remote_head = sh(a, "rev-parse", "HEAD")
    result = run(b, "sync")
    assert result.exit_code == 1
    assert "people/ada-lovelace.md (line 3: tier)" in result.stderr
    assert "git rebase --continue" in result.stderr and "git rebase --abort" in result.stderr
    assert "nothing was pushed" in result.stderr
    assert sh(b, "ls-remote", "origin", "main").split()[0] == remote_head.strip()
    text = (b / "people/ada-lovelace.md").read_text()
    assert "<<<<<<< ours\ntier: close\n=======\ntier: critical\n>>>>>>> theirs\n" in text
    assert text.count("<<<<<<<") == 1
    assert "company: Babbage & Co" in text
    assert logged(b, "ada-lovelace") == ["2026-01-05 coffee at the station", "2026-02-01 call",
                                         "2026-03-01 coffee by the canal"]
    problems = [p for p in load_vault(b).problems if p.code == "merge-conflict"]
    assert [p.source.line for p in problems] == [3, 5, 7]
    again = run(b, "sync")
    assert again.exit_code == 1 and "a rebase is in progress" in again.stderr
    # the user keeps their value and finishes the rebase as told; the next sync pushes
    (b / "people/ada-lovelace.md").write_text(re.sub(
        r"<<<<<<< ours\ntier: close\n=======\n(tier: critical\n)>>>>>>> theirs\n", r"\1", text))
    sh(b, "add", "people/ada-lovelace.md")
    subprocess.run(["git", "-c", "core.editor=true", "rebase", "--continue"], cwd=b, check=True,
                   capture_output=True)
    assert run(b, "sync").exit_code == 0
    assert run(a, "sync").exit_code == 0
    assert errors(a) == [] and "tier: critical" in (a / "people/ada-lovelace.md").read_text()


def test_merge_mode_says_how_to_finish_a_merge(tmp_path, run):
    a, b = world(tmp_path)
    set_key(a, "linus", "tier", "close")
    set_key(b, "linus", "tier", "critical")
    assert run(a, "sync").exit_code == 0
    result = run(b, "sync", "--merge")
    assert result.exit_code == 1
    assert "git merge --abort" in result.stderr and "people/linus.md" in result.stderr


def test_merge_mode_from_netnotes_toml(tmp_path, run):
    a, b = world(tmp_path, files={**PEOPLE, "netnotes.toml": '[sync]\npull = "merge"\n'})
    log(a, "linus", "2026-01-01 call")
    log(b, "linus", "2026-01-02 email")
    assert run(a, "sync").exit_code == 0
    result = run(b, "sync")
    assert result.exit_code == 0, result.stderr
    assert sh(b, "log", "-1", "--format=%p").count(" ") == 1  # a merge commit: two parents
    assert logged(b, "linus") == ["2026-01-01 call", "2026-01-02 email"]


def test_changes_outside_the_vault_folder_are_left_alone(tmp_path, run):
    a, b = world(tmp_path, sub="notes")
    repo_a = a.parent
    (repo_a / "todo.txt").write_text("not a note\n")
    (repo_a / "README").write_text("readme\n")
    sh(repo_a, "add", "README")  # even staged work outside stays out of the commit
    log(a, "linus", "2026-01-01 call")
    log(b, "linus", "2026-01-02 email")
    assert run(b, "sync").exit_code == 0
    result = run(a, "sync")
    assert result.exit_code == 0, result.stderr
    assert "left alone: 2 changes outside the vault folder (README, todo.txt)" in result.output
    assert sh(repo_a, "show", "--stat", "--format=", "HEAD").split()[0] == \
        "notes/people/linus.md"
    assert sorted(sh(repo_a, "status", "--porcelain").splitlines()) == ["?? todo.txt",
                                                                        "A  README"]
    assert logged(a, "linus") == ["2026-01-01 call", "2026-01-02 email"]


def test_clear_errors_for_a_repo_that_cannot_sync(tmp_path, run):
    plain = write_vault(tmp_path / "plain", PEOPLE)
    result = run(plain, "sync")
    assert result.exit_code == 1 and "not in a git repository" in result.stderr

    sh(plain, "init", "-q", "-b", "main")
    sh(plain, "add", "-A")
    sh(plain, "commit", "-qm", "x")
    result = run(plain, "sync")
    assert result.exit_code == 1 and "no remote" in result.stderr
    assert "git remote add origin" in result.stderr

    sh(plain, "remote", "add", "origin", str(tmp_path / "nowhere.git"))
    result = run(plain, "sync")  # the first sync pushes and sets the upstream: here, it cannot
    assert result.exit_code == 1 and "push failed: cannot reach origin" in result.stderr

    sh(plain, "config", "branch.main.remote", "origin")
    sh(plain, "config", "branch.main.merge", "refs/heads/main")
    log(plain, "linus", "2026-01-01 call")
    result = run(plain, "sync")
    assert result.exit_code == 1 and "cannot reach origin" in result.stderr
    assert "commit: log: Linus (call)" in result.output  # committed locally, kept, not pushed


def fake_ssh(tmp_path: Path, says: str) -> Path:
    """An ssh that fails the way real ssh does, and notes whether git allowed a prompt."""
    script = tmp_path / "fake-ssh"
    script.write_text(f"#!/bin/sh\necho \"prompt=$GIT_TERMINAL_PROMPT\" > {tmp_path}/ssh-env\n"
                      f"echo '{says}' >&2\nexit 255\n")
    script.chmod(0o755)
    return script


@pytest.mark.parametrize("says, expected", [
    ("git@example.invalid: Permission denied (publickey).", "refused the credentials"),
    ("ssh: Could not resolve hostname example.invalid: Name or service not known",
     "cannot reach origin"),
])
def test_ssh_failures_are_named_and_never_prompt(tmp_path, run, says, expected):
    (a,) = world(tmp_path, "a")
    sh(a, "remote", "set-url", "origin", "ssh://git@example.invalid/vault.git")
    sh(a, "config", "core.sshCommand", str(fake_ssh(tmp_path, says)))
    result = run(a, "sync")
    assert result.exit_code == 1
    assert expected in result.stderr and "pull failed" in result.stderr
    assert (tmp_path / "ssh-env").read_text().strip() == "prompt=0"


def test_git_setup_is_idempotent_and_keeps_existing_attributes(tmp_path, run):
    vault = write_vault(tmp_path / "v", PEOPLE)
    sh(vault, "init", "-q")
    (vault / ".gitattributes").write_bytes(b"*.png binary\r\n*.md text")
    first = run(vault, "git-setup")
    assert first.exit_code == 0
    assert "-m netnotes merge-driver %O %A %B %P" in first.output
    assert (vault / ".gitattributes").read_bytes() == (
        b"*.png binary\r\n*.md text\r\npeople/**/*.md merge=netnotes\r\n"
        b"journal/**/*.md merge=netnotes\r\n")
    assert sh(vault, "config", "merge.netnotes.name").startswith("netnotes")
    before = (vault / ".gitattributes").read_bytes(), (vault / ".git/config").read_bytes()
    second = run(vault, "git-setup")
    assert second.exit_code == 0 and "already set up" in second.output
    assert before == ((vault / ".gitattributes").read_bytes(),
                      (vault / ".git/config").read_bytes())
    assert sh(vault, "check-attr", "merge", "people/x/ada.md").strip().endswith("netnotes")


def test_the_merge_driver_merges_journal_notes_too(tmp_path, run):
    files = {**PEOPLE, "journal/2026-03-01.md": "# Sunday\n\n- 2026-03-01 coffee with [[linus]]\n"}
    a, b = world(tmp_path, files=files)
    with open(a / "journal/2026-03-01.md", "a") as f:
        f.write("- 2026-03-01 call with [[ada-lovelace]]\n")
    with open(b / "journal/2026-03-01.md", "a") as f:
        f.write("- 2026-03-01 walk with [[ada-lovelace]]\n")
    assert run(a, "sync").exit_code == 0
    result = run(b, "sync")
    assert result.exit_code == 0, result.stderr
    assert "journal: 2026-03-01" in sh(b, "log", "-1", "--format=%s")
    assert (b / "journal/2026-03-01.md").read_text().count("- 2026-03-01") == 3


def test_many_random_rounds_on_three_clones_lose_nothing(tmp_path, run):
    rng = random.Random(20261122)
    clones = world(tmp_path, "abc")
    owned = {clones[0]: "company", clones[1]: "role", clones[2]: "location"}
    people = ["ada-lovelace", "linus"]
    written: set[str] = set()
    day = dt.date(2026, 1, 1)
    for round_ in range(4):
        for i, clone in enumerate(clones):
            for _ in range(rng.randint(1, 3)):
                what = rng.random()
                who = rng.choice([p for p in people if (clone / f"people/{p}.md").exists()])
                if what < 0.6:
                    line = (f"{day + dt.timedelta(days=rng.randint(0, 60))} "
                            f"{rng.choice(['coffee', 'call', 'lunch'])} r{round_}c{i}"
                            f"n{len(written)}")
                    log(clone, who, line)
                    written.add(line)
                elif what < 0.8:
                    set_key(clone, who, owned[clone], f"v{round_}-{i}")
                elif what < 0.9:
                    set_key(clone, who, "tags", f"[math, t{round_}{i}]")
                else:
                    name = f"P{round_}{i}"
                    write_vault(clone, {f"people/p{round_}{i}.md": note(name)}, toml=None)
                    people.append(f"p{round_}{i}")
        for clone in rng.sample(clones, len(clones)):
            result = run(clone, "sync")
            assert result.exit_code == 0, result.stderr
    for clone in clones + clones[:1]:
        assert run(clone, "sync").exit_code == 0
    heads = {sh(c, "rev-parse", "HEAD") for c in clones}
    assert len(heads) == 1
    found: list[str] = []
    for who in people:
        lines = logged(clones[0], who)
        assert [ln[:10] for ln in lines] == sorted(ln[:10] for ln in lines)
        found += [ln for ln in lines if re.search(r" r\d+c\d+n\d+$", ln)]
    assert sorted(found) == sorted(written)  # every line once, none lost
    for clone in clones:
        assert errors(clone) == []


def test_an_empty_remote_gets_the_first_push(tmp_path, run):
    vault = write_vault(tmp_path / "v", PEOPLE)
    sh(tmp_path, "init", "-q", "--bare", "-b", "main", str(tmp_path / "empty.git"))
    sh(vault, "init", "-q", "-b", "main")
    sh(vault, "remote", "add", "origin", str(tmp_path / "empty.git"))
    sh(vault, "config", "branch.main.remote", "origin")
    sh(vault, "config", "branch.main.merge", "refs/heads/main")
    result = run(vault, "sync")
    assert result.exit_code == 0, result.output
    assert "pull: nothing to pull: origin/main does not exist yet" in result.output
    assert "push: 1 commit to origin/main (the first push;" in result.output
    assert sh(vault, "log", "-1", "--format=%s", "origin/main").startswith("add: Ada Lovelace")


def test_a_remote_that_already_has_the_branch_is_never_pushed_over(tmp_path, run):
    (a,) = world(tmp_path, "a")
    other = write_vault(tmp_path / "other", PEOPLE)
    sh(other, "init", "-q", "-b", "main")
    sh(other, "remote", "add", "origin", str(tmp_path / "remote.git"))
    result = run(other, "sync")
    assert result.exit_code == 1
    assert "origin already has a branch main" in result.stderr
    assert "git fetch origin && git branch --set-upstream-to=origin/main" in result.stderr
    assert "Your commit is kept locally" in result.stderr
    assert sh(a, "ls-remote", "origin").count("refs/heads/") == 1


def test_both_machines_add_the_same_new_contact(tmp_path, run):
    a, b = world(tmp_path)
    grace = "people/grace-hopper.md"
    write_vault(a, {grace: note("Grace Hopper", ["2026-03-01 coffee"], tier="close")}, None)
    write_vault(b, {grace: note("Grace Hopper", ["2026-03-02 call"], role="admiral")}, None)
    assert run(a, "sync").exit_code == 0
    result = run(b, "sync")
    assert result.exit_code == 0, result.stderr
    assert logged(b, "grace-hopper") == ["2026-03-01 coffee", "2026-03-02 call"]
    assert errors(b) == []


def test_the_driver_falls_back_to_gits_merge_rather_than_hide_their_side(tmp_path, monkeypatch):
    import netnotes.edit.sync as sync_module

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(sync_module, "merge_note", broken)
    files = {}
    for name, text in (("base", "a\nb\n"), ("ours", "a\nours\n"), ("theirs", "a\ntheirs\n")):
        files[name] = tmp_path / name
        files[name].write_text(text)
    result = sync_module.run_merge_driver(files["base"], files["ours"], files["theirs"],
                                          "people/x.md", cwd=tmp_path)
    assert not result.clean
    assert files["ours"].read_text() == "a\n<<<<<<< ours\nours\n=======\ntheirs\n>>>>>>> theirs\n"


def test_setup_names_this_netnotes_so_git_finds_it_without_path():
    """git runs the driver with its own PATH; a netnotes in a virtual environment must still be
    found, so the driver names this interpreter by its absolute path."""
    import shlex
    import sys

    from netnotes.edit.sync import driver_command

    words = shlex.split(driver_command())
    assert words[:3] == [sys.executable, "-m", "netnotes"]
    assert words[3:] == ["merge-driver", "%O", "%A", "%B", "%P"]
