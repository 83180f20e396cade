"""Every command a message of netnotes suggests runs when pasted.

One story walks through the situations that print a hint with a command in backquotes (a broken
note, an edit gone wrong, a value that is not one, no vault, no remote, a conflict …), collects
each hint with the folder the user is in when they read it, and runs it there with the shell,
as typed.  A second check reads the source: every command written into a message of the package
must have been seen by the story, so a new hint cannot dodge the test.
"""

from __future__ import annotations

import ast
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import private_git

import netnotes

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

PACKAGE = Path(netnotes.__file__).resolve().parent
COMMAND = re.compile(r"`((?:netnotes|git|cd) [^`]*)`")
NOT_RUN = ("No such option", "No such command", "Usage:", "usage:", "is not a git command",
           "unknown option", "did not match any", "src refspec", "Traceback", "not a git "
           "repository", "no vault here")


@pytest.fixture(autouse=True)
def _git_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    private_git(tmp_path, monkeypatch)
    monkeypatch.setenv("NETNOTES_TODAY", "2026-11-22")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("EDITOR", "true")  # `netnotes edit` opens and saves nothing
    monkeypatch.delenv("VISUAL", raising=False)
    bin_dir = tmp_path / "bin"  # `netnotes` as typed: this checkout, on PATH
    bin_dir.mkdir()
    (bin_dir / "netnotes").write_text(f"#!/bin/sh\nexec {sys.executable} -m netnotes \"$@\"\n")
    (bin_dir / "netnotes").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


class Story:
    """Runs commands as the user does and keeps every hint they print, with where they are."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.hints: list[tuple[Path, str]] = []
        self.remote = tmp / "paste-remote.git"

    def run(self, cwd: Path, line: str, *, expect: int | None = None) -> str:
        """Run a command line in ``cwd``: a plain ``netnotes …`` in this process (the same
        code, a tenth of the time), anything else with the shell."""
        if line.startswith("netnotes ") and "=" not in line.split()[0]:
            code, out = self._in_process(cwd, shlex.split(line)[1:])
        else:
            proc = subprocess.run(["sh", "-c", line], cwd=cwd, capture_output=True, text=True,
                                  stdin=subprocess.DEVNULL, check=False)
            code, out = proc.returncode, proc.stdout + proc.stderr
        assert "Traceback" not in out, out
        if expect is not None:
            assert code == expect, f"{line} → {code}:\n{out}"
        for found in COMMAND.findall(out):
            self.hints.append((cwd, found))
        return out

    @staticmethod
    def _in_process(cwd: Path, args: list[str]) -> tuple[int, str]:
        from click.testing import CliRunner

        from netnotes.cli import cli

        here = Path.cwd()
        os.chdir(cwd)
        try:
            result = CliRunner().invoke(cli, args, catch_exceptions=False)
        finally:
            os.chdir(here)
        return result.exit_code, result.output

    def paste(self, cwd: Path, hint: str, *, ok: bool = False) -> None:
        """Run a hint as typed (a URL placeholder becomes a real, empty repository)."""
        if " URL" in hint:
            if not self.remote.exists():
                git(self.tmp, "init", "-q", "--bare", str(self.remote))
            hint = hint.replace(" URL", f" {self.remote}")
        proc = subprocess.run(["sh", "-c", hint], cwd=cwd, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, check=False)
        out = proc.stdout + proc.stderr
        bad = [s for s in NOT_RUN if s in out]
        assert not bad and proc.returncode not in (2, 126, 127, 129), \
            f"pasted `{hint}` in {cwd}: exit {proc.returncode}\n{out}"
        if ok:
            assert proc.returncode == 0, f"pasted `{hint}`: exit {proc.returncode}\n{out}"

    def follow(self, cwd: Path, out: str) -> Path:
        """Paste the commands of one message in order, as a user following its steps does
        (a ``cd`` in one carries over to the next); the folder the user ends in."""
        for command in COMMAND.findall(out):
            self.paste(cwd, command + f" && pwd > {self.tmp / 'cwd'}", ok=True)
            cwd = Path((self.tmp / "cwd").read_text().strip())
        return cwd

    def hint(self, cwd: Path, line: str, starts: str, *, expect: int | None = None,
             ok: bool = True) -> str:
        """Run ``line``; the hint that starts with ``starts`` must be printed; paste it."""
        out = self.run(cwd, line, expect=expect)
        found = [h for c, h in self.hints if c == cwd and h.startswith(starts)]
        assert found, f"{line}: no hint starting with {starts!r} in:\n{out}"
        self.paste(cwd, found[-1], ok=ok)
        return found[-1]


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout


BROKEN = "---\nname: Kenji Tanaka\ntags: [a, b\n---\n"
VCARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Otto Brandt\r\nEND:VCARD\r\n"
MAYA = "---\nname: Maya Chen\ntier: close\n---\n\n## Log\n- 2026-01-05 coffee\n"


def test_every_hint_runs_when_pasted(tmp_path: Path) -> None:
    st = Story(tmp_path)
    # init, from the folder above; its hints are read there
    out = st.run(tmp_path, "netnotes init 'my network'", expect=0)
    v = tmp_path / "my network"
    assert st.follow(tmp_path, out.split("Next")[1]) == v  # its next steps, one after another
    assert (v / "people" / "ada-lovelace.md").is_file()  # the pasted `add` made Ada
    assert "name = \"Your Name\"" in (v / "netnotes.toml").read_text()
    st.paste(v, "netnotes git-setup", ok=True)
    (v / "people" / "maya-chen.md").write_text(MAYA)
    (v / "people" / "Kenji Tanaka.md").write_text(BROKEN)

    # a broken note: commands say so, and say how to fix it
    st.hint(v, "netnotes report", "netnotes check", expect=0, ok=False)  # check exits 1: errors
    st.hint(v, "netnotes log 'Kenji Tanaka' coffee", "netnotes edit 'Kenji Tanaka'", expect=1)
    st.hint(v, "netnotes show nobody", "netnotes list", expect=1)
    (v / "people" / "Kenji Tanaka.md").write_text(MAYA.replace("Maya Chen", "Kenji Tanaka"))
    st.hint(v, "EDITOR=\"sed -i 's/tier: close/tier: vip/'\" netnotes edit kenji",
            "netnotes edit kenji", expect=1)
    (v / "people" / "Kenji Tanaka.md").write_text(MAYA.replace("Maya Chen", "Kenji Tanaka"))
    st.hint(v, "netnotes --vault . edit nobody", "netnotes --vault . list", expect=1)

    # values that are not values
    st.hint(v, "netnotes set maya company ''", "netnotes unset maya-chen company", expect=2)
    st.hint(v, "netnotes set maya history x", "netnotes edit maya-chen", expect=2)
    st.hint(v, "netnotes snooze maya soonish", "netnotes unset maya snooze_until", expect=2)
    dup = v / "people" / "maya-chen.md"
    dup.write_text(MAYA.replace("tier: close", "tier: close\ntier: network"))
    st.hint(v, "netnotes set maya company Acme", "netnotes edit maya-chen", expect=1)
    dup.write_text(MAYA)

    # an import: its next step names a new contact
    (tmp_path / "friends.vcf").write_text(VCARD)
    out = st.run(v, f"netnotes import {shlex.quote(str(tmp_path / 'friends.vcf'))}", expect=0)
    for h in [h for c, h in st.hints if c == v and h.startswith(("netnotes set ",
                                                                 "netnotes unset "))][-2:]:
        assert "otto" in h, out
        st.paste(v, h, ok=True)

    # a folder kept by another tool, adopted: the next steps name it
    (tmp_path / "my notes" / "People").mkdir(parents=True)
    (tmp_path / "my notes" / "People" / "Otto.md").write_text(MAYA.replace("Maya Chen", "Otto"))
    st.run(tmp_path, "netnotes init --adopt 'my notes' --yes", expect=0)
    for h in [h for c, h in st.hints if c == tmp_path and h.startswith("netnotes --vault ")]:
        st.paste(tmp_path, h, ok=True)

    # no vault here, or not where --vault says
    (tmp_path / "other notes").mkdir()
    st.hint(tmp_path, "netnotes --vault 'other notes' report", "netnotes init 'other notes'",
            expect=1)
    empty = tmp_path / "empty"
    empty.mkdir()
    st.hint(empty, "netnotes report", "netnotes init", expect=1)
    nogit = tmp_path / "no git"
    st.run(tmp_path, f"PATH={Path(sys.executable).parent}:{tmp_path / 'bin'} "
           "netnotes init 'no git'", expect=0)  # git not found: `git init` there later
    st.paste(nogit, "git init", ok=True)
    shutil.rmtree(nogit / ".git")
    st.hint(nogit, "netnotes sync", "cd ", expect=1)  # `cd … && git init && netnotes git-setup`
    assert "git remote add origin URL" in st.run(nogit, "netnotes sync --dry-run", expect=0)

    # an encrypted vault in a clone that does not encrypt: sync refuses, says how to set it up
    # (pasted without the vault's key, that says where the key must go: exit 1)
    from pyrage import x25519

    st.run(tmp_path, "netnotes init locked", expect=0)
    recipient = str(x25519.Identity.generate().to_public())
    (tmp_path / "locked" / ".netnotes-recipients").write_text(recipient + "\n")
    st.hint(tmp_path / "locked", "netnotes sync", "netnotes git-setup --encrypt", expect=1,
            ok=False)

    _sync_hints(st, v, tmp_path)
    _check_every_hint_in_the_source_was_seen(st.hints)


def _sync_hints(st: Story, v: Path, tmp: Path) -> None:
    # no remote yet; then the first sync pushes, so `netnotes sync` after the hint works
    st.hint(v, "netnotes sync", "git remote add origin URL", expect=1)
    st.paste(v, "netnotes sync", ok=True)
    branch = git(v, "symbolic-ref", "--short", "HEAD").strip()

    # a second clone without the merge driver; a conflict the driver cannot resolve
    git(tmp, "clone", "-q", str(st.remote), "desk")
    desk = tmp / "desk"
    st.hint(desk, "netnotes sync", "netnotes git-setup", expect=0)
    maya = v / "people" / "maya-chen.md"
    for mode in ("", " --merge"):
        for where, company in ((desk, "Acme"), (v, "Globex")):
            st.run(where, f"netnotes set maya company {company}{'2' if mode else ''}",
                   expect=0)
            st.run(where, f"netnotes sync{mode}", expect=0 if where == desk else 1)
        abort = "git rebase --abort" if not mode else "git merge --abort"
        assert abort in [h for c, h in st.hints if c == v]  # printed by the failed pull
        st.paste(v, abort, ok=True)
        st.run(v, f"netnotes sync{mode}", expect=1)  # the same conflict again
        refused = st.run(v, f"netnotes sync{mode}", expect=1)  # stopped: finish it first
        assert "in progress. Conflicts in: people/maya-chen.md" in refused
        maya.write_text(MAYA.replace("close", "close\ncompany: Resolved" + mode.strip()))
        add = [h for c, h in st.hints if c == v and h.startswith("git add ")][-1]
        assert add == "git add people/maya-chen.md && git " + (
            "commit --no-edit" if mode else "rebase --continue")
        git(v, "add", "people/maya-chen.md")  # added by hand, but not finished yet
        if not mode:
            _stopped_rebase(st, v)
        st.hint(v, "netnotes sync", add.split(" && ")[1], expect=1, ok=True)
        st.run(v, f"netnotes sync{mode}", expect=0)
        st.run(desk, "netnotes sync", expect=0)

    # detached HEAD, with a branch to go back to, then with none
    git(v, "checkout", "-q", "--detach")
    st.hint(v, "netnotes sync", f"git switch {branch}", expect=1, ok=True)
    git(desk, "checkout", "-q", "--detach")
    git(desk, "branch", "-q", "-D", branch)
    st.hint(desk, "netnotes sync", "git switch -c main", expect=1, ok=True)

    # a new clone whose remote already has the branch it never tracked
    other = tmp / "other"
    st.run(tmp, "netnotes init other", expect=0)
    git(other, "remote", "add", "origin", str(st.remote))
    git(other, "branch", "-m", branch)
    hint = st.hint(other, "netnotes sync", "git fetch origin &&", expect=1)
    assert f"--set-upstream-to=origin/{branch}" in hint

    # several remotes, none of them origin, and no upstream
    st.run(tmp, "netnotes init third", expect=0)
    for name in ("laptop", "backup"):
        git(tmp, "init", "-q", "--bare", f"{name}.git")
        git(tmp / "third", "remote", "add", name, str(tmp / f"{name}.git"))
    st.hint(tmp / "third", "netnotes sync", "git push -u backup HEAD", expect=1, ok=True)

    # an unreachable remote: the hint is to look at it
    git(desk, "remote", "set-url", "origin", str(tmp / "gone.git"))
    st.run(desk, "netnotes log maya call", expect=0)
    st.hint(desk, "netnotes sync", "git remote -v", expect=1, ok=True)
    _stash_hint(st, tmp)


def _stopped_rebase(st: Story, v: Path) -> None:
    """What sync says when a pull stops in a rebase without a conflicted file (say, a hook
    stopped it): asked of the function directly, in a real stopped rebase."""
    from netnotes.edit.sync import SyncError, open_repo, pull_failed

    proc = subprocess.CompletedProcess(["git", "pull"], 1, "", "error: could not apply")
    with pytest.raises(SyncError) as said:
        pull_failed(open_repo(v), proc, "rebase", "origin/main", True)
    st.hints += [(v, h) for h in COMMAND.findall(str(said.value))]
    st.paste(v, "git status", ok=True)


def _stash_hint(st: Story, tmp: Path) -> None:
    """A vault in a folder of a bigger repository, with a change outside it that the pull's
    autostash cannot put back: the hint is to look at the stash."""
    remote = tmp / "big.git"
    git(tmp, "init", "-q", "--bare", str(remote))
    big = tmp / "big"
    git(tmp, "clone", "-q", str(remote), str(big))
    (big / "todo.txt").write_text("one\n")
    st.run(big, "netnotes init contacts", expect=0)
    git(big, "add", "-A")
    git(big, "commit", "-qm", "start")
    git(big, "push", "-q", "-u", "origin", "HEAD")
    git(tmp, "clone", "-q", str(remote), "big2")
    (tmp / "big2" / "todo.txt").write_text("two\n")
    git(tmp / "big2", "commit", "-qam", "theirs")
    git(tmp / "big2", "push", "-q")
    (big / "todo.txt").write_text("three\n")
    st.run(big / "contacts", "netnotes add 'Ada Lovelace'", expect=0)
    st.hint(big / "contacts", "netnotes sync", "git stash list", expect=0, ok=True)
    st.paste(big / "contacts", "git stash pop")


def _check_every_hint_in_the_source_was_seen(seen: list[tuple[Path, str]]) -> None:
    """Each command written into a message of the package (not in a docstring: that is help)
    starts at least one hint the story printed."""
    printed = [h for _, h in seen]
    printed += [re.sub(r"^netnotes --vault ('[^']*'|\S+) ", "netnotes ", h) for h in printed]
    missing = []
    for path, line, prefix in source_commands():
        if (path.name, prefix) in NOT_HINTS:
            continue
        if not any(h.startswith(prefix) for h in printed):
            missing.append(f"{path.name}:{line}: `{prefix}…`")
    assert not missing, "hints never shown by the story:\n" + "\n".join(missing)


# Commands in strings that are not messages to paste: a comment written into the netnotes.toml
# that `init --adopt` proposes, naming the command that wrote it.
NOT_HINTS = {("adopt.py", "netnotes init --adopt")}


def source_commands() -> list[tuple[Path, int, str]]:
    """``(file, line, the command's words up to its first variable part)`` for every command in
    a message: backquoted in a string, a ``hint('list')`` call, or a
    ``shlex.join(['netnotes', 'edit', …])`` list."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if id(node) in docstrings:
                continue
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "hint" and \
                    node.args and isinstance(node.args[0], ast.Constant):
                out.append((path, node.lineno, f"netnotes {node.args[0].value}"))
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "join" and \
                    getattr(node.func, "value", None) is not None and \
                    getattr(node.func.value, "id", "") == "shlex" and node.args and \
                    isinstance(node.args[0], ast.List) and \
                    getattr(node.args[0].elts[0], "value", None) in ("netnotes", "git"):
                words = []
                for elt in node.args[0].elts:
                    if not isinstance(elt, ast.Constant):
                        break
                    words.append(str(elt.value))
                if len(words) > 1:
                    out.append((path, node.lineno, " ".join(words)))
            elif isinstance(node, (ast.Constant, ast.JoinedStr)):
                text = _text(node)
                for found in COMMAND.findall(text):
                    prefix = found.split("\0", 1)[0].strip()
                    if prefix not in ("netnotes", "git", "cd"):
                        out.append((path, node.lineno, prefix))
    return out


def _text(node: ast.AST) -> str:
    """A string literal's text; an f-string's variable parts become NUL."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else ""
    assert isinstance(node, ast.JoinedStr)
    return "".join(v.value if isinstance(v, ast.Constant) else "\0" for v in node.values)
