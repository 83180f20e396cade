"""``import_files``: people from other tools' exports become notes, merged and never duplicated.

Two steps, so that ``--dry-run`` is the first one alone.  ``plan_import`` reads every record and
matches it, against the vault's contacts and the records before it, by email, profile URL, or
normalised name + company; it works on the model only (no note is read), which is what makes a
re-import of 10,000 people a quick no-op.  ``apply_plan`` then creates the new notes and edits the
matched ones through the editing functions (byte-exact, verified, atomic, refusing a note someone
changed meanwhile); a note that already says everything is never opened.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from netnotes.core import (
    Config,
    Contact,
    NetnotesError,
    Problem,
    Source,
    Vault,
    fold,
    slugify,
)
from netnotes.edit import (
    body,
    change_note,
    clean_orphans,
    lock_vault,
    note_path,
    set_in_note,
    written_key,
    yamlvalue,
)
from netnotes.edit import changes as edit
from netnotes.interop.newnote import front_matter, new_note, their_key
from netnotes.interop.records import (
    CONNECTED,
    LISTS,
    SCALARS,
    Person,
    decode,
    phone,
    profile_key,
    unique,
)
from netnotes.vault import create_many_atomic, parse_note

FORMATS = ("vcard", "google-csv", "linkedin-csv", "csv")
Progress = Callable[[int], AbstractContextManager[Any]]


@dataclass(frozen=True)
class ImportOptions:
    """How to read the files and what to do with what they hold (the CLI's options)."""

    fmt: str | None = None  # None: from the file's name and first lines
    tier: str | None = None  # None: the lowest tier that has a cadence
    overwrite: bool = False
    dry_run: bool = False
    mapping: Mapping[str, str] | None = None  # generic CSV: column → field
    encoding: str | None = None
    region: str | None = None  # phone numbers without +country are read in this region


@dataclass(frozen=True)
class FileRead:
    path: str
    fmt: str
    encoding: str
    records: int


@dataclass(frozen=True)
class Outcome:
    """What the import did (or would do) to one contact."""

    rel: str
    name: str
    action: str  # "new", "merged" or "unchanged"
    added: tuple[str, ...] = ()  # fields added (merged) or written (new)
    kept: tuple[str, ...] = ()  # fields whose value differs: the note's kept (see --overwrite)
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class ImportResult:
    files: tuple[FileRead, ...]
    outcomes: tuple[Outcome, ...]
    skipped: tuple[Problem, ...]  # records not imported on purpose (warnings)
    failed: tuple[Problem, ...]  # records that could not be read or written (errors)
    warnings: tuple[Problem, ...]  # a value left out of a record that was imported
    tier: str
    spread_days: int  # first due dates of new contacts spread over this many days
    dry_run: bool

    def of(self, action: str) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.action == action)

    @property
    def ok(self) -> bool:
        return not self.failed


# ---------------------------------------------------------------------------------------------
# Reading files


def detect_format(path: str, text: str) -> str:
    """The format of an export from its name and first lines."""
    head = text.lstrip("\ufeff \r\n\t")[:4096]
    if head.upper().startswith("BEGIN:VCARD") or path.lower().endswith((".vcf", ".vcard")):
        return "vcard"
    from netnotes.interop.csvfiles import sniff

    return sniff(text)


def read_file(path: Path, options: ImportOptions) -> tuple[FileRead, list[Person | Problem]]:
    """Every record of one export, as Person records and Problems."""
    shown = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NetnotesError(f"cannot read {shown}: {exc.strerror}") from None
    try:
        text, encoding = decode(data, shown, options.encoding)
    except ValueError as exc:
        raise NetnotesError(str(exc)) from None
    fmt = options.fmt or detect_format(shown, text)
    if fmt not in FORMATS:
        raise NetnotesError(f"{fmt!r} is not a format netnotes imports: {', '.join(FORMATS)}")
    records: list[Person | Problem]
    if fmt == "vcard":
        from netnotes.interop.vcard import read_vcards

        records = list(read_vcards(text, shown))
    else:
        from netnotes.interop.csvfiles import read_csv

        records = list(read_csv(text, shown, fmt, mapping=options.mapping))
    n = sum(1 for r in records if isinstance(r, Person) or r.code not in _FILE_LEVEL)
    return FileRead(shown, fmt, encoding, n), records


_FILE_LEVEL = frozenset({"stray-end", "outside-card"})


# ---------------------------------------------------------------------------------------------
# Planning


@dataclass
class _Target:
    """A contact the import touches: an existing note (``contact`` set) or a new one."""

    person: Person  # new: everything known so far; existing: what is to be added
    contact: Contact | None = None
    sources: list[Source] = field(default_factory=list)
    kept: set[str] = field(default_factory=set)
    log: list[tuple[dt.date, str]] = field(default_factory=list)


@dataclass
class Plan:
    """What ``apply_plan`` will do: one target per contact touched, in the order first met."""

    vault: Vault
    tier: str
    targets: list[_Target]
    skipped: list[Problem]
    failed: list[Problem]
    warnings: list[Problem]
    files: list[FileRead]
    options: ImportOptions


def import_tier(config: Config, tier: str | None) -> str:
    """The tier imported people go to: ``tier`` if given, else the lowest tier with a cadence
    (quality over quantity: the few who matter are chosen afterwards, not imported as such)."""
    if tier is not None:
        if config.tier(tier) is None:
            raise NetnotesError(f"{tier!r} is not a tier; tiers are: "
                                + ", ".join(config.tier_names))
        return tier
    with_cadence = [t for t in config.tiers if t.cadence is not None]
    return (with_cadence or list(config.tiers))[-1].name


class _Matcher:
    """Finds the contact a record means: same email, same profile URL, or same normalised name
    and company, where two different profile URLs always mean two people.  When only one side
    knows the company (a note typed by hand, a vCard without ORG), the same name is enough if
    exactly one contact has it."""

    def __init__(self) -> None:
        self.by_email: dict[str, _Target] = {}
        self.by_profile: dict[str, _Target] = {}
        self.by_name: dict[tuple[str, str], list[_Target]] = {}
        self.companies: dict[str, list[tuple[_Target, str]]] = {}  # name → (target, company)

    def add(self, target: _Target, names: Iterable[str], company: str, emails: Iterable[str],
            links: Iterable[str]) -> None:
        for e in emails:
            self.by_email.setdefault(e.casefold(), target)
        for u in links:
            key = profile_key(u)
            if key:
                self.by_profile.setdefault(key, target)
        for n in names:
            self.by_name.setdefault((fold(n), fold(company)), []).append(target)
            self.companies.setdefault(fold(n), []).append((target, fold(company)))

    def find(self, p: Person) -> _Target | None:
        for e in p.emails:
            t = self.by_email.get(e.casefold())
            if t is not None:
                return t
        mine = p.profiles
        for key in mine:
            t = self.by_profile.get(key)
            if t is not None:
                return t
        for t in self.by_name.get((fold(p.name), fold(p.company)), ()):
            if not _other_profile(mine, t):
                return t
        company = fold(p.company)
        unsure = {id(t): t for t, theirs in self.companies.get(fold(p.name), ())
                  if (not company or not theirs) and not _other_profile(mine, t)}
        return next(iter(unsure.values())) if len(unsure) == 1 else None


def _other_profile(mine: tuple[str, ...], t: _Target) -> bool:
    """Both have profile URLs and none is the same: two people."""
    theirs = _profiles(t)
    return bool(mine and theirs and not set(mine) & set(theirs))


def _profiles(t: _Target) -> tuple[str, ...]:
    links = t.contact.links if t.contact is not None else ()
    return tuple(k for k in (profile_key(u) for u in (*links, *t.person.links)) if k)


def plan_import(vault: Vault, files: Sequence[Path], options: ImportOptions = ImportOptions()
                ) -> Plan:
    """Read ``files`` and decide, for each record, the contact it becomes or merges into."""
    tier = import_tier(vault.config, options.tier)
    if options.fmt is not None and options.fmt not in FORMATS:
        raise NetnotesError(f"{options.fmt!r} is not a format netnotes imports: "
                            + ", ".join(FORMATS))
    matcher = _Matcher()
    for c in vault.contacts:
        matcher.add(_Target(Person(c.name, Source(c.path)), c), (c.name, *c.aliases), c.company,
                    c.emails, c.links)
    plan = Plan(vault, tier, [], [], [], [], [], options)
    touched: dict[int, _Target] = {}
    for path in files:
        info, records = read_file(Path(path), options)
        plan.files.append(info)
        for rec in records:
            if isinstance(rec, Problem):
                (plan.failed if rec.severity == "error" else plan.skipped).append(rec)
                continue
            plan.warnings.extend(rec.problems)
            target = matcher.find(rec)
            if target is None:
                phones = unique([phone(x, options.region) for x in rec.phones])
                target = _Target(replace(rec, phones=phones, problems=()))
                target.sources.append(rec.where)
                plan.targets.append(target)
                touched[id(target)] = target
                matcher.add(target, (rec.name, *rec.aliases), rec.company, rec.emails, rec.links)
                continue
            if id(target) not in touched:
                touched[id(target)] = target
                plan.targets.append(target)
                target.person = Person(target.person.name, target.person.where)
            target.sources.append(rec.where)
            _merge(target, rec, vault, options)
            matcher.add(target, rec.aliases, rec.company, rec.emails, rec.links)
    return plan


def _merge(t: _Target, rec: Person, vault: Vault, options: ImportOptions) -> None:
    """Fold ``rec`` into the target: for a new note everything it adds; for an existing note,
    only what the note lacks (or, with ``overwrite``, what it says differently)."""
    have = t.person
    changes: dict[str, Any] = {}
    for key in SCALARS:
        value = getattr(rec, key)
        if not value:
            continue
        current = _current(t, key)
        pending = getattr(have, key)
        if pending or (current and fold(current) == fold(value)):
            continue
        if current and not options.overwrite:
            t.kept.add(key)
            continue
        changes[key] = value
    for key in LISTS:
        incoming = getattr(rec, key)
        if not incoming:
            continue
        present = {_item(key, v) for v in (*_current_list(t, key), *getattr(have, key))}
        if key == "aliases":
            present.add(_item(key, _name(t)))
        fresh = tuple(v for v in incoming if _item(key, v) not in present)
        if fresh and key == "phones":
            fresh = unique([phone(v, options.region) for v in fresh])
        if fresh:
            changes[key] = (*getattr(have, key), *fresh)
    if rec.note and not have.note and t.contact is None:
        changes["note"] = rec.note
    if rec.connected_on and t.contact is None and not have.connected_on:
        changes["connected_on"], changes["connected_via"] = rec.connected_on, rec.connected_via
    elif rec.connected_on and t.contact is not None and not _has_line(t, vault, rec.connected_on):
        t.log.append((rec.connected_on, f"{CONNECTED} {rec.connected_via}"))
    if changes:
        t.person = replace(have, **changes)


def _name(t: _Target) -> str:
    return t.contact.name if t.contact is not None else t.person.name


def _current(t: _Target, key: str) -> str:
    c = t.contact
    if c is None:
        return ""
    if key == "birthday":
        return str(c.birthday) if c.birthday else ""
    if key == "birthday_text":
        value = c.extra.get("birthday_text")
        return str(value) if value else ""
    return str(getattr(c, key) or "")


def _current_list(t: _Target, key: str) -> tuple[str, ...]:
    return tuple(getattr(t.contact, key)) if t.contact is not None else ()


def _item(key: str, value: str) -> str:
    """What makes two list items the same: digits for phones, the profile for links, the text
    ignoring case and accents (and a tag's #) otherwise."""
    if key == "phones":
        digits = "".join(ch for ch in value if ch.isdigit())
        return digits[-9:] if len(digits) >= 9 else digits or fold(value)
    if key == "links":
        return profile_key(value) or value.strip().rstrip("/").casefold()
    return fold(value.lstrip("#") if key == "tags" else value)


def _has_line(t: _Target, vault: Vault, day: dt.date) -> bool:
    if any(d == day for d, _ in t.log):
        return True
    if t.contact is None:
        return False
    return any(i.date == day and i.text.casefold().startswith(CONNECTED)
               for i in vault.interactions_of(t.contact.id))


# ---------------------------------------------------------------------------------------------
# Applying


def import_files(vault: Vault, files: Sequence[Path], options: ImportOptions = ImportOptions(),
                 *, today: dt.date, progress: Progress | None = None) -> ImportResult:
    """Import ``files`` into ``vault``: new people become notes in the people folder, people
    who already have a note get what their note lacks.  With ``options.dry_run`` nothing is
    written and the result says what would be done."""
    return apply_plan(plan_import(vault, files, options), today=today, progress=progress)


def apply_plan(plan: Plan, *, today: dt.date, progress: Progress | None = None
               ) -> ImportResult:
    """Carry out a plan under the vault's write lock (other netnotes writers wait; the file
    names of new notes are chosen under it): merges one by one through the editor, then the new
    notes, created a thousand at a time with one flush to disk each (create_many_atomic)."""
    if plan.options.dry_run or not plan.targets:
        return _apply(plan, today, progress)
    with lock_vault(plan.vault.root):
        return _apply(plan, today, progress)


def _apply(plan: Plan, today: dt.date, progress: Progress | None) -> ImportResult:
    vault, options = plan.vault, plan.options
    tier = vault.config.tier(plan.tier)
    cadence = tier.cadence if tier is not None else None
    new_targets = [t for t in plan.targets if t.contact is None]
    days = max(1, round(cadence.approx_days)) if cadence is not None else 0
    folder = _people_folder(vault, create=not options.dry_run and bool(new_targets))
    taken = _names_in(folder)
    taken |= {c.id.casefold() for c in vault.contacts}
    results: dict[int, Outcome | Problem] = {}
    writes: list[tuple[int, Path, bytes, Outcome]] = []
    bar = progress(len(plan.targets)) if progress is not None else nullcontext(None)
    with bar as ticks:
        n_new = 0
        for i, t in enumerate(plan.targets):
            if t.contact is not None:
                results[i] = _update(vault, t, options.dry_run)
                if ticks is not None:
                    ticks.update(1)
                continue
            snooze = None
            if cadence is not None:  # the n-th of N first due on day 1 + n·days/N
                snooze = today + dt.timedelta(days=1 + n_new * days // len(new_targets))
            n_new += 1
            made = _prepare(vault, taken, t, plan.tier, snooze)
            if isinstance(made, Problem) or options.dry_run or folder is None:
                results[i] = made if isinstance(made, Problem) else made[2]
                if ticks is not None:
                    ticks.update(1)
                continue
            writes.append((i, folder / made[0], made[1], made[2]))
        for start in range(0, len(writes), BATCH):
            batch = writes[start:start + BATCH]
            errors = create_many_atomic([(path, data) for _, path, data, _ in batch])
            for (i, _, _, out), error in zip(batch, errors, strict=True):
                results[i] = out if error is None else _not_written(out, error)
            if ticks is not None:
                ticks.update(len(batch))
    ordered = [results[i] for i in range(len(plan.targets))]
    outcomes = [o for o in ordered if isinstance(o, Outcome)]
    failed = [*plan.failed, *(o for o in ordered if isinstance(o, Problem))]
    return ImportResult(tuple(plan.files), tuple(outcomes), tuple(plan.skipped), tuple(failed),
                        tuple(plan.warnings), plan.tier, days if new_targets else 0,
                        options.dry_run)


BATCH = 1000  # new notes flushed to disk together (and a step of the progress bar)


def _people_folder(vault: Vault, *, create: bool) -> Path | None:
    people = vault.config.people_dir
    if not (vault.root / people).exists():
        if not create:
            return None
        (vault.root / people).mkdir(parents=True, exist_ok=True)
    folder = note_path(vault.root, people)
    if create:
        clean_orphans(folder)
    return folder


def _names_in(folder: Path | None) -> set[str]:
    if folder is None:
        return set()
    try:
        return {n.casefold().removesuffix(".md") for n in os.listdir(folder)}
    except OSError:
        return set()


def _free_id(slug: str, taken: set[str]) -> str:
    for n in range(1, 100_000):
        cand = slug if n == 1 else f"{slug}-{n}"
        if cand.casefold() not in taken:
            taken.add(cand.casefold())
            return cand
    raise NetnotesError(f"too many contacts called {slug}")  # pragma: no cover


def _prepare(vault: Vault, taken: set[str], t: _Target, tier: str, snooze: dt.date | None
             ) -> tuple[str, bytes, Outcome] | Problem:
    """A new note's file name, bytes and outcome, its front matter proven to read back as
    exactly what was imported."""
    p = t.person
    cid = _free_id(slugify(p.name), taken)
    rel = f"{vault.config.people_dir}/{cid}.md"
    try:
        data = new_note(p, tier, snooze, fields=vault.config.fields)
    except (TypeError, yamlvalue.BadValue) as exc:
        return Problem(p.where, "error", "not-written", f"{p.name}: {exc}")
    raw = parse_note(data, rel)
    errors = [e for e in raw.problems if e.severity == "error"]
    fields = vault.config.fields
    expected = {their_key(fields, k): yamlvalue.as_read(v)
                for k, v in front_matter(p, tier, snooze)}
    if errors or raw.meta != expected:
        return Problem(p.where, "error", "not-written",
                       f"{p.name}: the note would not read back as imported; nothing written")
    written = tuple(k for k in (*SCALARS, *LISTS) if getattr(p, k))
    return f"{cid}.md", data, Outcome(rel, p.name, "new", written, (), tuple(t.sources))


def _not_written(out: Outcome, error: OSError) -> Problem:
    where = out.sources[0] if out.sources else Source(out.rel)
    if isinstance(error, FileExistsError):
        return Problem(where, "error", "not-written", f"{out.rel} appeared while netnotes was "
                       "importing; nothing was overwritten — run the import again")
    return Problem(where, "error", "not-written", f"{out.rel}: {error.strerror or error}")


def _update(vault: Vault, t: _Target, dry_run: bool) -> Outcome | Problem:
    c = t.contact
    assert c is not None
    p = t.person
    scalars = {k: getattr(p, k) for k in SCALARS if getattr(p, k)}
    lists = {k: getattr(p, k) for k in LISTS if getattr(p, k)}
    added = (*scalars, *lists, *(["log"] if t.log else []))
    kept = tuple(sorted(t.kept - set(scalars)))
    if not added:
        return Outcome(c.path, c.name, "unchanged", (), kept, tuple(t.sources))

    fields = vault.config.fields  # an adopted vault's notes are written in its own keys

    def change(data: bytes, rel: str) -> bytes:
        for key, value in scalars.items():
            v: yamlvalue.Value = value
            if key == "birthday" and not value.startswith("--"):
                v = dt.date.fromisoformat(value)
            data = set_in_note(fields, key, v, data, rel)
        for key, items in lists.items():
            where = written_key(fields, key, data, rel, lists=True).key
            meta = edit.parse_ok(data, rel).meta
            if where == "emails" and "emails" not in meta and isinstance(meta.get("email"), str):
                items = (meta["email"], *items)  # `email:` is read only while `emails` is absent
            data = edit.add_items(data, where, list(items), path=rel)
        heads = vault.config.log_headings or ("log",)
        for day, text in sorted(t.log):
            data = body.add_log_line(data, day, body.log_text(text), headings=heads,
                                     heading=heads[0][:1].upper() + heads[0][1:], path=rel)
        return data

    if not dry_run:
        try:
            change_note(vault, c.id, change)
        except NetnotesError as exc:
            return Problem(Source(c.path), "error", "not-merged",
                           f"{c.name}: {exc}".replace("\n", " "))
    return Outcome(c.path, c.name, "merged", tuple(added), kept, tuple(t.sources))
