"""Shared fixtures: tiny vaults written into tmp_path, and a CliRunner bound to one."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from netnotes.cli import cli

TODAY = dt.date(2026, 11, 22)
REPO = Path(__file__).resolve().parents[1]
# Other tools' real exports and notes, kept beside the repository in the team's setup (or where
# NETNOTES_REALWORLD says); a user's clone does not have them, and tests that read them skip.
REALWORLD = Path(os.environ.get("NETNOTES_REALWORLD") or REPO.parent / "shared" / "realworld")
EXAMPLE = REPO / "example-vault"

DEFAULT_TOML = """\
[me]
name = "Sam"
field = "software"
interests = ["chess", "climate tech"]
"""


def write_vault(root: Path, files: dict[str, str | bytes], toml: str | None = DEFAULT_TOML
                ) -> Path:
    """Write ``files`` (path relative to the vault → text or bytes) and a netnotes.toml.

    Text is written byte for byte (no newline translation), so tests control CRLF and BOMs.
    """
    root.mkdir(parents=True, exist_ok=True)
    if toml is not None:
        (root / "netnotes.toml").write_text(toml, encoding="utf-8", newline="")
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return root


def note(name: str, log: list[str] | None = None, **fields: str) -> str:
    """A person note: front matter from keyword arguments (values written as given), then a log."""
    lines = ["---", f"name: {name}", *(f"{k}: {v}" for k, v in fields.items()), "---", ""]
    if log is not None:
        lines += ["## Log", *(f"- {entry}" for entry in log)]
    return "\n".join(lines) + "\n"


def small_vault(vault: Callable[..., Path]) -> Path:
    """Three people and a journal note that links two of them: enough for every cache path."""
    return vault({
        "people/ada.md": note("Ada Lovelace", ["2026-01-05 coffee with [[grace]]"], tier="close"),
        "people/grace.md": note("Grace Hopper", ["2025-03-01 call #got"], knows="[[ada]]"),
        "people/alan.md": note("Alan Turing", ["2024-07-01 lunch"]),
        "journal/2026-02-01.md": "- met [[Ada Lovelace]] and [[alan]]\n",
    })


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file's bytes, to prove that a read-only command wrote nothing."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".netnotes"]
        for f in filenames:
            p = Path(dirpath) / f
            if p.is_file() and not p.is_symlink():
                out[p.relative_to(root).as_posix()] = p.read_bytes()
    return out


@pytest.fixture(autouse=True, scope="session")
def _throwaway_cache_key(tmp_path_factory: pytest.TempPathFactory):
    """The index's private MAC key goes to a throwaway folder, not the developer's ~/.cache."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


def private_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A private HOME and a fixed identity, so the user's git config plays no part; PYTHONPATH
    points at this checkout, so a netnotes that git or a subprocess starts is the code under
    test."""
    import netnotes

    src = Path(netnotes.__file__).resolve().parents[1]
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    for key, value in {
        "HOME": str(home), "XDG_CONFIG_HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Sam Test", "GIT_AUTHOR_EMAIL": "sam@example.org",
        "GIT_COMMITTER_NAME": "Sam Test", "GIT_COMMITTER_EMAIL": "sam@example.org",
        "PYTHONPATH": os.pathsep.join([str(src), *filter(None, [os.environ.get("PYTHONPATH")])]),
    }.items():
        monkeypatch.setenv(key, value)
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_SSH_COMMAND", "NETNOTES_VAULT",
                "NETNOTES_TODAY"):
        monkeypatch.delenv(key, raising=False)


@pytest.fixture(scope="session")
def example_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of example-vault/ outside the project's git repository.

    Career moves are read from the vault's git history; inside this repository that would be
    the project's own commits, so golden reports would change with unrelated history (and differ
    in a tarball). The copy makes them depend on the notes alone."""
    import shutil

    dest = tmp_path_factory.mktemp("golden") / "example-vault"
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns(".netnotes"))
    return dest


@pytest.fixture
def vault(tmp_path: Path) -> Callable[..., Path]:
    """``vault({"people/ada.md": note("Ada")})`` → the vault's root."""

    def make(files: dict[str, str | bytes], toml: str | None = DEFAULT_TOML) -> Path:
        return write_vault(tmp_path / "vault", files, toml)

    return make


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """``run(vault_root, "report", "--format", "json")`` → click Result (stdout, stderr apart)."""
    monkeypatch.delenv("NETNOTES_VAULT", raising=False)
    monkeypatch.delenv("NETNOTES_TODAY", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")

    def invoke(root: Path | None, *args: str, today: dt.date | None = TODAY,
               input: str | None = None) -> Result:
        argv: list[str] = []
        if root is not None:
            argv += ["--vault", str(root)]
        if today is not None:
            argv += ["--today", today.isoformat()]
        runner = CliRunner()
        return runner.invoke(cli, [*argv, *args], input=input, catch_exceptions=False)

    return invoke


def json_report_imports(root: Path, modules: tuple[str, ...]) -> tuple[str, str]:
    """Run `netnotes report --format json` on ``root`` in a fresh interpreter (from src/ of this
    checkout) and say which of ``modules`` it imported: (printed report, the sorted list of
    those imported, as text).  Start-up time is part of every run, so tests check that a
    command imports only what it uses."""
    child = (
        "import sys\n"
        "from netnotes.cli import cli\n"  # not main(): it leaves with os._exit
        f"sys.argv = ['netnotes', '--vault', {str(root)!r}, '--today', '2026-11-22', 'report',"
        " '--format', 'json']\n"
        "try:\n"
        "    cli(prog_name='netnotes')\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        f"print(sorted(m for m in {modules!r} if m in sys.modules), file=sys.stderr)\n"
    )
    env = os.environ | {"PYTHONPATH": str(REPO / "src")}
    proc = subprocess.run([sys.executable, "-c", child], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout, proc.stderr.strip()
