"""Commands that bring other tools' files in and out: import, export."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from netnotes.core import Vault
from netnotes.cli import (
    F,
    State,
    cli,
    fail_on_errors,
    finish,
    import_bar,
    out_option,
    progress_bar,
    redact_option,
    say,
    skipped_warning,
    today_option,
)
from netnotes.core import json_safe
from netnotes.store import Answer


@cli.command(name="import")
@click.argument("files", nargs=-1, required=True, metavar="FILE...",
                type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["vcard", "google-csv", "linkedin-csv", "csv"]),
              help="What the files are (default: from each file's name and first lines).")
@click.option("--tier", help="Tier for new contacts (default: the lowest tier with a cadence).")
@click.option("--dry-run", is_flag=True, help="Say what would be done; write nothing.")
@click.option("--map", "mapping", metavar="'COLUMN=FIELD,...'",
              help='CSV columns to our fields, e.g. "Full Name=name,Org=company".')
@click.option("--encoding", help="Read the files in this encoding (default: detected).")
@click.option("--overwrite", is_flag=True,
              help="Replace a field the note already has when the file says otherwise.")
@click.option("--region", metavar="CC",
              help="Country of phone numbers written without +code (e.g. GB, US).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@today_option
@click.pass_obj
@fail_on_errors
def import_(state: State, files: tuple[str, ...], fmt: str | None, tier: str | None,
            dry_run: bool, mapping: str | None, encoding: str | None, overwrite: bool,
            region: str | None, as_json: bool, today: dt.date | None) -> None:
    """Bring people in from vCard (.vcf), LinkedIn Connections.csv, Google Contacts or any CSV.

    Someone who already has a note (same email, same profile URL, or same name and company) gets
    only what the note lacks; nobody is duplicated and running the same import twice changes
    nothing. New people go to the lowest tier, their first due dates spread over its cadence.
    Exit 1 when a record could not be read (the others are still imported).
    """
    import json

    from netnotes.interop.csvfiles import parse_map
    from netnotes.interop.importer import ImportOptions, import_files
    from netnotes.interop.summary import result_json, summary

    try:
        columns = parse_map(mapping)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--map") from None
    if region is not None and len(region) != 2:
        raise click.BadParameter("a two-letter country code such as GB or US",
                                 param_hint="--region")
    vault = state.vault()
    options = ImportOptions(fmt, tier, overwrite, dry_run, columns or None, encoding,
                            region.upper() if region else None)
    result = import_files(vault, [Path(f) for f in files], options, today=state.today(today),
                          progress=import_bar)
    if state.use_cache and not dry_run and (result.of("new") or result.of("merged")):
        from netnotes.store import read_vault

        read_vault(vault.root, progress=progress_bar)  # so the next command finds it fresh
    if as_json:
        click.echo(json_safe(json.dumps(result_json(result), ensure_ascii=False, indent=2)))
    else:
        say(summary(result), nl=False)
    for failure in result.failed:
        say(f"netnotes: {failure}", err=True)
    if not result.ok:
        say(f"netnotes: {len(result.failed)} record"
                   f"{'s' if len(result.failed) != 1 else ''} could not be imported (see above)",
                   err=True)
        sys.exit(1)


@cli.group()
def export() -> None:
    """Write the vault out as vCard, iCalendar, CSV or JSON (stdout, or --out FILE).

    `--redact` on every format, as on `report`: names become initials; company, role,
    emails, phones, links, addresses, birthdays and free text are left out, so only the
    figures and categories (tier, field, tags, interests) remain. On a terminal, control
    characters from the notes are shown (as \\x1b); into a file or a pipe the bytes are exact.
    """


def _export_options(f: F) -> F:
    return redact_option(out_option(f))


def _export(state: State, make: Callable[[Vault], str], out: str | None, fmt: str) -> None:
    """Write the export to ``--out`` or stdout: the exact bytes of the format into a file or a
    pipe (written as bytes: ``click.echo`` would drop escape sequences from a pipe, and they
    are the note's data); on a terminal with every control character from a note shown, not
    sent."""
    vault = state.vault()
    text = make(vault)
    if not out and sys.stdout.isatty():
        from netnotes.interop.export import on_terminal

        text = on_terminal(text, fmt)
    finish(Answer.text(text, skipped_warning(vault.skipped)), out)


@export.command(name="vcard")
@click.argument("who", nargs=-1)
@_export_options
@click.pass_obj
@fail_on_errors
def export_vcard_cmd(state: State, who: tuple[str, ...], out: str | None, redact: bool) -> None:
    """vCard 4.0 of WHO (ids, names or unique prefixes), or of everyone: one file for any
    address book. Importing it into an empty vault and exporting again gives the same cards."""
    from netnotes.interop.export import export_vcard

    _export(state, lambda v: export_vcard(v, who, redact=redact), out, "vcard")


@export.command(name="ics")
@today_option
@_export_options
@click.pass_obj
@fail_on_errors
def export_ics_cmd(state: State, today: dt.date | None, out: str | None, redact: bool) -> None:
    """iCalendar: all-day events for each contact's next contact, once (a log line dated after
    today; else their week in `netnotes plan`; else their due date), and yearly birthdays.
    UIDs are stable, so a calendar subscribed to the file updates it."""
    from netnotes.analysis import plan_events
    from netnotes.interop.export import export_ics
    from netnotes.render.views import vault_plan

    day = state.today(today)
    _export(state, lambda v: export_ics(v, day, redact=redact,
                                        plan=plan_events(vault_plan(v, day))), out, "ics")


@export.command(name="csv")
@today_option
@_export_options
@click.pass_obj
@fail_on_errors
def export_csv_cmd(state: State, today: dt.date | None, out: str | None, redact: bool) -> None:
    """One row per contact: its fields, last contact, due date, strength (spreadsheet-safe)."""
    from netnotes.interop.export import export_csv

    day = state.today(today)
    _export(state, lambda v: export_csv(v, day, redact=redact), out, "csv")


@export.command(name="json")
@today_option
@_export_options
@click.pass_obj
@fail_on_errors
def export_json_cmd(state: State, today: dt.date | None, out: str | None, redact: bool) -> None:
    """Every contact with its fields and figures as JSON (keys in docs/import-export.md)."""
    from netnotes.interop.export import export_json

    day = state.today(today)
    _export(state, lambda v: export_json(v, day, redact=redact), out, "json")
