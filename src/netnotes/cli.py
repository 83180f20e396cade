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

from netnotes.core import NetnotesError, parse_date
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
                                    say=lambda text: click.echo(text, err=True))
        return self._session

    def today(self, override: dt.date | None = None) -> dt.date:
        return override or self.today_opt or dt.date.today()

    def vault(self) -> Vault:
        return self.session.vault()

    def answered(self, question: tuple[object, ...], compute: Callable[[], Answer]) -> Answer:
        """The answer to ``question`` (a command and its options), from what the store kept
        when the vault is provably as it was then, else ``compute()``."""
        return self.session.answered(question, compute)

    def report(self, day: dt.date, fmt: str, *, colour: bool, section: str | None = None,
               out: str | None = None, everyone: bool = False,
               narrow: Narrow | None = None) -> Answer:
        text, skipped = self.session.report(day, fmt, colour=colour, section=section, out=out,
                                            everyone=everyone, narrow=narrow)
        return Answer.text(text, skipped_warning(skipped))


def finish(answer: Answer, out: str | None = None) -> None:
    """Print (or save) an answer and exit with its code."""
    if out:
        from netnotes.vault import write_bytes_atomic

        write_bytes_atomic(Path(out), answer.data())
    else:
        for piece in answer.pieces():
            click.echo(piece, nl=False)
    if answer.err:
        click.echo(answer.err, err=True, nl=False)
    if answer.code:
        sys.exit(answer.code)


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


def hint(*words: str) -> str:
    """A command to paste, in backquotes: ``netnotes WORDS`` with every word quoted for the shell
    (``netnotes edit 'Kenji Tanaka'``), and the ``--vault`` given on the command line, so that
    it runs as it is from any folder."""
    argv = ["netnotes"]
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        root = ctx.find_root()
        given = root.params.get("vault")
        if given and root.get_parameter_source("vault") == click.core.ParameterSource.COMMANDLINE:
            argv += ["--vault", given]
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
        return f"netnotes: {n} note{'s' if n != 1 else ''} skipped — run `netnotes check`\n"
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
@click.pass_obj
@fail_on_errors
def report(state: State, today: dt.date | None, fmt: str, out: str | None,
           everyone: bool, since: dt.date | None, fields: str | None) -> None:
    """What to do now (overdue, due soon, the critical few, cooling, strongest,
    introductions), then how the network is doing as a whole.

    Each section lists at most `per_section` people (netnotes.toml, default 10) and says how
    many more there are; `--all` lists everyone. `--format html --out report.html` writes one
    self-contained page with charts; `--format json` has every contact.
    """
    day, colour = state.today(today), want_colour(out)
    narrow = narrow_of(fmt, since, fields)

    def compute() -> Answer:
        return state.report(day, fmt, colour=colour, out=out, everyone=everyone, narrow=narrow)

    # HTML links to the notes are relative to where the report is saved: part of the question.
    where = str(Path(out).resolve()) if out else None
    # --all is part of the question of a human report (JSON is the same either way).
    question = ("report", fmt, colour, where, day.isoformat()) + (
        ("all",) if everyone and fmt != "json" else ()) + (
        ("narrow", str(narrow.since), narrow.fields) if narrow else ())
    finish(state.answered(question, compute), out)


@cli.command()
@today_option
@format_option(type=click.Choice(["text", "markdown", "json"]))
@click.pass_obj
@fail_on_errors
def overdue(state: State, today: dt.date | None, fmt: str) -> None:
    """Just the overdue list, most urgent first."""
    day, colour = state.today(today), want_colour()

    def compute() -> Answer:
        return state.report(day, fmt, colour=colour, section="overdue", everyone=True)

    finish(state.answered(("overdue", fmt, colour, day.isoformat()), compute))


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
    day, colour = state.today(today), want_colour()

    def compute() -> Answer:
        from netnotes.render import build_show

        vault = state.vault()
        contact = resolve_contact(vault, who)
        return Answer.text(build_show(vault, contact.id, day, fmt, colour=colour),
                      skipped_warning(vault.skipped))

    finish(state.answered(("show", who, fmt, colour, day.isoformat()), compute))


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
    day, colour = state.today(today), want_colour()

    def compute() -> Answer:
        from netnotes.render import build_list, list_contacts

        vault = state.vault()
        if tier and vault.config.tier(tier) is None:
            raise click.BadParameter(f"{tier!r} is not a tier; tiers are: "
                                     + ", ".join(vault.config.tier_names), param_hint="--tier")
        ids = list_contacts(vault, tier=tier, tag=tag, field=field_)
        return Answer.text(build_list(vault, ids, day, fmt, colour=colour),
                           skipped_warning(vault.skipped))

    finish(state.answered(("list", tier, tag, field_, fmt, colour, day.isoformat()), compute))


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
@click.option("--dry-run", is_flag=True, help="Show what would be committed; change nothing.")
@click.option("--rebase/--merge", "rebase", default=None,
              help="How to pull (default: [sync] pull in netnotes.toml, else rebase).")
@click.option("--message", "-m", metavar="TEXT",
              help="Commit subject (default: what changed, e.g. `log: Ada (coffee)`).")
@click.pass_obj
@fail_on_errors
def sync(state: State, dry_run: bool, rebase: bool | None, message: str | None) -> None:
    """Commit the vault's changes, pull, push: notes merge without conflicts.

    Only changes inside the vault folder are committed; the commit message says what changed
    in people's terms. Uses your own git, its credentials and config; never prompts.
    """
    from netnotes.edit.sync import sync as run_sync
    from netnotes.vault import find_vault

    pull = None if rebase is None else ("rebase" if rebase else "merge")
    run_sync(find_vault(state.vault_path), pull=pull, message=message, dry_run=dry_run,
             report=lambda step: click.echo(str(step)))


@cli.command(name="git-setup")
@click.pass_obj
@fail_on_errors
def git_setup_cmd(state: State) -> None:
    """Let git merge notes with netnotes (once per clone; safe to repeat).

    Sets merge.netnotes.* in the repository's .git/config and `merge=netnotes` for the people
    and journal notes in the vault's .gitattributes.
    """
    from netnotes.edit import git_setup
    from netnotes.vault import find_vault

    changed = git_setup(find_vault(state.vault_path))
    for line in changed:
        click.echo(f"set: {line}")
    if not changed:
        click.echo("already set up: git merges notes with the netnotes merge driver")


@cli.command(name="merge-driver", hidden=True)
@click.argument("base", type=click.Path(exists=True, dir_okay=False))
@click.argument("ours", type=click.Path(exists=True, dir_okay=False))
@click.argument("theirs", type=click.Path(exists=True, dir_okay=False))
@click.argument("path", default="")
def merge_driver(base: str, ours: str, theirs: str, path: str) -> None:
    """What git runs to merge a note (%O %A %B %P): result into %A, exit 1 on a conflict."""
    from netnotes.edit import run_merge_driver

    result = run_merge_driver(Path(base), Path(ours), Path(theirs), path)
    if not result.clean:
        click.echo(f"netnotes: {path or ours}: conflict in " + ", ".join(result.conflicts),
                   err=True)
        sys.exit(1)


# ---------------------------------------------------------------------------------------------
# Editing commands (the library side is netnotes.notes and netnotes.edit)


def bad_value_is_usage(f: F) -> F:
    """A value that is not valid for its field is a usage error (exit 2), like a bad option."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from netnotes.edit import BadValue

        try:
            return f(*args, **kwargs)
        except BadValue as exc:
            raise click.UsageError(str(exc)) from None

    return wrapper  # type: ignore[return-value]


def resolve_for_edit(vault: Vault, query: str) -> Contact:
    """Like resolve_contact, but a note that matches and cannot be read says why (rule: refuse to
    edit a broken note, and show what is wrong and where)."""
    try:
        return resolve_contact(vault, query)
    except NetnotesError:
        from netnotes.edit import skipped_note

        rel = skipped_note(vault, query)
        if rel is None:
            raise
        errors = "\n".join(f"  {p}" for p in vault.problems
                           if p.source.path == rel and p.severity == "error")
        raise NetnotesError(f"{rel} cannot be read as a contact, so it was not changed:\n"
                            f"{errors}\nfix it with {hint('edit', query)}") from None


def _say(result: Any, done: str, noop: str) -> None:
    for w in result.warnings:
        click.echo(f"netnotes: {w}", err=True)
    click.echo(f"{result.rel}: {done if result.changed else noop}")


@cli.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--adopt", "adopt_dir", metavar="DIR", type=click.Path(file_okay=False),
              help="Adopt a folder of notes kept by another tool (Obsidian …): propose "
                   "netnotes.toml, show what it finds, write only that file once you agree.")
@click.option("--yes", "-y", is_flag=True, help="With --adopt: write netnotes.toml without asking.")
@format_option(type=click.Choice(["text", "json"]))
@fail_on_errors
def init(directory: str, adopt_dir: str | None, yes: bool, fmt: str) -> None:
    """Create a vault in DIRECTORY (default: here), or adopt one with --adopt DIR.

    Writes netnotes.toml with commented defaults (tiers, cadences, [me]), people/, journal/ and a
    .gitignore for the cache, and runs `git init` unless DIRECTORY is already in a git repository.
    Refuses to touch an existing vault.

    With --adopt DIR, nothing in DIR is renamed or rewritten: netnotes reads its notes, proposes
    the folders and a [fields] map from your key names to netnotes' (see docs/adopt.md), shows the
    contacts, interactions and problems it would read, and asks before it writes netnotes.toml,
    the only file it creates. --format json prints the plan (and writes only with --yes).
    """
    if adopt_dir is not None:
        if directory != ".":
            raise click.UsageError("give either DIRECTORY or --adopt DIR, not both")
        _adopt(adopt_dir, yes, fmt)
        return
    if yes or fmt != "text":
        raise click.UsageError("--yes and --format go with --adopt DIR")
    from netnotes.edit import init_vault

    made = init_vault(Path(directory))
    click.echo(f"Created a netnotes vault in {directory}")
    for item in made.created:
        click.echo(f"  {item}")
    click.echo(f"  git: {made.git}")
    there = "" if Path(directory) == Path(".") else shlex.join(["cd", directory]) + " && "
    click.echo(f"Next: set [me] in netnotes.toml, then `{there}netnotes add 'Ada Lovelace'`")


def _adopt(folder: str, yes: bool, fmt: str) -> None:
    """``init --adopt``: the plan, the question, netnotes.toml."""
    from netnotes.interop.adopt import adopt, describe, write_config
    from netnotes.render import dumps

    plan = adopt(folder, write=yes and fmt == "json")
    if fmt == "json":
        click.echo(dumps(plan.as_json()))
        return
    click.echo(describe(plan), nl=False)
    click.echo("")
    if not yes:
        try:
            agreed = click.confirm("Write netnotes.toml?", default=False, err=True)
        except click.Abort:  # no answer (end of input): the safe answer is no
            agreed = False
            click.echo("", err=True)
        if not agreed:
            click.echo("Nothing written. Run again with --yes to write netnotes.toml.", err=True)
            sys.exit(1)
    write_config(plan)
    import shlex

    where = shlex.quote(folder)
    click.echo(f"Wrote {Path(folder) / 'netnotes.toml'}: the only file changed.")
    click.echo(f"Next: `netnotes --vault {where} check`, then `netnotes --vault {where} report`")


@cli.command()
@click.argument("name")
@click.option("--tier", help="Tier from netnotes.toml (default: the config's default tier).")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="A tag (repeatable).")
@click.option("--company", default="", help="Where they work.")
@click.option("--role", default="", help="What they do there.")
@click.option("--field", "field_", default="", metavar="FIELD", help="Their industry or field.")
@click.option("--email", "emails", multiple=True, metavar="EMAIL", help="An email (repeatable).")
@click.option("--met", type=DATE, help="When you met.")
@click.option("--introduced-by", metavar="WHO", help="Who introduced you (id or name).")
@today_option
@click.pass_obj
@fail_on_errors
@bad_value_is_usage
def add(state: State, name: str, tier: str | None, tags: tuple[str, ...], company: str,
        role: str, field_: str, emails: tuple[str, ...], met: dt.date | None,
        introduced_by: str | None, today: dt.date | None) -> None:
    """Create a note for NAME in people/ (from templates/person.md.j2).

    The file name comes from the name (ada-lovelace.md); an existing file is never overwritten
    (ada-lovelace-2.md). Warns when someone with the same name, alias or email exists.
    """
    from netnotes.edit import add_contact

    vault = state.vault()
    intro = resolve_contact(vault, introduced_by).id if introduced_by else None
    new = add_contact(vault, name, tier=tier, tags=tags, company=company, role=role,
                      field=field_, emails=emails, met=met, introduced_by=intro,
                      today=state.today(today))
    for w in new.warnings:
        click.echo(f"netnotes: warning: {w}", err=True)
    click.echo(f"Created {new.rel}")


@cli.command()
@click.argument("who")
@click.argument("text", nargs=-1, required=True)
@click.option("--date", "day", type=DATE, help="When it happened (default: today).")
@click.option("--gave", is_flag=True, help="You did something for them (#gave).")
@click.option("--got", is_flag=True, help="They did something for you (#got).")
@click.option("--with", "with_", multiple=True, metavar="WHO",
              help="Someone else who was there: linked as [[id]] (repeatable).")
@today_option
@click.pass_obj
@fail_on_errors
@bad_value_is_usage
def log(state: State, who: str, text: tuple[str, ...], day: dt.date | None, gave: bool,
        got: bool, with_: tuple[str, ...], today: dt.date | None) -> None:
    """Log an interaction with WHO: TEXT goes under ## Log, in date order.

    The section is created at the end of the note when missing.
    """
    from netnotes.edit import log_interaction

    if gave and got:
        raise click.UsageError("--gave and --got exclude each other")
    vault = state.vault()
    contact = resolve_for_edit(vault, who)
    others = [resolve_contact(vault, w).id for w in with_]
    when = day or state.today(today)
    result = log_interaction(vault, contact.id, " ".join(text), when, gave=gave, got=got,
                             with_ids=others, today=state.today(today))
    _say(result, f"logged {when.isoformat()} for {contact.name}", "nothing to log")


def _link_values(vault: Vault, key: str, values: tuple[str, ...], remove: bool) -> list[str]:
    from netnotes.edit import LINK_KEYS

    if key not in LINK_KEYS:
        return list(values)
    out = []
    for v in values:
        try:
            out.append(resolve_contact(vault, v.strip("[] ")).id)
        except NetnotesError:
            if not remove:
                raise
            out.append(v)  # removing a link to someone who has no note (any more)
    return out


# `set maya birthday --12-20`: the documented year-less birthday looks like an option to click.
# Unknown options are let through as values, and anything among them that still looks like an
# option (a letter after the dashes, such as a mistyped --ad) is refused as click would.
_LOOKS_LIKE_OPTION = re.compile(r"^--?[^\W\d_]")


@cli.command(name="set", context_settings={"ignore_unknown_options": True})
@click.argument("who")
@click.argument("key")
@click.argument("values", nargs=-1, required=True)
@click.option("--add", "add_", is_flag=True, help="Add VALUES to a list field.")
@click.option("--remove", is_flag=True, help="Remove VALUES from a list field.")
@click.pass_obj
@fail_on_errors
@bad_value_is_usage
def set_(state: State, who: str, key: str, values: tuple[str, ...], add_: bool,
         remove: bool) -> None:
    """Set the front-matter field KEY of WHO, changing nothing else in the note.

    List fields (tags, interests, knows, aliases, emails, phones, links) take several VALUES,
    or --add/--remove one item at a time. Dates are written YYYY-MM-DD; a birthday takes
    1990-12-20, or without the year 12-20, --12-20 or Dec 20; knows and
    introduced_by take ids or names and are written as [[id]].
    """
    from netnotes.edit import set_field

    for value in values:
        if _LOOKS_LIKE_OPTION.match(value):
            raise click.NoSuchOption(value.split("=", 1)[0])
    if add_ and remove:
        raise click.UsageError("--add and --remove exclude each other")
    mode = "add" if add_ else "remove" if remove else "set"
    vault = state.vault()
    contact = resolve_for_edit(vault, who)
    result = set_field(vault, contact.id, key, _link_values(vault, key, values, remove), mode)
    shown = (" " if key == "birthday" else ", ").join(values)
    done = {"set": f"{key}: {shown}", "add": f"{key}: added {shown}",
            "remove": f"{key}: removed {shown}"}[mode]
    _say(result, done, f"{key} already so; nothing written")


@cli.command()
@click.argument("who")
@click.argument("key")
@click.pass_obj
@fail_on_errors
@bad_value_is_usage
def unset(state: State, who: str, key: str) -> None:
    """Remove the front-matter field KEY (and its value) from WHO's note."""
    from netnotes.edit import unset_field

    vault = state.vault()
    contact = resolve_for_edit(vault, who)
    result = unset_field(vault, contact.id, key)
    _say(result, f"removed {key}", f"no {key}; nothing written")


def _date_or_later(text: str, today: dt.date, who: str) -> dt.date:
    """``2027-01-15`` as is, or ``3 weeks`` from today."""
    from netnotes.core import add_duration, parse_duration

    try:
        return parse_date(text)
    except ValueError:
        pass
    try:
        dur = parse_duration(text)
    except ValueError:
        dur = None
    if dur is None:
        raise click.BadParameter(f"{text!r} is neither a date (YYYY-MM-DD) nor a duration "
                                 f"(3 weeks, 2 months); {hint('unset', who, 'snooze_until')} "
                                 "ends a snooze", param_hint="UNTIL")
    return add_duration(today, dur)


@cli.command()
@click.argument("who")
@click.argument("until", metavar="(UNTIL-DATE | DURATION)")
@today_option
@click.pass_obj
@fail_on_errors
@bad_value_is_usage
def snooze(state: State, who: str, until: str, today: dt.date | None) -> None:
    """No reminders for WHO until a date (2027-01-15) or for a while (3 weeks, 2 months).

    Sets snooze_until; `netnotes unset WHO snooze_until` ends it early.
    """
    from netnotes.edit import snooze as snooze_note

    now = state.today(today)
    when = _date_or_later(until, now, who)
    vault = state.vault()
    contact = resolve_for_edit(vault, who)
    result = snooze_note(vault, contact.id, when, now)
    _say(result, f"snoozed {contact.name} until {when.isoformat()}",
         f"already snoozed until {when.isoformat()}; nothing written")


@cli.command()
@click.argument("who")
@click.pass_obj
@fail_on_errors
def edit(state: State, who: str) -> None:
    """Open WHO's note in $VISUAL / $EDITOR, then report any problem the edit introduced.

    Exits 1 when the note now has an error it did not have before. A note that cannot be read
    as a contact can be opened by its id (file name) to fix it.
    """
    from netnotes.edit import new_problems, note_path, skipped_note

    vault = state.vault()
    try:
        rel = resolve_contact(vault, who).path
    except NetnotesError:
        found = skipped_note(vault, who)
        if found is None:
            raise
        rel = found
    path = note_path(vault.root, rel)
    before = path.read_bytes()
    click.edit(filename=str(path))
    after = path.read_bytes()
    if after == before:
        click.echo(f"{rel}: no changes")
        return
    introduced = new_problems(before, after, rel, vault.config)
    for p in introduced:
        click.echo(f"netnotes: {p}", err=True)
    if any(p.severity == "error" for p in introduced):
        click.echo(f"netnotes: {rel} was saved with the problems above — run "
                   f"{hint('edit', who)} again to fix them", err=True)
        sys.exit(1)
    click.echo(f"{rel}: saved")


# ---------------------------------------------------------------------------------------------
# Import and export (the library side is netnotes.interop)


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
    from netnotes.interop.importer import ImportOptions, import_files, result_json, summary

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
        click.echo(json.dumps(result_json(result), ensure_ascii=False, indent=2))
    else:
        click.echo(summary(result), nl=False)
    for failure in result.failed:
        click.echo(f"netnotes: {failure}", err=True)
    if not result.ok:
        click.echo(f"netnotes: {len(result.failed)} record"
                   f"{'s' if len(result.failed) != 1 else ''} could not be imported (see above)",
                   err=True)
        sys.exit(1)


@cli.group()
def export() -> None:
    """Write the vault out as vCard, iCalendar, CSV or JSON (stdout, or --out FILE).

    `--redact` on every format: names become initials; emails, phones, links, addresses,
    birthdays and free text are left out, so only the figures remain.
    """


def _export_options(f: F) -> F:
    f = out_option(f)
    f = click.option("--redact", is_flag=True,
                     help="Initials instead of names; no emails, phones, links, birthdays or "
                          "free text.")(f)
    return f


def _export(state: State, make: Callable[[Vault], str], out: str | None) -> None:
    vault = state.vault()
    text = make(vault)
    if out:
        from netnotes.vault import write_bytes_atomic

        write_bytes_atomic(Path(out), text.encode("utf-8"))
    else:
        click.echo(text, nl=False)
    if vault.skipped:
        click.echo(skipped_warning(vault.skipped), err=True, nl=False)


@export.command(name="vcard")
@click.argument("who", nargs=-1)
@_export_options
@click.pass_obj
@fail_on_errors
def export_vcard_cmd(state: State, who: tuple[str, ...], out: str | None, redact: bool) -> None:
    """vCard 4.0 of WHO (ids, names or unique prefixes), or of everyone: one file for any
    address book. Importing it into an empty vault and exporting again gives the same cards."""
    from netnotes.interop.export import export_vcard

    _export(state, lambda v: export_vcard(v, who, redact=redact), out)


@export.command(name="ics")
@today_option
@_export_options
@click.pass_obj
@fail_on_errors
def export_ics_cmd(state: State, today: dt.date | None, out: str | None, redact: bool) -> None:
    """iCalendar: all-day events on each contact's due date, yearly birthdays, and log lines
    dated after today. UIDs are stable, so a calendar subscribed to the file updates it."""
    from netnotes.interop.export import export_ics

    day = state.today(today)
    _export(state, lambda v: export_ics(v, day, redact=redact), out)


@export.command(name="csv")
@today_option
@_export_options
@click.pass_obj
@fail_on_errors
def export_csv_cmd(state: State, today: dt.date | None, out: str | None, redact: bool) -> None:
    """One row per contact: its fields, last contact, due date, strength (spreadsheet-safe)."""
    from netnotes.interop.export import export_csv

    day = state.today(today)
    _export(state, lambda v: export_csv(v, day, redact=redact), out)


@export.command(name="json")
@today_option
@_export_options
@click.pass_obj
@fail_on_errors
def export_json_cmd(state: State, today: dt.date | None, out: str | None, redact: bool) -> None:
    """Every contact with its fields and figures as JSON (keys in docs/import-export.md)."""
    from netnotes.interop.export import export_json

    day = state.today(today)
    _export(state, lambda v: export_json(v, day, redact=redact), out)


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
@click.pass_obj
@fail_on_errors
def watch(state: State, today: dt.date | None, fmt: str, out: str | None,
          debounce: float, port: int | None, everyone: bool) -> None:
    """Render the report, then again whenever a note, the journal or netnotes.toml changes.

    With --out the file is replaced atomically (open it in a browser and reload); without it
    the report is printed again after each change.  Ctrl-C stops.
    """
    import threading

    from netnotes.core import one_shot
    from netnotes.vault import find_vault
    from netnotes.watch import Rendered, Watcher

    one_shot(False)  # this process renders again and again: its garbage must be collected

    fixed = today or state.today_opt

    def on_render(result: Rendered, text: str) -> None:
        stamp = dt.datetime.now().strftime("%H:%M:%S")
        if not result.ok:
            click.echo(f"netnotes: {stamp} not rendered: {result.error}", err=True)
            return
        for rel in result.kept:
            click.echo(f"netnotes: {stamp} {rel} cannot be read; showing its last good version",
                       err=True)
        if out:
            if result.changed:
                n = len(result.vault.contacts) if result.vault else 0
                click.echo(f"netnotes: {stamp} wrote {out} ({n} contacts, "
                           f"{result.read} note{'s' if result.read != 1 else ''} read)", err=True)
        elif result.changed and port is None:
            if sys.stdout.isatty():
                click.clear()
            click.echo(text, nl=False)

    watcher = Watcher(find_vault(state.vault_path), fmt, Path(out) if out else None,
                      today=lambda: fixed or dt.date.today(), debounce=debounce,
                      on_render=on_render, everyone=everyone)
    server = None
    if port is not None:
        from netnotes.watch import serve

        try:
            server = serve(watcher, port)
        except OSError as exc:
            raise NetnotesError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror} — try "
                                "another port with --serve PORT") from None
        click.echo(f"netnotes: serving http://127.0.0.1:{server.server_address[1]}/", err=True)
    click.echo("netnotes: watching for changes — Ctrl-C stops", err=True)
    try:
        watcher.run(threading.Event())
    except KeyboardInterrupt:
        click.echo("netnotes: stopped", err=True)
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
        click.echo(stats.summary())


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
