"""The ``netnotes`` command: click parses options, calls one library function, prints, exits.

Exit codes: 0 done, 1 refused or failed (the message is on stderr), 2 usage error.  This is the
only module that reads the clock (for the default ``--today``) or the terminal.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from netnotes.core import NetnotesError, parse_date, visible
from netnotes.store import Answer

if TYPE_CHECKING:
    from netnotes.core import Contact, Vault
    from netnotes.render import Narrow
    from netnotes.store import Session

F = TypeVar("F", bound=Callable[..., Any])


class DateType(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None
                ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DATE = DateType()


class State:
    """Options of the ``netnotes`` group, shared by every command.  What is fresh (a finished
    answer, the remembered report, the index) is the store's business: commands ask its
    Session."""

    def __init__(self, vault: str | None, today: dt.date | None, use_cache: bool = True):
        self.vault_path = vault
        self.today_opt = today
        self.use_cache = use_cache
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            from netnotes.store import Session

            self._session = Session(self.vault_path, use_cache=self.use_cache,
                                    progress=progress_bar, contacts=contacts_bar,
                                    say=lambda text: say(text, err=True))
        return self._session

    def today(self, override: dt.date | None = None) -> dt.date:
        return override or self.today_opt or dt.date.today()

    def vault(self) -> Vault:
        return self.session.vault()

    def answered(self, question: tuple[object, ...], compute: Callable[[], Answer]) -> Answer:
        """The answer to ``question`` (a command and its options), from what the store kept
        when the vault is provably as it was then, else ``compute()``.  The ``--vault`` typed
        is part of the question: the hints an answer prints repeat it (``hint``), so an answer
        made with another spelling, or without one, would print a hint for the wrong folder."""
        return self.session.answered((*question, ("--vault", typed_vault())), compute)

    def report(self, day: dt.date, fmt: str, *, colour: bool, section: str | None = None,
               out: str | None = None, everyone: bool = False,
               narrow: Narrow | None = None, redact: bool = False) -> Answer:
        """The report through the store's Session; ``redact``ed, made from the redacted data
        itself, never from what the store kept."""
        if redact:
            from netnotes.render import build_report

            vault = self.vault()
            text = build_report(vault, day, fmt, colour=colour, section=section, out=out,
                                everyone=everyone, narrow=narrow, redact=True)
            return Answer.text(text, skipped_warning(vault.skipped))
        from netnotes.render import Reporter

        text, skipped = self.session.report(day, fmt, colour=colour, section=section, out=out,
                                            everyone=everyone, narrow=narrow,
                                            reporter=Reporter())
        return Answer.text(text, skipped_warning(skipped))


def finish(answer: Answer, out: str | None = None) -> None:
    """Print (or save) an answer and exit with its code."""
    if out:
        from netnotes.vault import write_bytes_atomic

        write_bytes_atomic(Path(out), answer.pieces())  # never joined whole
    else:
        sys.stdout.flush()  # anything said before it, in order
        stdout = sys.stdout.buffer
        answer.write(stdout)
        stdout.flush()
    if answer.err:
        say(answer.err, err=True, nl=False)
    if answer.code:
        sys.exit(answer.code)


def say(message: str, *, err: bool = False, nl: bool = True) -> None:
    """Print a message (on stderr with ``err``) with any control character from the vault in
    it shown, not sent (netnotes.core.shown): names, paths and values reach messages everywhere."""
    click.echo(visible(message), err=err, nl=nl)


def want_colour(out: str | None = None) -> bool:
    """Colour only on a terminal, never into a file, never with NO_COLOR (no-color.org)."""
    if out or os.environ.get("NO_COLOR") is not None or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def fail_on_errors(f: F) -> F:
    """Turn NetnotesError into a one-line message on stderr and exit 1 — never a traceback."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except NetnotesError as exc:
            say(f"netnotes: {exc}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


redact_option = click.option(
    "--redact", is_flag=True,
    help="For sharing: names as initials; no company, role, emails, phones, addresses, "
         "birthdays, notes or log text; the figures, tier, field and tags stay.")
today_option = click.option("--today", type=DATE, envvar="NETNOTES_TODAY",
                            help="Pretend today is this date (also NETNOTES_TODAY).")
format_option = functools.partial(
    click.option, "--format", "fmt", default="text", show_default=True,
    help="Output format.")
out_option = click.option("--out", "out", type=click.Path(dir_okay=False, writable=True),
                          help="Write to this file instead of the terminal.")


def interactive() -> bool:
    """Someone at a terminal who can answer a question (else: refuse, never wait)."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def terminal_width() -> int | None:
    """The terminal's width in columns, or None when the output is not a terminal (then the
    output is the same on every machine)."""
    if not sys.stdout.isatty():
        return None
    import shutil

    return shutil.get_terminal_size().columns


def typed_vault() -> str | None:
    """The ``--vault`` given on the command line (not NETNOTES_VAULT, which a pasted command
    still sees), or None."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return None
    root = ctx.find_root()
    given = root.params.get("vault")
    if given and root.get_parameter_source("vault") == click.core.ParameterSource.COMMANDLINE:
        return str(given)
    return None


def hint(*words: str) -> str:
    """A command to paste, in backquotes: ``netnotes WORDS`` with every word quoted for the shell
    (``netnotes edit 'Kenji Tanaka'``), and the ``--vault`` given on the command line, so that
    it runs as it is from any folder."""
    given = typed_vault()
    argv = ["netnotes", *(["--vault", given] if given else [])]
    return f"`{shlex.join([*argv, *words])}`"


def narrow_of(fmt: str, since: dt.date | None, fields: str | None) -> Narrow | None:
    """``--since`` and ``--fields`` as a report.Narrow (None when neither is given); a usage
    error (exit 2) outside JSON or for a key a contact row does not have."""
    if since is None and fields is None:
        return None
    if fmt != "json":
        raise click.UsageError("--since and --fields narrow the JSON report: add --format json")
    from netnotes.render import ROW_FIELDS, Narrow

    names = None
    if fields is not None:
        names = tuple(dict.fromkeys(f.strip() for f in fields.split(",") if f.strip()))
        unknown = [f for f in names if f not in ROW_FIELDS]
        if unknown or not names:
            raise click.BadParameter(
                f"{', '.join(unknown) or 'nothing'} is not a key of a contact — use any of: "
                + ", ".join(ROW_FIELDS), param_hint="--fields")
    return Narrow(since, names)


def skipped_warning(skipped: Sequence[str]) -> str:
    """One line for stderr when notes were left out, so a short report is never a silent one."""
    n = len(skipped)
    if n:
        return f"netnotes: {n} note{'s' if n != 1 else ''} skipped — run {hint('check')}\n"
    return ""


def resolve_contact(vault: Vault, query: str) -> Contact:
    """The one contact ``query`` names, or a NetnotesError listing the candidates."""
    found = vault.find(query)
    if not found:
        raise NetnotesError(f"no contact matches {query!r} — try {hint('list')}")
    if len(found) > 1:
        names = "\n".join(f"  {c.id}  ({c.name})" for c in found[:20])
        raise NetnotesError(f"{query!r} matches {len(found)} contacts; say which:\n{names}")
    return found[0]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--vault", "vault", metavar="PATH", envvar="NETNOTES_VAULT",
              help="The vault folder (default: NETNOTES_VAULT, else the first folder upwards "
                   "with netnotes.toml).")
@today_option
@click.option("--no-cache", is_flag=True,
              help="Read every note instead of using the index in .netnotes/ (same answers).")
@click.version_option(package_name="netnotes")
@click.pass_context
def cli(ctx: click.Context, vault: str | None, today: dt.date | None, no_cache: bool) -> None:
    """Keep real professional relationships alive, from a folder of Markdown notes.

    Run `netnotes report` for who is overdue and how your network is doing.
    """
    ctx.obj = State(vault, today, use_cache=not no_cache)


# ---------------------------------------------------------------------------------------------
# Editing commands (the library side is netnotes.notes and netnotes.edit)


# `set maya birthday --12-20`: the documented year-less birthday looks like an option to click.
# Unknown options are let through as values, and anything among them that still looks like an
# option (a letter after the dashes, such as a mistyped --ad) is refused as click would.
_LOOKS_LIKE_OPTION = re.compile(r"^--?[^\W\d_]")


# ---------------------------------------------------------------------------------------------
# Import and export (the library side is netnotes.interop)


def bar(label: str, least: int) -> Callable[[int], Any]:
    """``progress(total)`` for long work of ``total`` steps: a bar on stderr when there are
    more than ``least`` of them, only on a terminal: never in CI logs, pipes or tests."""
    def progress(total: int) -> Any:
        if total > least and sys.stderr.isatty():
            return click.progressbar(length=total, label=label, file=sys.stderr,
                                     show_eta=False)
        return contextlib.nullcontext(_NoBar())

    return progress


# Parsing a cold index; working out the contacts of a whole report (about a second a
# few thousand contacts: fewer are done before a bar is worth drawing).
progress_bar = bar("Parsing notes", 200)
contacts_bar = bar("Working out contacts", 2000)
import_bar = bar("Importing", 500)


class _NoBar:
    def update(self, n: int) -> None:
        pass


def main() -> None:
    """The ``netnotes`` command: one command, then exit without tearing down.

    A report of a big vault leaves millions of small objects alive at the end; freeing them one
    by one as the interpreter shuts down costs 0.3 s at 10,000 contacts for nothing, as would
    the cyclic collector walking them once more (gcpause.one_shot).  So, as mypy does, the
    process flushes its output and leaves with os._exit.  Every file netnotes writes is closed
    (and fsynced) by then, and every cache write committed, so nothing is lost; ``watch``, the
    one command that runs on, ends this way too once stopped."""
    from netnotes.core import one_shot

    one_shot()
    code: object = 0
    try:
        cli(prog_name="netnotes")
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):  # as sys.exit("message") does
        print(code, file=sys.stderr)
        code = 1
    _exit_now(code)


def _exit_now(code: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (``| head``): nothing more to say
            pass
    os._exit(code)


# The commands live in the modules below; importing them adds them to the group.
from netnotes.cli import exchange, reading, writing  # noqa: E402,F401
