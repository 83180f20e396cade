"""Commands that change notes: init, add, log, set, unset, snooze, edit, sync, git-setup and
the merge driver git runs."""

from __future__ import annotations

import datetime as dt
import functools
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from netnotes.core import NetnotesError, parse_date

if TYPE_CHECKING:
    from netnotes.core import Contact, Vault
from netnotes.cli import (
    _LOOKS_LIKE_OPTION,
    DATE,
    F,
    State,
    cli,
    fail_on_errors,
    format_option,
    hint,
    resolve_contact,
    say,
    today_option,
)


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
             report=lambda step: say(str(step)))


@cli.command(name="git-setup")
@click.option("--encrypt", is_flag=True,
              help="Make the git host see only ciphertext (age); the notes here stay plain.")
@click.option("--key", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The vault's age key file (default: found in ~/.config/netnotes/keys/, "
                   "or made there on first use).")
@click.pass_obj
@fail_on_errors
def git_setup_cmd(state: State, encrypt: bool, key: Path | None) -> None:
    """Let git merge notes with netnotes (once per clone; safe to repeat).

    Sets merge.netnotes.* in the repository's .git/config and `merge=netnotes` for the people
    and journal notes in the vault's .gitattributes. With --encrypt, also a clean/smudge filter
    so that git stores every note encrypted with age (docs/privacy.md).
    """
    from netnotes.edit import git_setup
    from netnotes.vault import find_vault

    changed = git_setup(find_vault(state.vault_path), encrypt=encrypt, key_file=key)
    for line in changed:
        say(f"set: {line}")
    if not changed:
        say("already set up: git merges notes with the netnotes merge driver")


@cli.command(name="age-filter", hidden=True)
@click.argument("mode", type=click.Choice(["clean", "smudge", "textconv", "process"]))
@click.argument("path", default="")
def age_filter(mode: str, path: str) -> None:
    """What git runs to encrypt (clean) and decrypt (smudge, textconv) a note; ``process``
    serves every note in one process (git's long-running filter protocol)."""
    from netnotes.edit.crypt import run_filter, serve_filter

    try:
        if mode == "process":
            serve_filter(Path.cwd(), sys.stdin.buffer, sys.stdout.buffer)
            return
        # textconv: git gives a file holding what it stores
        data = Path(path).read_bytes() if mode == "textconv" else sys.stdin.buffer.read()
        out = run_filter("smudge" if mode == "textconv" else mode, path, data, Path.cwd())
    except NetnotesError as exc:
        say(f"netnotes age-filter: {path}: {exc}", err=True)
        sys.exit(1)
    sys.stdout.buffer.write(out)
    sys.stdout.buffer.flush()


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
        say(f"netnotes: {path or ours}: conflict in " + ", ".join(result.conflicts),
                   err=True)
        sys.exit(1)


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
        say(f"netnotes: {w}", err=True)
    say(f"{result.rel}: {done if result.changed else noop}")


@cli.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--adopt", "adopt_dir", metavar="DIR", type=click.Path(file_okay=False),
              help="Adopt a folder of notes kept by another tool (Obsidian …): propose "
                   "netnotes.toml, show what it finds, write only that file once you agree.")
@click.option("--yes", "-y", is_flag=True, help="With --adopt: write netnotes.toml without asking.")
@click.option("--me", "me", metavar="NAME", help="Your name, for [me] in netnotes.toml (change "
              "it, your field and interests later with netnotes me set).")
@format_option(type=click.Choice(["text", "json"]))
@fail_on_errors
def init(directory: str, adopt_dir: str | None, yes: bool, me: str | None, fmt: str) -> None:
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

    made = init_vault(Path(directory), me=me)
    say(f"Created a netnotes vault in {directory}")
    for item in made.created:
        say(f"  {item}")
    say(f"  git: {made.git}")
    there = "" if Path(directory) == Path(".") else shlex.join(["cd", directory]) + " && "
    steps = ([] if me else ["netnotes me set name 'Your Name'"]) + [
        "netnotes me set field software"]
    steps[0] = there + steps[0]
    say(f"Next, who you are (your field and interests are the other side of common "
        f"ground): {', '.join(f'`{c}`' for c in steps)}; then "
               "`netnotes add 'Ada Lovelace'`")


def _adopt(folder: str, yes: bool, fmt: str) -> None:
    """``init --adopt``: the plan, the question, netnotes.toml."""
    from netnotes.interop.adopt import adopt, describe, write_config
    from netnotes.render import dumps

    plan = adopt(folder, write=yes and fmt == "json")
    if fmt == "json":
        click.echo(dumps(plan.as_json()))
        return
    say(describe(plan), nl=False)
    say("")
    if not yes:
        try:
            agreed = click.confirm("Write netnotes.toml?", default=False, err=True)
        except click.Abort:  # no answer (end of input): the safe answer is no
            agreed = False
            say("", err=True)
        if not agreed:
            say("Nothing written. Run again with --yes to write netnotes.toml.", err=True)
            sys.exit(1)
    write_config(plan)
    import shlex

    where = shlex.quote(folder)
    say(f"Wrote {Path(folder) / 'netnotes.toml'}: the only file changed.")
    say(f"Next: `netnotes --vault {where} check`, then `netnotes --vault {where} report`")


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
@click.option("--force", is_flag=True,
              help="Create the note even when someone with this name or email exists.")
@today_option
@click.pass_obj
@fail_on_errors
@bad_value_is_usage
def add(state: State, name: str, tier: str | None, tags: tuple[str, ...], company: str,
        role: str, field_: str, emails: tuple[str, ...], met: dt.date | None,
        introduced_by: str | None, force: bool, today: dt.date | None) -> None:
    """Create a note for NAME in people/ (from templates/person.md.j2).

    The file name comes from the name (ada-lovelace.md); an existing file is never overwritten.
    When someone with the same name, alias or email exists, add asks on a terminal and
    refuses otherwise (exit 1); --force creates the note anyway (ada-lovelace-2.md).
    """
    from netnotes import cli as here
    from netnotes.edit import LikelyDuplicate, add_contact

    vault = state.vault()
    intro = resolve_contact(vault, introduced_by).id if introduced_by else None

    def make(duplicate_ok: bool) -> Any:
        return add_contact(vault, name, tier=tier, tags=tags, company=company, role=role,
                           field=field_, emails=emails, met=met, introduced_by=intro,
                           today=state.today(today), duplicate_ok=duplicate_ok)

    try:
        new = make(force)
    except LikelyDuplicate as dup:
        if not here.interactive():
            raise
        for who in dup.similar:
            click.echo(f"netnotes: {name} may already have a note: {who}", err=True)
        if not click.confirm("Create a second note anyway?", default=False, err=True):
            raise NetnotesError("nothing written — log to the existing note instead") from None
        new = make(True)
    for w in new.warnings:
        say(f"netnotes: warning: {w}", err=True)
    say(f"Created {new.rel}")


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


def _on_terminal() -> bool:
    """May netnotes ask a question?  (Tests make it so; a pipe or a hook never is.)"""
    return sys.stdin.isatty() and sys.stdout.isatty()


@cli.command()
@click.argument("who")
@click.pass_obj
@fail_on_errors
def edit(state: State, who: str) -> None:
    """Open WHO's note in $VISUAL / $EDITOR, then report any problem the edit introduced.

    The original is kept until the saved note is known good: if the editor left it empty,
    unreadable, without its name, or deleted it, netnotes asks (on a terminal) whether to edit
    again, restore the original or keep it as saved; elsewhere it keeps the original in
    .netnotes/rescue/ and says where. Exits 1 when the note now has an error it did not have
    before. A note that cannot be read as a contact can be opened by its id (file name) to fix it.
    """
    from netnotes.edit import (
        keep_original,
        new_problems,
        note_path,
        read_if_there,
        restore_original,
        saved_note_trouble,
        skipped_note,
    )
    from netnotes.edit.notes import run_editor
    from netnotes.vault.parse import encrypted

    vault = state.vault()
    try:
        rel = resolve_contact(vault, who).path
    except NetnotesError:
        found = skipped_note(vault, who)
        if found is None:
            raise
        rel = found
    path = note_path(vault.root, rel)
    before = read_if_there(path)
    if before is None:
        raise NetnotesError(f"{rel} does not exist (any more?)")
    lock = encrypted(before)
    if lock is not None:  # an editor would only show (and could only break) the ciphertext
        raise NetnotesError(f"{rel}: encrypted ({lock[0]}): unlock the vault first — {lock[1]}")
    while True:
        run_editor(path)
        after = read_if_there(path)
        if after == before:
            say(f"{rel}: no changes")
            return
        trouble = saved_note_trouble(after, rel, vault.config)
        if trouble is None and after is not None:
            break
        if not _on_terminal():
            kept = keep_original(vault.root, rel, before)
            say(f"netnotes: {rel}: {trouble}; the original is kept in {kept}", err=True)
            sys.exit(1)
        choice = click.prompt(f"{rel}: {trouble}. [e]dit again, [r]estore the original, "
                              "[k]eep it as saved", type=click.Choice(["e", "r", "k"]),
                              default="e", show_choices=False, err=True)
        if choice == "r":
            restore_original(vault.root, rel, before, after)
            say(f"{rel}: the original is back; nothing changed")
            return
        if choice == "k":
            kept = keep_original(vault.root, rel, before)
            say(f"netnotes: {rel}: kept as saved; the original is in {kept}", err=True)
            sys.exit(1)
        if after is None:  # edit again: the editor gets the original back to work on
            restore_original(vault.root, rel, before, after)
    introduced = new_problems(before, after, rel, vault.config)
    for p in introduced:
        say(f"netnotes: {p}", err=True)
    if any(p.severity == "error" for p in introduced):
        say(f"netnotes: {rel} was saved with the problems above — run "
                   f"{hint('edit', who)} again to fix them", err=True)
        sys.exit(1)
    say(f"{rel}: saved")


@cli.group(invoke_without_command=True)
@click.pass_context
@fail_on_errors
def me(ctx: click.Context) -> None:
    """Who you are ([me] in netnotes.toml): shown, or set with `me set`.

    Your field and interests are the other side of every "common ground" and "diversity" figure.
    """
    if ctx.invoked_subcommand is None:
        from netnotes.vault import find_vault, load_config

        config, _ = load_config(find_vault(ctx.obj.vault_path))
        mine = config.me
        say(f"name: {mine.name}\nfield: {mine.field}\n"
                   f"interests: {', '.join(mine.interests)}\ntags: {', '.join(mine.tags)}")


@me.command(name="set")
@click.argument("key", type=click.Choice(["name", "field", "interests", "tags"]))
@click.argument("values", nargs=-1, required=True)
@click.pass_obj
@fail_on_errors
@bad_value_is_usage
def me_set(state: State, key: str, values: tuple[str, ...]) -> None:
    """Set KEY of [me]: name and field take one value (quote one with spaces), interests and
    tags a list (each VALUE one item).  Only that line of netnotes.toml changes."""
    from netnotes.edit.me import set_me
    from netnotes.vault import find_vault

    if key in ("name", "field") and len(values) > 1:
        values = (" ".join(values),)
    say(f"netnotes.toml: [me] {set_me(find_vault(state.vault_path), key, values)}")
