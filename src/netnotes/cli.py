"""The ``netnotes`` command: click parses options, calls one library function, prints, exits.

Exit codes: 0 done, 1 refused or failed (the message is on stderr), 2 usage error.  This is the
only module that reads the clock (for the default ``--today``) or the terminal.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from netnotes.dates import parse_date
from netnotes.errors import NetnotesError
from netnotes.model import Contact, Vault

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
    """Options of the ``netnotes`` group, shared by every command."""

    def __init__(self, vault: str | None, today: dt.date | None, use_cache: bool = True):
        self.vault_path = vault
        self.today_opt = today
        self.use_cache = use_cache
        self._vault: Vault | None = None

    def today(self, override: dt.date | None = None) -> dt.date:
        return override or self.today_opt or dt.date.today()

    def vault(self) -> Vault:
        if self._vault is None:
            from netnotes.index import read_vault
            from netnotes.vault import find_vault

            self._vault, stats = read_vault(find_vault(self.vault_path),
                                            use_cache=self.use_cache, progress=progress_bar)
            if stats.notice:
                click.echo(f"netnotes: {stats.notice}", err=True)
            # The vault lives until the command ends: move it out of the cyclic collector's
            # sight, or every collection while the report is built walks it again (~1 s at 10k).
            gc.freeze()
        return self._vault


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
            click.echo(f"netnotes: {exc}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


today_option = click.option("--today", type=DATE, envvar="NETNOTES_TODAY",
                            help="Pretend today is this date (also NETNOTES_TODAY).")
format_option = functools.partial(
    click.option, "--format", "fmt", default="text", show_default=True,
    help="Output format.")
out_option = click.option("--out", "out", type=click.Path(dir_okay=False, writable=True),
                          help="Write to this file instead of the terminal.")


def emit(text: str, out: str | None) -> None:
    if out:
        from netnotes.fileio import write_text_atomic

        write_text_atomic(Path(out), text)
    else:
        click.echo(text, nl=False)


def warn_skipped(vault: Vault) -> None:
    """One line on stderr when notes were left out, so a short report is never a silent one."""
    n = len(vault.skipped)
    if n:
        click.echo(f"netnotes: {n} note{'s' if n != 1 else ''} skipped — run `netnotes check`",
                   err=True)


def resolve_contact(vault: Vault, query: str) -> Contact:
    """The one contact ``query`` names, or a NetnotesError listing the candidates."""
    found = vault.find(query)
    if not found:
        raise NetnotesError(f"no contact matches {query!r} — try `netnotes list`")
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


@cli.command()
@today_option
@format_option(type=click.Choice(["text", "markdown", "json"]))
@out_option
@click.pass_obj
@fail_on_errors
def report(state: State, today: dt.date | None, fmt: str, out: str | None) -> None:
    """Who is overdue, who is due soon, and how every relationship is doing."""
    from netnotes.report import build_report

    vault = state.vault()
    emit(build_report(vault, state.today(today), fmt, colour=want_colour(out)), out)
    warn_skipped(vault)


@cli.command()
@today_option
@format_option(type=click.Choice(["text", "markdown", "json"]))
@click.pass_obj
@fail_on_errors
def overdue(state: State, today: dt.date | None, fmt: str) -> None:
    """Just the overdue list, most urgent first."""
    from netnotes.report import build_report

    vault = state.vault()
    emit(build_report(vault, state.today(today), fmt, colour=want_colour(), section="overdue"),
         None)
    warn_skipped(vault)


@cli.command()
@click.argument("who")
@today_option
@format_option(type=click.Choice(["text", "json"]))
@click.pass_obj
@fail_on_errors
def show(state: State, who: str, today: dt.date | None, fmt: str) -> None:
    """One contact: summary, every field, and the whole history.

    WHO is an id, a name or alias (any case, accents optional), or a unique prefix.
    """
    from netnotes.report import build_show

    vault = state.vault()
    contact = resolve_contact(vault, who)
    emit(build_show(vault, contact.id, state.today(today), fmt, colour=want_colour()), None)


@cli.command(name="list")
@click.option("--tier", help="Only this tier.")
@click.option("--tag", help="Only contacts with this tag.")
@click.option("--field", "field_", metavar="FIELD", help="Only contacts in this field.")
@today_option
@format_option(type=click.Choice(["text", "json"]))
@click.pass_obj
@fail_on_errors
def list_(state: State, tier: str | None, tag: str | None, field_: str | None,
          today: dt.date | None, fmt: str) -> None:
    """Contacts, one a line: id, name, tier, last contact, company."""
    from netnotes.report import build_list, list_contacts

    vault = state.vault()
    if tier and vault.config.tier(tier) is None:
        raise click.BadParameter(f"{tier!r} is not a tier; tiers are: "
                                 + ", ".join(vault.config.tier_names), param_hint="--tier")
    ids = list_contacts(vault, tier=tier, tag=tag, field=field_)
    emit(build_list(vault, ids, state.today(today), fmt, colour=want_colour()), None)


@cli.command()
@click.option("--rebuild", is_flag=True, help="Ignore the existing index and parse every note.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary line.")
@click.pass_obj
@fail_on_errors
def index(state: State, rebuild: bool, quiet: bool) -> None:
    """Build or refresh the index in .netnotes/ and say what was done.

    Every other command refreshes it too, so this is only needed to warm it up ahead of time
    (e.g. after importing thousands of notes), or with --rebuild to start over.
    """
    from netnotes.index import read_vault
    from netnotes.vault import find_vault

    _, stats = read_vault(find_vault(state.vault_path), use_cache=state.use_cache,
                          rebuild=rebuild, progress=None if quiet else progress_bar)
    if stats.notice:
        click.echo(f"netnotes: {stats.notice}", err=True)
    if not quiet:
        click.echo(stats.summary())


def progress_bar(total: int) -> Any:
    """A bar on stderr while many notes are parsed (a cold index), only on a terminal: never in
    CI logs, pipes or tests."""
    if total > 200 and sys.stderr.isatty():
        return click.progressbar(length=total, label="Parsing notes", file=sys.stderr,
                                 show_eta=False)
    return contextlib.nullcontext(_NoBar())


class _NoBar:
    def update(self, n: int) -> None:
        pass


def main() -> None:
    cli(prog_name="netnotes")
