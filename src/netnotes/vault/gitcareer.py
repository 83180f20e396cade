"""Career moves from the git history of person notes: when a commit changed a note's ``company:``
or ``role:`` line, the old value is a past position that ended on the commit's date.

This is the one place that asks git; it reads, never writes, and any failure (no git, not a
repository, a timeout) leaves the vault as it was, because the history is a bonus, not the truth.
A note with its own ``history:`` list keeps it: what the user wrote wins over what git guesses.
What git said is remembered per commit by the store (store/careers.py), not here.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import replace
from pathlib import Path

from netnotes.core import CareerStep, Vault

_KEY = re.compile(r"^([-+])(company|role):[ \t]*(.*?)[ \t]*$")
GIT_TIMEOUT = 20  # seconds; a slow git must not hang a report


def _value(raw: str) -> str:
    """The YAML scalar as written on one line: quotes and a trailing comment removed."""
    raw = re.sub(r"\s+#.*$", "", raw).strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        raw = raw[1:-1]
    return raw.strip()


def parse_log(text: str) -> dict[str, list[tuple[dt.date, dict[str, str]]]]:
    """``git log --reverse -p`` output (``@@@<date>`` commit headers) → per note path, oldest
    first, the date of each commit that changed company/role and the values it replaced."""
    out: dict[str, list[tuple[dt.date, dict[str, str]]]] = {}
    date: dt.date | None = None
    path: str | None = None
    for line in text.split("\n"):
        if line.startswith("@@@"):
            try:
                date = dt.date.fromisoformat(line[3:13])
            except ValueError:
                date = None
            path = None
        elif line.startswith("+++ "):
            # a name with a space ends in a tab; core.quotePath=false keeps accents as written
            path = line[6:].rstrip("\t") if line.startswith("+++ b/") else None
        elif line.startswith("--- "):
            continue
        elif date is not None and path is not None:
            m = _KEY.match(line)
            if m and m.group(1) == "-":
                changes = out.setdefault(path, [])
                if not changes or changes[-1][0] != date or m.group(2) in changes[-1][1]:
                    changes.append((date, {}))
                changes[-1][1][m.group(2)] = _value(m.group(3))
    for changes in out.values():
        changes.sort(key=lambda c: c[0])
    return out


def steps_from_changes(company: str, role: str, changes: list[tuple[dt.date, dict[str, str]]]
                       ) -> tuple[CareerStep, ...]:
    """Walk back from the current company and role: each change restores the replaced values, and
    the position before it ended on the change's date.  Oldest first."""
    steps = []
    for day, old in reversed(changes):
        company, role = old.get("company", company), old.get("role", role)
        if company or role:
            steps.append(CareerStep(company, role, until=day))
    return tuple(reversed(steps))


def with_git_careers(vault: Vault, found: Changes | None = None) -> Vault:
    """The vault with each person note's career steps from git, for notes without ``history:``:
    from ``found`` (what the store remembered for this commit) or, without it, asked of git."""
    if found is None:
        found = career_changes(vault.root, vault.config.people_dir)
    if not found:
        return vault
    contacts = []
    for c in vault.contacts:
        changes = found.get(c.path)
        if changes and not c.history:
            c = replace(c, history=steps_from_changes(c.company, c.role, changes))
        contacts.append(c)
    return replace(vault, contacts=tuple(contacts))


Changes = dict[str, list[tuple[dt.date, dict[str, str]]]]


def git_commit(root: Path, people_dir: str) -> str | None:
    """What the history depends on: the commit checked out and where the vault sits in the
    repository (``git rev-parse``, milliseconds), with the people folder; None outside git."""
    where = _git(root, "rev-parse", "HEAD", "--show-prefix")
    return None if where is None else f"{people_dir}|{where.decode('utf-8', 'replace')}"


def career_changes(root: Path, people_dir: str) -> Changes:
    """``parse_log`` of the vault's git history ({} when it is not a repository, or git fails):
    one ``git log -p`` over the people folder, of the notes each commit modified.

    A position ends where a commit changed a note that was already there, so notes a commit
    added (an import of thousands of people, the first commit of a vault) are left out by git
    (``--diff-filter=M``): printed, every line of them was parsed here for nothing (18 MB
    and about a second after an import of 10,000 people, on the first report after each new
    commit; docs/performance.md)."""
    log = _git(root, "-c", "core.quotePath=false", "log", "--reverse", "--no-renames",
               "--relative", "--date=short", "--format=@@@%ad", "-p", "-U0",
               "--diff-filter=M", "-G^(company|role):", "--", people_dir)
    if log is None:
        return {}
    return parse_log(log.decode("utf-8", "replace"))


def _git(root: Path, *args: str) -> bytes | None:
    """git's output, or None when there is no git, no repository, or it fails or hangs."""
    try:
        run = subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                             timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return run.stdout if run.returncode == 0 else None
