"""Running git for a vault: one helper that calls git with a clean environment and never prompts,
and the repository a vault lives in.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from netnotes.core import NetnotesError
from netnotes.vault import CACHE_DIR


class SyncError(NetnotesError):
    """A git step failed; the message says what happened and what to do."""


def git_env(*, english: bool = True) -> dict[str, str]:
    """The environment for git: no prompts (a missing credential fails instead of waiting for a
    terminal), and messages in English where we need to recognise them."""
    env = dict(os.environ)
    env["GIT_TERMINAL_PROMPT"] = "0"
    if english:
        env["LC_ALL"] = "C"
        env.pop("LANGUAGE", None)
    return env


def git(cwd: Path, *args: str, check: bool = True, env: dict[str, str] | None = None,
        input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``git args`` in ``cwd``; with ``check``, a failure is a SyncError quoting git.
    ``input`` is git's stdin (else none, so git can never wait for a terminal)."""
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              env=env or git_env(), check=False, encoding="utf-8",
                              errors="replace",
                              **({"input": input} if input is not None
                                 else {"stdin": subprocess.DEVNULL}))
    except FileNotFoundError:
        raise SyncError("git is not installed (or not on PATH) — install git from "
                        "https://git-scm.com and try again") from None
    if check and proc.returncode != 0:
        raise SyncError(f"git {args[0]} failed: {_git_says(proc)}")
    return proc


def _git_says(proc: subprocess.CompletedProcess[str]) -> str:
    lines = [ln.strip() for ln in (proc.stderr + "\n" + proc.stdout).splitlines() if ln.strip()]
    lines = [ln for ln in lines if not ln.startswith("hint:")]
    return " / ".join(lines[:4]) or f"exit code {proc.returncode}"


@dataclass(frozen=True)
class Repo:
    """A vault inside a git work tree: where the repository starts and where the vault is."""

    top: Path
    vault: Path
    prefix: str  # the vault folder relative to ``top``, with "/" ("" when the vault is the top)

    @property
    def pathspecs(self) -> list[str]:
        """The vault, without the cache: what sync stages and commits (run from ``top``)."""
        return [self.prefix or ".", f":(exclude){self.prefix}{CACHE_DIR}"]

    def git_path(self, name: str) -> Path:
        return self.top / git(self.top, "rev-parse", "--git-path", name).stdout.strip()


def open_repo(vault: Path) -> Repo:
    """The repository holding ``vault``, or a SyncError that says how to make one."""
    vault = Path(vault).resolve()
    proc = git(vault, "rev-parse", "--show-toplevel", "--show-prefix", check=False)
    if proc.returncode != 0:
        if "not a git repository" in proc.stderr:
            go = shlex.join(["cd", str(vault)])
            raise SyncError(f"{vault} is not in a git repository — make one with `{go} && git "
                            "init && netnotes git-setup`, then `git remote add origin URL` and "
                            "`netnotes sync` again")
        raise SyncError(f"cannot use git here: {_git_says(proc)}")
    top, prefix = (proc.stdout.split("\n") + [""])[:2]
    return Repo(Path(top).resolve(), vault, prefix.strip())


def rev(repo: Repo, ref: str) -> str:
    return git(repo.top, "rev-parse", "-q", "--verify", ref + "^{commit}",
               check=False).stdout.strip()
