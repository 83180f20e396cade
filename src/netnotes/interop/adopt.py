"""Adopting a folder of notes kept by another tool: look at it, propose ``netnotes.toml``, show
what netnotes would read with it, and write that one file only when asked.

People arrive with years of person notes in Obsidian and the like, with their own key names,
folders and meeting notes.  ``adopt`` reads the folder, guesses which notes are people and which
are meetings, maps their keys to ours (``[fields]``, see netnotes.vault.mapping) and reads the vault
with that map exactly as every command would, so the preview is what they will get.  Nothing in
their folder is renamed or rewritten: the only file it ever creates is ``netnotes.toml``.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from netnotes.core import (
    CONFIG_NAME,
    DEFAULT_CONFIG_TEXT,
    Config,
    NetnotesError,
    Problem,
    Source,
    Vault,
    parse_config,
    sorted_problems,
    visible,
)
from netnotes.store import read_records
from netnotes.vault import (
    CACHE_DIR,
    MAX_NOTE_BYTES,
    TEMPLATE_FOLDERS,
    RawNote,
    assemble,
    create_bytes_atomic,
    empty,
    first_title,
    inline_fields,
    is_note_name,
    journal_date,
    list_notes,
    parse_note,
    read_note_bytes,
)

# Keys other tools use for our fields, most usual first.  A tuple is a name in parts.
CANDIDATES: dict[str, tuple[Any, ...]] = {
    "name": (("first_name", "last_name"), ("firstname", "lastname"),
             ("given_name", "family_name"), "name", "full_name", "fullname"),
    "aliases": ("aliases", "alias", "nicknames", "nickname"),
    "company": ("company", "organization", "organisation", "organizations", "organisations",
                "org", "employer"),
    "role": ("role", "title", "job_title", "jobtitle", "position", "occupation"),
    "location": ("location", "city", "town", "hometown"),
    "emails": ("emails", "email", "e-mail", "mail"),
    "phones": ("phones", "phone", "mobile", "cell", "tel", "telephone"),
    "links": ("links", "url", "website", "linkedin_url", "linkedin"),
    "birthday": ("birthday", "birthdate", "birth_date", "dob", "born"),
    "met": ("met", "first_met", "met_on"),
    "interests": ("interests", "hobbies"),
    "last_contact": ("last_contact", "last_contacted", "lastcontact", "last_seen", "last_met"),
}
MEETING_PEOPLE = ("people", "attendees", "participants")
PERSON_TAGS = frozenset({"person", "people", "contact", "contacts"})
PERSON_FOLDERS = frozenset({"people", "persons", "person", "contacts", "contact"})
SKIPPED_FOLDERS = TEMPLATE_FOLDERS | {CACHE_DIR}


class AdoptRefused(NetnotesError):
    """The folder cannot be adopted (nothing was written)."""


@dataclass(frozen=True)
class Note:
    """What the proposal needs to know of one note of the folder."""

    rel: str
    kind: str  # "person", "meeting" or "other"
    keys: tuple[str, ...]  # front-matter keys with a value, then inline fields
    inline: tuple[str, ...]
    has_title: bool


@dataclass(frozen=True)
class Adoption:
    """What ``netnotes init --adopt`` found and proposes.

    ``toml`` is the netnotes.toml it proposes (and writes); ``config`` is that text parsed;
    ``vault`` is the folder read with it, exactly as every command will read it; ``problems``
    adds the person notes the proposal leaves out.  ``written`` says whether netnotes.toml was
    created."""

    root: Path
    folder: str  # as the user named it, for messages
    toml: str
    config: Config
    vault: Vault
    person_notes: int
    meeting_notes: int
    problems: tuple[Problem, ...]
    written: bool = False

    @property
    def contacts(self) -> int:
        return len(self.vault.contacts)

    @property
    def interactions(self) -> int:
        return len(self.vault.interactions)

    def as_json(self) -> dict[str, Any]:
        """The plan as data (``init --adopt --format json``)."""
        return {
            "folder": str(self.root),
            "people": self.config.people_dir,
            "journal": self.config.journal_dir,
            "fields": {ours: list(theirs) for ours, theirs in self.config.fields.keys},
            "name_from_heading": self.config.fields.name_from_heading,
            "person_notes": self.person_notes,
            "meeting_notes": self.meeting_notes,
            "contacts": [{"id": c.id, "name": c.name, "path": c.path}
                         for c in self.vault.contacts],
            "interactions": self.interactions,
            "problems": [p.to_dict()
                         for p in self.problems],
            "netnotes_toml": self.toml,
            "written": self.written,
        }


def adopt(folder: str | os.PathLike[str], *, write: bool = False) -> Adoption:
    """Look at ``folder``, propose its netnotes.toml and read it with that, writing nothing;
    ``write=True`` then creates netnotes.toml (and only that).  Refuses a folder that is
    already a vault."""
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise AdoptRefused(f"{folder}: no such folder")
    root = root.resolve()
    if os.path.lexists(root / CONFIG_NAME):
        raise AdoptRefused(f"{folder} is already a vault ({CONFIG_NAME} exists); nothing changed")
    notes = survey(root)
    toml = propose(notes)
    config, problems = parse_config(toml)
    if problems:  # pragma: no cover - our own text; a test proves it parses cleanly
        raise AdoptRefused("the proposed netnotes.toml does not read back: "
                           + "; ".join(map(str, problems)))
    listed, list_problems = list_notes(root, config)
    records, _ = read_records(root, config, listed, use_cache=False)
    vault = assemble(root, config, records, list_problems)
    outside = [Problem(Source(n.rel, 1), "warning", "outside-people",
                       f"looks like a person note, but it is outside {config.people_dir}/; "
                       "not read", "move it into the people folder")
               for n in notes if n.kind == "person" and not _under(n.rel, config.people_dir)]
    adoption = Adoption(root, str(folder), toml, config, vault,
                        sum(n.kind == "person" for n in notes),
                        sum(n.kind == "meeting" for n in notes),
                        tuple(sorted_problems([*vault.problems, *outside])))
    if write:
        write_config(adoption)
        adoption = Adoption(**{**adoption.__dict__, "written": True})
    return adoption


def write_config(adoption: Adoption) -> None:
    """Create the proposed netnotes.toml; never replaces one (someone may have made it since)."""
    try:
        create_bytes_atomic(adoption.root / CONFIG_NAME, adoption.toml.encode("utf-8"))
    except FileExistsError:
        raise AdoptRefused(f"{adoption.root / CONFIG_NAME} appeared meanwhile; nothing was "
                           "overwritten") from None


# ---------------------------------------------------------------------------------------------
# Looking at the folder


def survey(root: Path) -> list[Note]:
    """Every note of the folder (hidden folders, templates and our cache left out), sorted."""
    out: list[Note] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and d.casefold() not in SKIPPED_FOLDERS)
        for name in sorted(filenames):
            if not is_note_name(name):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            try:
                if path.is_symlink() or path.stat().st_size > MAX_NOTE_BYTES:
                    continue
                data = read_note_bytes(path)
            except OSError:
                continue  # the preview reads it again and says what is wrong
            out.append(_look(parse_note(data, rel, require_front_matter=False)))
    return out


def norm(key: str) -> str:
    """A key as the proposal compares it: ``First Name``, ``first-name`` and ``first_name`` are
    one key (the map then names it as the notes spell it)."""
    return re.sub(r"[\s-]+", "_", key.strip().casefold())


NAME_KEYS = frozenset({"name", "first_name", "last_name", "full_name", "firstname", "lastname"})


def _look(raw: RawNote) -> Note:
    inline = tuple(f.key for f in inline_fields(raw.body, raw.body_line))
    keys = tuple(k for k, v in raw.meta.items() if not empty(v))
    by_norm = {norm(str(k)): v for k, v in raw.meta.items()}
    stem = PurePosixPath(raw.path).stem
    tags = by_norm.get("tags")
    tags = {str(t).lstrip("#").casefold() for t in (tags if isinstance(tags, list) else [tags])
            if isinstance(t, str)}
    folders = {p.casefold() for p in PurePosixPath(raw.path).parts[:-1]}
    if journal_date(stem) or any(k in by_norm for k in MEETING_PEOPLE):
        kind = "meeting"
    elif (tags & PERSON_TAGS or str(by_norm.get("type", "")).casefold() in PERSON_TAGS
          or NAME_KEYS & {norm(k) for k in (*keys, *inline)} or folders & PERSON_FOLDERS):
        kind = "person"
    else:
        kind = "other"
    return Note(raw.path, kind, keys, inline, bool(first_title(raw.body)))


def _under(rel: str, folder: str) -> bool:
    return folder in ("", ".") or rel.startswith(folder.rstrip("/") + "/")


def _common_folder(paths: Iterable[str]) -> str:
    """The deepest folder every path is in ("." for the top)."""
    parts = [PurePosixPath(p).parts[:-1] for p in paths]
    if not parts:
        return ""
    common: list[str] = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return "/".join(common) or "."


# ---------------------------------------------------------------------------------------------
# The proposal


def _map(notes: list[Note]) -> list[tuple[str, list[str]]]:
    """Our field → the keys the person notes use for it, most used first, as they spell them.
    A key the notes write as ours is named only when it is used inline (inline fields are read
    only through the map) or is ``last_contact`` (which is read only through the map)."""
    people = [n for n in notes if n.kind == "person"]
    seen = Counter(k for n in people for k in {*n.keys, *n.inline})
    inline = {k for n in people for k in n.inline}
    spelled: dict[str, list[str]] = {}  # norm(key) -> its spellings, most used first
    for k, _ in sorted(seen.items(), key=lambda kv: (-kv[1], kv[0])):
        spelled.setdefault(norm(k), []).append(k)
    pairs: list[tuple[str, list[str]]] = []
    for ours, candidates in CANDIDATES.items():
        if ours == "name":
            parts = next((c for c in candidates if isinstance(c, tuple)
                          and any(p in spelled for p in c)), None)
            if parts is not None and "name" not in spelled:
                pairs.append(("name", [spelled[p][0] for p in parts if p in spelled]))
            elif spelled.get("name", ["name"]) != ["name"]:  # `Name:`
                pairs.append(("name", spelled["name"]))
            continue
        found = sorted((k for c in candidates for k in spelled.get(c, ())),
                       key=lambda k: (-seen[k], k))
        if found and (found != [ours] or ours in inline or ours == "last_contact"):
            pairs.append((ours, found))
    for ours, names, default in (("people", MEETING_PEOPLE, "people"), ("date", ("date",), "date")):
        used = Counter(k for n in notes if n.kind == "meeting" for k in n.keys
                       if norm(k) in names)
        if used and set(used) != {default}:
            pairs.append((ours, sorted(used, key=lambda k: (-used[k], k))))
    return pairs


def _toml_value(keys: list[str]) -> str:
    if len(keys) == 1:
        return json.dumps(keys[0], ensure_ascii=False)
    return "[" + ", ".join(json.dumps(k, ensure_ascii=False) for k in keys) + "]"


def propose(notes: list[Note]) -> str:
    """The netnotes.toml for this folder: our defaults, its folders, and its ``[fields]``."""
    people = [n for n in notes if n.kind == "person"]
    people_dir = _common_folder(n.rel for n in people) or "people"
    meetings = [n.rel for n in notes if n.kind == "meeting" and not _under(n.rel, people_dir)]
    # "." when they are all over the vault: the journal is then every note but the people's
    journal_dir = _common_folder(meetings) or "journal"
    if journal_dir == people_dir:
        journal_dir = "journal"
    heading = any(n.has_title and not NAME_KEYS & {norm(k) for k in (*n.keys, *n.inline)}
                  for n in people)
    pairs = _map(notes)
    text = DEFAULT_CONFIG_TEXT.replace(
        "# netnotes vault settings. Every key is optional; the values shown are the defaults.",
        "# netnotes settings for a vault kept by another tool (`netnotes init --adopt`).\n"
        "# Every key is optional. Your notes keep their own names: [fields] says which key\n"
        "# holds what (docs/adopt.md).")
    text = text.replace('people = "people" ', f"people = {json.dumps(people_dir)} ", 1)
    text = text.replace('journal = "journal" ', f"journal = {json.dumps(journal_dir)} ", 1)
    if journal_dir == ".":
        text = text.replace("# folder of daily or meeting notes (optional)",
                            "# daily and meeting notes: every note outside the people folder")
    lines = ["", "[fields]", "# netnotes field = the key your notes use (a list: the first one a "
             "note has)"]
    for ours, theirs in pairs:
        note = {"name": "   # the parts, joined by a space",
                "last_contact": "   # a date: an interaction on that day",
                "people": "   # in meeting notes: who was there"}.get(ours, "")
        if ours == "name" and len(theirs) == 1:
            note = ""
        lines.append(f"{ours} = {_toml_value(theirs)}{note}")
    if heading:
        lines.append("name_from_heading = true   # a note with no name: its first # heading")
    if not pairs and not heading:
        lines.append("# (none needed: your notes already use netnotes' names)")
    return text + "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Saying what was found


def _shown(text: str) -> str:
    """Text from someone's notes on one line of the preview: control characters shown, not sent
    (core.shown.visible, as every other output does it)."""
    return visible(text, one_line=True)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


SHOWN = 20  # contacts and problems listed in the text preview; --format json lists all


def describe(adoption: Adoption) -> str:
    """The preview ``netnotes init --adopt`` prints before it asks."""
    c = adoption.config
    journal = (f"{_shown(c.journal_dir)}/" if c.journal_dir != "." else
               "every other note (they are in several folders)")
    out = [f"Adopting {_shown(adoption.folder)}: only netnotes.toml will be written, "
           "nothing else changes.", "",
           "Folders:",
           f"  people   {_shown(c.people_dir)}/  ({_count(adoption.person_notes, 'person note')}"
           " found)",
           f"  journal  {journal}  ({_count(adoption.meeting_notes, 'meeting note')} found)", ""]
    if c.fields.active:
        out.append("Fields (netnotes field <- the key in your notes):")
        for ours, theirs in c.fields.keys:
            joined = " + " if ours == "name" and len(theirs) > 1 else ", "
            what = {"last_contact": "  (a date: an interaction on that day)",
                    "people": "  (who was at a meeting)"}.get(ours, "")
            out.append(f"  {ours:<13}<- {_shown(joined.join(theirs))}{what}")
        if c.fields.name_from_heading:
            out.append(f"  {'name':<13}<- the first # heading, when a note has no name")
        out.append("")
    else:
        out += ["Fields: your notes already use netnotes' names.", ""]
    v = adoption.vault
    errors = sum(p.severity == "error" for p in adoption.problems)
    warnings = len(adoption.problems) - errors
    out.append(f"Found {_count(len(v.contacts), 'contact')} and "
               f"{_count(len(v.interactions), 'interaction')}; {_count(errors, 'error')}, "
               f"{_count(warnings, 'warning')}.")
    for contact in v.contacts[:SHOWN]:
        line = _shown(contact.name)
        if contact.company or contact.role:
            line += " — " + _shown(", ".join(x for x in (contact.role, contact.company) if x))
        out.append(f"  {line}  ({_shown(contact.path)}, "
                   f"{_count(len(v.interactions_of(contact.id)), 'interaction')})")
    if len(v.contacts) > SHOWN:
        out.append(f"  … and {len(v.contacts) - SHOWN} more")
    if adoption.problems:
        out += ["", "Problems (`netnotes check` lists them again once adopted):"]
        out += [f"  {_shown(str(p))}" for p in adoption.problems[:SHOWN]]
        if len(adoption.problems) > SHOWN:
            out.append(f"  … and {len(adoption.problems) - SHOWN} more (--format json lists all)")
    return "\n".join(out) + "\n"
