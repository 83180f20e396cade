"""Syncing a vault through git: commit what changed in people's terms, pull, push — and the merge
driver and setup that make the pull merge notes without conflicts.

Everything runs the user's own ``git`` (their credentials, hooks, signing and config) with
``GIT_TERMINAL_PROMPT=0`` and no stdin, so a missing password is an error message, never a
command that hangs.  No credential is ever read or stored here.
"""

from __future__ import annotations

import contextlib
import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from netnotes.core import Config, NetnotesError, VaultNotFound
from netnotes.edit.crypt import configured, is_age
from netnotes.edit.crypt import wanted as encryption_wanted
from netnotes.edit.describe import (
    Change,
    _verb_rank,
    commit_message,
    describe_change,
    vault_changes,
)
from netnotes.edit.gitrepo import Repo, SyncError, _git_says, git, git_env, open_repo, rev
from netnotes.edit.merge import (
    WHOLE,
    MergeResult,
    conflict_lines,
    git_merge_file,
    merge_note,
)
from netnotes.vault import find_vault, load_config, note_kind, write_bytes_atomic

DRIVER = "netnotes"
DRIVER_NAME = "netnotes: merge notes key by key, log lines as a union"
ATTRIBUTES = ".gitattributes"


@dataclass(frozen=True)
class Step:
    """One step of a sync and how it went, printed as ``name: outcome``."""

    name: str
    outcome: str

    def __str__(self) -> str:
        return f"{self.name}: {self.outcome}"


# --- running git ----------------------------------------------------------------------------


# --- setup and the merge driver ------------------------------------------------------------


def this_netnotes() -> str:
    """How to start the netnotes that is running now, as a shell word: the interpreter's absolute
    path with ``-m netnotes``.  git runs the driver with its own PATH, where a netnotes installed
    in a virtual environment is often missing; ``.git/config`` is per clone, so a path of this
    machine is the right thing to write there."""
    return shlex.join([sys.executable, "-m", "netnotes"])


def driver_command(command: str | None = None) -> str:
    """The command git runs to merge a note; ``command`` is how to start netnotes."""
    return f"{command or this_netnotes()} merge-driver %O %A %B %P"


def git_setup(root: Path, *, command: str | None = None, encrypt: bool = False,
              key_file: Path | None = None) -> list[str]:
    """Register the note merge driver: ``merge.netnotes.*`` in the repository's own config and
    ``merge=netnotes`` for the people and journal notes in the vault's ``.gitattributes``;
    with ``encrypt``, the age filter too (netnotes.edit.crypt).

    Idempotent: run it again and nothing changes.  Returns what was changed, for printing.
    ``netnotes init`` calls this after ``git init``.
    """
    repo = open_repo(root)
    config, _ = load_config(repo.vault)
    changed: list[str] = []
    wanted = {f"merge.{DRIVER}.name": DRIVER_NAME,
              f"merge.{DRIVER}.driver": driver_command(command)}
    for key, value in wanted.items():
        now = git(repo.top, "config", "--local", "--get", key, check=False).stdout.rstrip("\n")
        if now != value:
            git(repo.top, "config", "--local", key, value)
            changed.append(f"git config {key} = {value}")
    attrs = repo.vault / ATTRIBUTES
    try:
        old = attrs.read_bytes()
    except FileNotFoundError:
        old = b""
    text = old.decode("utf-8", "replace")
    have = {ln.strip() for ln in text.splitlines()}
    folders = [config.people_dir]
    if config.journal_dir and config.journal_dir != config.people_dir:
        folders.append(config.journal_dir)
    patterns = [("**/*.md" if f == "." else f"{f}/**/*.md") + f" merge={DRIVER}"
                for f in folders]  # a folder of "." (an adopted vault): every note
    missing = [p for p in dict.fromkeys(patterns) if p not in have]
    if missing:
        nl = "\r\n" if "\r\n" in text else "\n"
        sep = "" if not text or text.endswith("\n") else nl
        write_bytes_atomic(attrs, old + (sep + nl.join(missing) + nl).encode("utf-8"))
        changed.append(f"{attrs.relative_to(repo.top).as_posix()}: " + "; ".join(missing))
    if encrypt:
        from netnotes.edit.crypt import setup_encryption

        changed += setup_encryption(repo.vault, folders, command=command or this_netnotes(),
                                    key=key_file)
    return changed


def first_commit(root: Path, files: Sequence[str]) -> str:
    """Commit the files ``netnotes init`` wrote, so the new repository has a branch to push at
    once (``git push -u origin HEAD`` works, and so does the first ``netnotes sync``).  Returns
    what happened, in words; a failure (say, no ``user.name`` yet) is said, never raised: the
    vault is made either way and the first sync commits instead."""
    repo = open_repo(root)
    names = "".join(f":(literal){repo.prefix}{f}\0" for f in files)
    spec = ["--pathspec-from-file=-", "--pathspec-file-nul"]
    git(repo.top, "add", "-A", *spec, input=names)
    proc = git(repo.top, "commit", "-q", "-m", "netnotes init: a new vault", *spec,
               input=names, check=False, env=git_env(english=False))
    if proc.returncode != 0:
        git(repo.top, "reset", "-q", check=False)
        return f"no first commit ({_git_says(proc)}); the first `netnotes sync` makes it"
    branch = git(repo.top, "symbolic-ref", "--short", "-q", "HEAD", check=False).stdout.strip()
    return f"first commit on branch {branch}"


def ignore_output(vault: Path, out: Path) -> str | None:
    """A report written inside a vault kept in git would be committed by the next sync, and
    change in every commit: when ``out`` is inside ``vault``, untracked and not ignored yet,
    its path goes into the vault's .gitignore.  Returns what was done, in words; None when
    nothing was needed (outside the vault, no git, already ignored, or tracked on purpose)."""
    vault, out = Path(vault).resolve(), Path(out).resolve()
    try:
        rel = out.relative_to(vault).as_posix()
    except ValueError:
        return None
    proc = git(vault, "rev-parse", "--is-inside-work-tree", check=False)
    if proc.returncode != 0 or proc.stdout.strip() != "true":
        return None
    ignored = git(vault, "check-ignore", "-q", "--no-index", "--", rel, check=False)
    tracked = git(vault, "ls-files", "--error-unmatch", "--", rel, check=False)
    if ignored.returncode == 0 or tracked.returncode == 0:
        return None
    path = vault / ".gitignore"
    if path.is_symlink():
        return None
    try:
        old = path.read_bytes()
    except FileNotFoundError:
        old = b""
    nl = b"\r\n" if b"\r\n" in old else b"\n"
    sep = b"" if not old or old.endswith(b"\n") else nl
    line = "/" + re.sub(r"([*?\[\\!#])", r"\\\1", rel)  # the file itself, not a pattern
    write_bytes_atomic(path, old + sep + line.encode("utf-8") + nl)
    return f"{rel} is inside the vault: added it to .gitignore, so sync does not commit it"


def driver_installed(repo: Repo) -> bool:
    return git(repo.top, "config", "--get", f"merge.{DRIVER}.driver", check=False).returncode == 0


def run_merge_driver(base: Path, ours: Path, theirs: Path, path: str,
                     cwd: Path | None = None) -> MergeResult:
    """What git's ``merge.netnotes.driver`` runs: merge the three files, write the result into
    ``ours`` (%A) the safe way.  ``path`` (%P) is the note's path in the repository; it says
    whether the note is a person's (log sections only) or the journal's (every section).

    The three versions are read, merged and written under the vault's write lock, so a netnotes
    command writing at the same moment waits its turn.  When the lock cannot be had (another
    writer held it too long, no ``.netnotes`` can be made) the merge runs anyway: it writes only
    git's own copy %A, never the note, and git must get an answer."""
    here = Path(cwd or Path.cwd())
    root, headings = _vault_and_headings(here / path)
    with contextlib.ExitStack() as stack:
        if root is not None:
            from netnotes.edit.notes import lock_vault

            with contextlib.suppress(NetnotesError):
                stack.enter_context(lock_vault(root))
        data = [Path(p).read_bytes() for p in (base, ours, theirs)]
        sealed = None
        if any(map(is_age, data)):  # an encrypted remote: git merges what it stores
            from netnotes.edit.crypt import Crypt

            sealed = Crypt(here)
            data = [sealed.plain(d) for d in data]
        try:
            result = merge_note(*data, log_headings=headings)
        except Exception as exc:  # a bug here must not hide their side: git's merge, with markers
            print(f"netnotes merge-driver: {path}: {exc!r}; merged line by line", file=sys.stderr)
            merged, clean = git_merge_file(*data)
            result = MergeResult(merged, () if clean else (WHOLE,))
        write_bytes_atomic(Path(ours), result.data if sealed is None or not result.clean
                           else sealed.encrypt(result.data))
    return result


def _vault_and_headings(note: Path) -> tuple[Path | None, tuple[str, ...] | None]:
    """The vault the note is in (None when there is none) and the log headings to merge by."""
    try:
        root = find_vault(None, env={}, cwd=note.parent if note.parent.is_dir() else Path.cwd())
        config, _ = load_config(root)
        rel = note.resolve().relative_to(root).as_posix()
    except (VaultNotFound, ValueError, OSError):
        return None, Config().log_headings
    if note_kind(rel, config) == "journal":
        return root, None
    return root, config.log_headings


# --- what changed, in people's terms ---------------------------------------------------------


# --- sync ----------------------------------------------------------------------------------


@dataclass
class SyncResult:
    steps: list[Step] = field(default_factory=list)
    committed: bool = False
    pushed: bool = False


@dataclass(frozen=True)
class Upstream:
    """Where a sync pulls from and pushes to.  ``tracked`` is False before the first push: the
    branch has no upstream yet, and sync pushes it to ``remote`` and sets it (``git push -u``)."""

    remote: str
    merge_ref: str  # refs/heads/<branch> on the remote
    tracked: bool

    def __str__(self) -> str:
        return f"{self.remote}/{self.merge_ref.removeprefix('refs/heads/')}"


NO_REMOTE_HINT = ("add one with `git remote add origin URL` (URL: an empty repository on your "
                  "git host, or a path), then run `netnotes sync` again: the first sync pushes")


def find_upstream(repo: Repo, branch: str) -> Upstream | None:
    """The branch's upstream; else the remote its first push goes to (``origin``, or the only
    remote); None without any remote."""
    remote = git(repo.top, "config", f"branch.{branch}.remote", check=False).stdout.strip()
    merge_ref = git(repo.top, "config", f"branch.{branch}.merge", check=False).stdout.strip()
    if remote and merge_ref:
        return Upstream(remote, merge_ref, True)
    remotes = git(repo.top, "remote").stdout.split()
    if not remotes:
        return None
    if "origin" not in remotes and len(remotes) > 1:
        raise SyncError(f"branch {branch} has no upstream and there are several remotes "
                        f"({', '.join(remotes)}) — push it once to the one to sync with: "
                        f"`git push -u {shlex.quote(remotes[0])} HEAD`, then `netnotes sync`")
    return Upstream("origin" if "origin" in remotes else remotes[0], f"refs/heads/{branch}",
                    False)


def sync(root: Path, *, pull: str | None = None, message: str | None = None,
         dry_run: bool = False, report: Callable[[Step], None] = lambda step: None
         ) -> SyncResult:
    """Commit the vault's changes, pull (rebase or merge), push.  Each step is passed to
    ``report`` as it finishes.  A failing step raises SyncError and nothing after it runs, so
    nothing is pushed that was not pulled and merged cleanly.  The first sync of a branch
    without an upstream pushes it and sets the upstream, so a new vault needs no git lore."""
    repo = open_repo(root)
    if encryption_wanted(repo.vault) and not configured(repo.top):
        raise SyncError(
            "this vault's notes are encrypted on the git host, but this clone does not "
            "encrypt them: a sync would push them in plain text — run `netnotes git-setup "
            "--encrypt` here (with the vault's key: docs/privacy.md), then sync; nothing was "
            "committed, pulled or pushed")
    config, _ = load_config(repo.vault)
    mode = pull or config.sync_pull
    result = SyncResult()

    def step(name: str, outcome: str) -> None:
        s = Step(name, outcome)
        result.steps.append(s)
        report(s)

    _refuse_unfinished(repo)
    branch = git(repo.top, "symbolic-ref", "--short", "-q", "HEAD", check=False).stdout.strip()
    if not branch:
        raise SyncError(f"not on a branch (detached HEAD) — {_switch_hint(repo)} first")
    upstream = find_upstream(repo, branch)
    if upstream is None and not dry_run:
        raise SyncError(f"this repository has no remote to sync with — {NO_REMOTE_HINT}")
    if not driver_installed(repo):
        step("setup", "the netnotes merge driver is not registered in this clone, so git "
             "merges notes line by line — run `netnotes git-setup`")

    changes, outside = vault_changes(repo)
    if outside:
        shown = ", ".join(outside[:3]) + (f" and {len(outside) - 3} more" if len(outside) > 3
                                          else "")
        step("outside", f"left alone: {len(outside)} change{'s' if len(outside) != 1 else ''} "
             f"outside the vault folder ({shown})")
    items = sorted((i for c in sorted(changes, key=lambda c: c.path)
                    for i in describe_change(c, config)), key=_verb_rank)
    subject, body = commit_message(items, message)
    if dry_run:
        _dry_run(step, changes, items, subject, upstream, mode)
        return result
    assert upstream is not None

    if changes:
        _commit(repo, changes, subject, body)
        result.committed = True
        step("commit", subject)
    else:
        step("commit", "nothing to commit")

    if not upstream.tracked:
        result.pushed = _first_push(repo, upstream, step, result.committed)
        return result
    first = _pull(repo, upstream, mode, step, result.committed)
    if first:  # the upstream branch is not on the remote yet: this push makes it
        result.pushed = _first_push(repo, upstream, step, result.committed)
        return result
    ahead = git(repo.top, "rev-list", "--count", f"{upstream}..HEAD").stdout.strip()
    if ahead == "0":
        step("push", "nothing to push")
        return result
    proc = git(repo.top, "push", "--porcelain", upstream.remote, f"HEAD:{upstream.merge_ref}",
               env=_remote_env(repo), check=False)
    if proc.returncode != 0:
        _remote_failed(proc, "push", str(upstream), rejected_hint=(
            "someone pushed while you were syncing — run `netnotes sync` again"))
    result.pushed = True
    step("push", f"{ahead} commit{'s' if ahead != '1' else ''} to {upstream}")
    return result


def _dry_run(step: Callable[[str, str], None], changes: Sequence[Change], items: Sequence[str],
             subject: str, upstream: Upstream | None, mode: str) -> None:
    if changes:
        step("would commit", subject)
        for item in items if subject != ", ".join(items) else ():  # subject cut short
            step("  change", item)
        for c in changes:
            step("  file", c.path)
    else:
        step("would commit", "nothing: no changes in the vault")
    if upstream is None:
        step("would pull", f"nothing: no remote yet — {NO_REMOTE_HINT}")
        step("would push", "nothing: no remote yet")
    elif not upstream.tracked:
        step("would pull", f"nothing: the first sync of this branch pushes it to "
             f"{upstream.remote}")
        step("would push", f"to {upstream} (the first push; it becomes the upstream)")
    else:
        step("would pull", f"from {upstream} ({mode})")
        step("would push", f"to {upstream}")


def _commit(repo: Repo, changes: Sequence[Change], subject: str, body: str) -> None:
    """Stage and commit exactly the files the message describes, named one by one (NUL-
    separated and literal, so any file name works).  An exclude pathspec for the cache would
    make `git add` fail as soon as .gitignore ignores the cache, as the one `init` writes does;
    naming the files also leaves anything the user staged outside the vault alone."""
    names = "".join(f":(literal){c.path}\0" for c in changes)
    spec = ["--pathspec-from-file=-", "--pathspec-file-nul"]
    git(repo.top, "add", "-A", *spec, input=names)
    args = ["commit", "-q", "-m", subject] + (["-m", body] if body else [])
    proc = git(repo.top, *args, *spec, check=False, input=names,
               env=git_env(english=False))  # hooks and signing run in the user's locale
    if proc.returncode != 0:
        raise SyncError(f"commit failed, nothing was pulled or pushed: {_git_says(proc)}")


def _pull(repo: Repo, upstream: Upstream, mode: str, step: Callable[[str, str], None],
          committed: bool) -> bool:
    """Pull; True when the upstream branch does not exist on the remote yet (an empty remote)."""
    before = rev(repo, f"{upstream}")
    pull_args = (["pull", "--rebase", "--autostash"] if mode == "rebase"
                 else ["pull", "--no-rebase", "--ff", "--no-edit", "--autostash"])
    proc = git(repo.top, *pull_args, upstream.remote, upstream.merge_ref,
               env=_remote_env(repo), check=False)
    if proc.returncode != 0:
        if "couldn't find remote ref" in (proc.stderr + proc.stdout).lower() \
                and not _conflicted(repo):
            step("pull", f"nothing to pull: {upstream} does not exist yet")
            return True
        pull_failed(repo, proc, mode, str(upstream), committed)
    after = rev(repo, str(upstream))
    if before == after:
        step("pull", f"up to date with {upstream}")
    else:
        n = git(repo.top, "rev-list", "--count", f"{before}..{after}" if before else after
                ).stdout.strip()
        files = [f for f in git(repo.top, "diff", "--name-only", "-z",
                                *([before] if before else []), after, "--", *repo.pathspecs,
                                check=False).stdout.split("\0") if f]
        step("pull", f"{n} new commit{'s' if n != '1' else ''} from {upstream}"
             + (f" ({_list(files)})" if files else ""))
    if "Your changes are safe in the stash" in proc.stdout + proc.stderr:
        step("outside", "your uncommitted changes conflicted when put back; they are safe in "
             "`git stash list` — `git stash pop` when ready")
    return False


def _first_push(repo: Repo, upstream: Upstream, step: Callable[[str, str], None],
                committed: bool) -> bool:
    """Push a branch the remote does not have yet and make it the upstream (``git push -u``).
    Refuses, keeping the commit, when the remote already has a branch of that name: that
    history must be joined first, and the user says how."""
    kept = " Your commit is kept locally; nothing was pushed." if committed else ""
    if not rev(repo, "HEAD"):
        step("push", "nothing to push: no commit yet")
        return False
    branch = upstream.merge_ref.removeprefix("refs/heads/")
    if upstream.tracked:
        there = ""
    else:
        proc = git(repo.top, "ls-remote", "--heads", upstream.remote, upstream.merge_ref,
                   env=_remote_env(repo), check=False)
        if proc.returncode != 0:
            _remote_failed(proc, "push", str(upstream), extra=kept)
        there = proc.stdout.strip()
    if there:
        raise SyncError(
            f"{upstream.remote} already has a branch {branch}, and this one does not track it, "
            f"so netnotes will not push over it — `git fetch {shlex.quote(upstream.remote)} && "
            f"git branch --set-upstream-to={shlex.quote(str(upstream))}`, then `netnotes "
            f"sync` (it merges both histories).{kept}")
    ahead = git(repo.top, "rev-list", "--count", "HEAD").stdout.strip()
    proc = git(repo.top, "push", "--porcelain", "-u", upstream.remote,
               f"HEAD:{upstream.merge_ref}", env=_remote_env(repo), check=False)
    if proc.returncode != 0:
        _remote_failed(proc, "push", str(upstream), extra=kept,
                       rejected_hint="someone pushed while you were syncing — run `netnotes "
                       "sync` again")
    step("push", f"{ahead} commit{'s' if ahead != '1' else ''} to {upstream} (the first push; "
         f"{upstream} is now this branch's upstream)")
    return True


def _switch_hint(repo: Repo) -> str:
    """`git switch main`, naming a branch this repository has (main or master first)."""
    have = git(repo.top, "for-each-ref", "--format=%(refname:short)", "refs/heads",
               check=False).stdout.split()
    mine = next((b for b in ("main", "master") if b in have), have[0] if have else "")
    return (f"`git switch {shlex.quote(mine)}`" if mine else
            "`git switch -c main` (a new branch here)")


def _list(paths: Sequence[str], n: int = 3) -> str:
    return ", ".join(paths[:n]) + (f" and {len(paths) - n} more" if len(paths) > n else "")


def _remote_env(repo: Repo) -> dict[str, str]:
    """ssh must not ask for a passphrase or a host key on the terminal either; keep the user's
    own ssh command when they set one."""
    env = git_env()
    if "GIT_SSH_COMMAND" not in env and "GIT_SSH" not in env and git(
            repo.top, "config", "core.sshCommand", check=False).returncode != 0:
        env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes"
    return env


def _conflicted(repo: Repo) -> list[str]:
    out = git(repo.top, "diff", "--name-only", "-z", "--diff-filter=U", check=False).stdout
    return [p for p in out.split("\0") if p]


def _where(repo: Repo, paths: Sequence[str]) -> str:
    """``people/ada.md (line 3: tier)`` for each conflicted note: where the markers are and,
    in the front matter, which key they surround."""
    out = []
    for p in paths:
        try:
            data = (repo.top / p).read_bytes()
        except OSError:
            out.append(p)
            continue
        lines = data.decode("utf-8", "replace").replace("\r\n", "\n").split("\n")
        spots = []
        for n in conflict_lines(data):
            key = re.match(r"^([A-Za-z_][\w-]*):", lines[n] if n < len(lines) else "")
            spots.append(f"line {n}: {key.group(1)}" if key else f"line {n}")
        out.append(f"{p} ({', '.join(spots)})" if spots else p)
    return ", ".join(out)


def _add_command(repo: Repo, paths: Sequence[str]) -> str:
    """``git add people/ada.md``, each path quoted; from the top of the repository (``:/``) when
    the vault is a folder inside it, so that it runs from the vault folder too."""
    top = ":/" if repo.prefix else ""
    return shlex.join(["git", "add", *(top + p for p in paths)])


def _refuse_unfinished(repo: Repo) -> None:
    """A rebase or merge already stopped half way: finish it first, by hand."""
    paths = _conflicted(repo)
    where = f" Conflicts in: {_where(repo, paths)}." if paths else ""
    if repo.git_path("rebase-merge").exists() or repo.git_path("rebase-apply").exists():
        add = f"`{_add_command(repo, paths)} && git rebase --continue`" if paths else \
            "`git rebase --continue`"
        raise SyncError(f"a rebase is in progress.{where} Resolve the marked lines, then {add}, "
                        "or `git rebase --abort`; then run `netnotes sync` again")
    if repo.git_path("MERGE_HEAD").exists() or paths:
        add = f"`{_add_command(repo, paths)} && git commit --no-edit`" if paths else \
            "`git commit --no-edit`"
        raise SyncError(f"a merge is in progress.{where} Resolve the marked lines, then {add}, "
                        "or `git merge --abort`; then run `netnotes sync` again")


def pull_failed(repo: Repo, proc: subprocess.CompletedProcess[str], mode: str,
                 upstream: str, committed: bool) -> None:
    paths = _conflicted(repo)
    kept = " Your commit is kept locally; nothing was pushed." if committed else \
        " Nothing was pushed."
    if paths:
        add = _add_command(repo, paths)
        if mode == "rebase":
            how = ("(In a rebase, `ours` is the version already pushed and `theirs` is "
                   f"yours.) Edit the marked lines, then `{add} && git rebase --continue` and "
                   "run `netnotes sync` again — or `git rebase --abort` to return to where you "
                   "were.")
        else:
            how = (f"Edit the marked lines, then `{add} && git commit --no-edit` and run "
                   "`netnotes sync` "
                   "again — or `git merge --abort` to return to where you were.")
        raise SyncError(f"pull stopped on a conflict the merge driver cannot resolve in "
                        f"{_where(repo, paths)}. {how}{kept}")
    if repo.git_path("rebase-merge").exists() or repo.git_path("rebase-apply").exists():
        raise SyncError(f"pull stopped in the middle of a rebase: {_git_says(proc)}. "
                        "`git status` shows where; `git rebase --continue` when it is fixed, "
                        f"or `git rebase --abort` to return to where you were.{kept}")
    _remote_failed(proc, "pull", upstream, extra=kept)


_AUTH = ("authentication failed", "terminal prompts disabled", "could not read username",
         "could not read password", "permission denied", "invalid username or password",
         "access denied", "returned error: 403")
_UNREACHABLE = ("could not resolve host", "connection refused", "connection timed out",
                "unable to access", "could not read from remote repository",
                "does not appear to be a git repository", "network is unreachable",
                "no route to host", "operation timed out")


def _remote_failed(proc: subprocess.CompletedProcess[str], what: str, upstream: str, *,
                   extra: str = "", rejected_hint: str = "") -> None:
    says = _git_says(proc)
    low = (proc.stderr + proc.stdout).lower()
    remote = upstream.split("/", 1)[0]
    if any(k in low for k in _AUTH):
        raise SyncError(f"{what} failed: {remote} refused the credentials (or asked for some) — "
                        f"check that `git {what}` works in a terminal (ssh key, credential "
                        f"helper or token); netnotes never asks for or stores them. git says: "
                        f"{says}.{extra}")
    if any(k in low for k in _UNREACHABLE):
        raise SyncError(f"{what} failed: cannot reach {remote} — check the network and the "
                        f"remote's URL (`git remote -v`). git says: {says}.{extra}")
    if rejected_hint and ("rejected" in low or "non-fast-forward" in low or "fetch first" in low):
        raise SyncError(f"{what} refused by {remote}: {rejected_hint}. git says: {says}.{extra}")
    raise SyncError(f"{what} failed: {says}.{extra}")

