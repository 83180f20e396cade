"""Commands that read a vault and print: report, overdue, plan, show, list, check, index, watch."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from netnotes.cli import (
    DATE,
    State,
    cli,
    fail_on_errors,
    finish,
    format_option,
    hint,
    narrow_of,
    out_option,
    redact_option,
    resolve_contact,
    say,
    skipped_warning,
    today_option,
    want_colour,
)
from netnotes.core import NetnotesError, counted
from netnotes.store import Answer


@cli.command()
@today_option
@format_option(type=click.Choice(["text", "markdown", "html", "json"]))
@out_option
@click.option("--all", "everyone", is_flag=True,
              help="List everyone in every section (default: at most [report] per_section "
                   "people a section). JSON always has every contact.")
@click.option("--since", type=DATE, help="JSON only: just the contacts last in touch on or "
              "after this date.")
@click.option("--fields", metavar="KEY,KEY,...", help="JSON only: each contact with just its "
              "id and these keys (docs/json.md), e.g. name,tier,strength.")
@redact_option
@click.pass_obj
@fail_on_errors
def report(state: State, today: dt.date | None, fmt: str, out: str | None,
           everyone: bool, since: dt.date | None, fields: str | None, redact: bool) -> None:
    """What to do now (overdue, due soon, the critical few, cooling, strongest,
    introductions), then how the network is doing as a whole.

    Each section lists at most `per_section` people (netnotes.toml, default 10) and says how
    many more there are; `--all` lists everyone. `--format html --out report.html` writes one
    self-contained page with charts; `--format json` has every contact.
    """
    day, colour = state.today(today), want_colour(out)
    narrow = narrow_of(fmt, since, fields)

    def compute() -> Answer:
        return state.report(day, fmt, colour=colour, out=out, everyone=everyone, narrow=narrow,
                            redact=redact)

    # HTML links to the notes are relative to where the report is saved: part of the question.
    where = str(Path(out).resolve()) if out else None
    # --all is part of the question of a human report (JSON is the same either way).
    question = ("report", fmt, colour, where, day.isoformat()) + (
        ("all",) if everyone and fmt != "json" else ()) + (
        ("narrow", str(narrow.since), narrow.fields) if narrow else ()) + (
        ("redact",) if redact else ())
    answer = state.answered(question, compute)
    if out:
        keep_out_of_git(state, out)
    finish(answer, out)


def keep_out_of_git(state: State, out: str) -> None:
    """A report saved inside the vault is not for sync to commit (.gitignore gets it)."""
    from netnotes.edit.sync import SyncError, ignore_output
    from netnotes.vault import find_vault

    try:
        said = ignore_output(find_vault(state.vault_path), Path(out))
    except (SyncError, OSError):
        return  # no git, or .gitignore cannot be written: the report is written all the same
    if said:
        say(f"netnotes: {said}", err=True)


@cli.command()
@today_option
@format_option(type=click.Choice(["text", "markdown", "json"]))
@redact_option
@click.pass_obj
@fail_on_errors
def overdue(state: State, today: dt.date | None, fmt: str, redact: bool) -> None:
    """Just the overdue list, most urgent first."""
    day, colour = state.today(today), want_colour()

    def compute() -> Answer:
        return state.report(day, fmt, colour=colour, section="overdue", everyone=True,
                            redact=redact)

    finish(state.answered(("overdue", fmt, colour, day.isoformat(), redact), compute))


@cli.command()
@click.option("--per-week", type=click.IntRange(1, 100), metavar="N",
              help="At most N people a week (default: [plan] per_week in netnotes.toml, 5).")
@click.option("--weeks", type=click.IntRange(1, 52), metavar="W",
              help="Plan W weeks, this one first (default: [plan] weeks, 4).")
@today_option
@format_option(type=click.Choice(["text", "markdown", "json"]))
@click.pass_obj
@fail_on_errors
def plan(state: State, per_week: int | None, weeks: int | None, today: dt.date | None,
         fmt: str) -> None:
    """Who to reach out to in each of the coming weeks: overdue and soon-due people, the
    critical few first, at most N a week, each with the best reason and what to talk about.
    The same all week: nobody moves unless a note changed."""
    day, colour = state.today(today), want_colour()

    def compute() -> Answer:
        from netnotes.render.views import build_plan

        vault = state.vault()
        return Answer.text(build_plan(vault, day, fmt, per_week=per_week, weeks=weeks,
                                      colour=colour), skipped_warning(vault.skipped))

    finish(state.answered(("plan", per_week, weeks, fmt, colour, day.isoformat()), compute))


@cli.command()
@click.argument("who")
@today_option
@format_option(type=click.Choice(["text", "json"]))
@redact_option
@click.pass_obj
@fail_on_errors
def show(state: State, who: str, today: dt.date | None, fmt: str, redact: bool) -> None:
    """One contact: summary, every field, and the whole history.

    WHO is an id, a name or alias (any case, accents optional), or a unique prefix.
    """
    day, colour = state.today(today), want_colour()

    def compute() -> Answer:
        from netnotes.render import build_show

        vault = state.vault()
        contact = resolve_contact(vault, who)
        return Answer.text(build_show(vault, contact.id, day, fmt, colour=colour,
                                      redact=redact), skipped_warning(vault.skipped))

    finish(state.answered(("show", who, fmt, colour, day.isoformat(), redact), compute))


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
    """Contacts, one a line: id, name, tier, last contact, company.

    On a terminal the company gets the rest of its width; into a pipe or a file a line fits
    80 columns.
    """
    from netnotes import cli as here

    day, colour = state.today(today), want_colour()
    width = here.terminal_width()

    def compute() -> Answer:
        from netnotes.render import build_list, list_contacts

        vault = state.vault()
        if tier and vault.config.tier(tier) is None:
            raise click.BadParameter(f"{tier!r} is not a tier; tiers are: "
                                     + ", ".join(vault.config.tier_names), param_hint="--tier")
        ids = list_contacts(vault, tier=tier, tag=tag, field=field_)
        return Answer.text(build_list(vault, ids, day, fmt, colour=colour, width=width),
                           skipped_warning(vault.skipped))

    finish(state.answered(("list", tier, tag, field_, fmt, colour, width, day.isoformat()),
                          compute))


@cli.command()
@click.option("--strict", is_flag=True, help="Warnings count as errors (exit 1).")
@today_option
@format_option(type=click.Choice(["text", "json"]))
@click.pass_obj
@fail_on_errors
def check(state: State, strict: bool, today: dt.date | None, fmt: str) -> None:
    """Validate every note: one line per problem, then a count.

    Exit 0 when there are no errors, 1 when there are (with --strict, also on warnings),
    2 on a usage error.  See docs/check.md for every message.
    """
    day = state.today(today)

    def compute() -> Answer:
        from netnotes.render import check as check_folder

        result = check_folder(state.vault, day)
        return Answer.text(result.json() if fmt == "json" else result.text(), "",
                      result.exit_code(strict))

    finish(state.answered(("check", strict, fmt, day.isoformat()), compute))


@cli.command()
@today_option
@format_option(type=click.Choice(["html", "markdown", "text"]), default="html")
@out_option
@click.option("--debounce", type=click.FloatRange(0, 60), default=0.3, show_default=True,
              metavar="SECONDS", help="Wait this long after the last change before rendering.")
@click.option("--serve", "port", type=click.IntRange(0, 65535), is_flag=False, flag_value=8765,
              default=None, metavar="[PORT]",
              help="Also serve the report on http://127.0.0.1:PORT/ (default 8765), reloading "
                   "the page on change. Loopback only.")
@click.option("--all", "everyone", is_flag=True,
              help="List everyone in every section (default: at most [report] per_section).")
@redact_option
@click.pass_obj
@fail_on_errors
def watch(state: State, today: dt.date | None, fmt: str, out: str | None,
          debounce: float, port: int | None, everyone: bool, redact: bool) -> None:
    """Render the report, then again whenever a note, the journal or netnotes.toml changes.

    With --out the file is replaced atomically (open it in a browser and reload); without it
    the report is printed again after each change.  --redact shows what `report --redact`
    shows, and the messages name no note.  Ctrl-C stops.
    """
    import threading

    from netnotes.core import one_shot
    from netnotes.vault import find_vault
    from netnotes.watch import Rendered, Watcher

    one_shot(False)  # this process renders again and again: its garbage must be collected

    fixed = today or state.today_opt

    shown: set[str] = set()  # the problems already said, so each is said once

    first = True

    def on_render(result: Rendered, text: str) -> None:
        stamp = dt.datetime.now().strftime("%H:%M:%S")
        if not result.ok:
            say(f"netnotes: {stamp} not rendered: {result.error}", err=True)
            return
        if redact and result.kept:  # a note's file name is a person's name
            say(f"netnotes: {stamp} {counted(len(result.kept), 'note')} cannot be read; "
                "showing the last good version", err=True)
        for rel in result.kept if not redact else ():
            say(f"netnotes: {stamp} {rel} cannot be read; showing its last good version",
                       err=True)
        for line in problem_news(result.problems, shown, named=not redact):
            say(f"netnotes: {stamp} {line}", err=True)
        if out:
            if result.changed:
                # The first report may come whole from the index (no note read at all), so it
                # says how many contacts it shows; a refresh says how many notes it read again.
                nonlocal first
                done = counted(result.contacts, "contact")
                if not first:
                    done += f", {counted(result.read, 'note')} read"
                first = False
                say(f"netnotes: {stamp} wrote {out} ({done})", err=True)
        elif result.changed and port is None:
            if sys.stdout.isatty():
                click.clear()
            click.echo(text, nl=False)

    if out:
        keep_out_of_git(state, out)
    watcher = Watcher(find_vault(state.vault_path), fmt, Path(out) if out else None,
                      today=lambda: fixed or dt.date.today(), debounce=debounce,
                      on_render=on_render, everyone=everyone, redact=redact)
    server = None
    if port is not None:
        from netnotes.watch import serve

        try:
            server = serve(watcher, port)
        except OSError as exc:
            raise NetnotesError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror} — try "
                                "another port with --serve PORT") from None
        say(f"netnotes: serving http://127.0.0.1:{server.server_address[1]}/", err=True)
    say("netnotes: watching for changes — Ctrl-C stops", err=True)
    try:
        watcher.run(threading.Event())
    except KeyboardInterrupt:
        say("netnotes: stopped", err=True)
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()


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
    if quiet:
        state.session.progress = None
    stats = state.session.reindex(rebuild)
    if not quiet:
        say(stats.summary())


WATCH_PROBLEMS = 20  # problem lines one render may print; `netnotes check` lists them all


def problem_news(problems: Sequence[Any], shown: set[str], *, named: bool = True) -> list[str]:
    """What ``watch`` says about problems after a render: each new one in a line, as ``check``
    prints it, and ``fixed: …`` for each one gone; ``shown`` (updated) is what was said.  Bounded,
    so that a vault full of problems does not flood the terminal.  Not ``named`` (``--redact``:
    a problem names its note, and a note's file its person): how many, in one line."""
    now = {str(p): p for p in problems if p.code != "kept-last-good"}  # said by its own line
    new = [text for text in now if text not in shown]
    gone = sorted(shown - now.keys())
    shown.intersection_update(now)
    shown.update(new)
    if not named:
        said = [counted(len(new), "new problem") if new else "",
                f"{len(gone)} fixed" if gone else ""]
        return [f"{', '.join(x for x in said if x)} — run {hint('check')}"] if new or gone \
            else []
    lines = new + [f"fixed: {text.split(' — ')[0]}" for text in gone]
    if len(lines) > WATCH_PROBLEMS:
        more = len(lines) - WATCH_PROBLEMS
        lines = lines[:WATCH_PROBLEMS] + [f"… and {more} more — run {hint('check')}"]
    return lines
