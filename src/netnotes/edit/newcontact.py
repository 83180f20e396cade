"""Adding a contact: a free file name, the note from the person template (the vault's own first),
in the vault's own key names when it adopted them, and a warning about likely duplicates.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from netnotes.core import (
    Config,
    Vault,
    fold,
    slugify,
)
from netnotes.edit import changes as edit
from netnotes.edit import yamlvalue
from netnotes.edit.changes import BadValue, EditRefused, Value
from netnotes.edit.notes import NOTE_TEMPLATE, lock_vault, new_problems, note_path, write_note
from netnotes.vault import (
    SCALAR_FIELDS,
    contact_from_note,
    map_note,
    parse_note,
)


@dataclass(frozen=True)
class NewContact:
    rel: str
    id: str
    warnings: tuple[str, ...] = ()


def skipped_note(vault: Vault, query: str) -> str | None:
    """The person note named ``query`` (its id or the slug of a name) that could not be read as a
    contact, so that commands can say why instead of "no such contact"."""
    want = {query.casefold(), slugify(query)}
    for rel in vault.skipped:
        if PurePosixPath(rel).stem.casefold() in want:
            return rel
    return None


def similar_contacts(vault: Vault, name: str, emails: Sequence[str] = ()) -> list[str]:
    """Warnings for contacts that may be the same person: same name or alias, or same email."""
    out = []
    key = fold(name)
    mails = {e.strip().casefold() for e in emails}
    for c in vault.contacts:
        if key in c.folded_names:
            out.append(f"{c.id} ({c.path}) is also called {name!r}")
        elif mails & {e.casefold() for e in c.emails}:
            out.append(f"{c.id} ({c.path}) has the same email")
    return out


def free_id(folder: Path, slug: str, taken: set[str]) -> str:
    """``slug``, or ``slug-2``, ``slug-3`` … — a name no file in ``folder`` has, in any case (so
    that a case-insensitive disk never maps two contacts to one file)."""
    try:
        present = {n.casefold() for n in os.listdir(folder)}
    except FileNotFoundError:
        present = set()
    taken = {t.casefold() for t in taken}
    for n in range(1, 10_000):
        cand = slug if n == 1 else f"{slug}-{n}"
        if f"{cand}.md".casefold() not in present and cand.casefold() not in taken:
            return cand
    raise EditRefused(f"too many contacts called {slug}")  # pragma: no cover


def render_note(vault_root: Path, context: Mapping[str, object]) -> str:
    """The new note's text from ``person.md.j2`` (the vault's ``templates/`` may override it).
    Templates write values with ``|yaml``, which quotes them only when YAML needs it."""
    from netnotes.render import make_environment, render_in

    env = make_environment(vault_root)
    env.filters["yaml"] = _yaml_filter
    return render_in(env, NOTE_TEMPLATE, dict(context))


def _yaml_filter(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date | str):
        return yamlvalue.render_value(value)
    if isinstance(value, list | tuple):
        return yamlvalue.render_value([v if isinstance(v, dt.date) else str(v) for v in value])
    return yamlvalue.render_value(str(value))


class LikelyDuplicate(EditRefused):
    """``add`` of someone who may already have a note: nothing was written.  ``similar`` says
    who and why; ``add_contact(..., duplicate_ok=True)`` creates the note anyway."""

    def __init__(self, message: str, similar: Sequence[str]):
        super().__init__(message)
        self.similar = tuple(similar)


def add_contact(vault: Vault, name: str, *, tier: str | None = None, tags: Sequence[str] = (),
                company: str = "", role: str = "", field: str = "",
                emails: Sequence[str] = (), met: dt.date | None = None,
                introduced_by: str | None = None, today: dt.date | None = None,
                duplicate_ok: bool = False) -> NewContact:
    """Create ``people/<slug>.md`` from the note template; never overwrites a file.

    Someone with the same name, alias or email is likely the same person: that is refused
    (LikelyDuplicate, nothing written) unless ``duplicate_ok``, when the note is made with a
    warning; a second note for one person splits their history in two."""
    name = " ".join(yamlvalue.check_text(name, "name").split())
    if not name:
        raise BadValue("the name is empty")
    similar = similar_contacts(vault, name, emails)
    if similar and not duplicate_ok:
        raise LikelyDuplicate(f"{name} may already have a note: " + "; ".join(similar)
                              + " — log to that note instead, or add --force to create a "
                              "second note anyway", similar)
    if tier is not None and vault.config.tier(tier) is None:
        raise BadValue(f"{tier!r} is not a tier; tiers are: " + ", ".join(vault.config.tier_names))
    people = vault.config.people_dir
    folder = note_path(vault.root, people) if (vault.root / people).exists() else None
    if folder is None:
        folder = vault.root / people
        folder.mkdir(parents=True, exist_ok=True)
        folder = note_path(vault.root, people)
    context = {
        "name": name, "tier": tier, "tags": [t.lstrip("#").strip() for t in tags if t.strip()],
        "company": company.strip(), "role": role.strip(), "field": field.strip(),
        "emails": [e.strip() for e in emails if e.strip()], "met": met,
        "introduced_by": f"[[{introduced_by}]]" if introduced_by else None, "today": today,
    }
    for key in ("company", "role", "field"):
        yamlvalue.check_text(str(context[key]), key)
    data = render_note(vault.root, context).encode("utf-8")
    with lock_vault(vault.root):  # the free name is chosen and taken under one lock
        cid = free_id(folder, slugify(name), set(vault.by_id))
        rel = f"{people}/{cid}.md"
        raw = parse_note(data, rel)
        errors = [p for p in raw.problems if p.severity == "error"]
        if errors or raw.meta.get("name") != name:
            why = str(errors[0]) if errors else f"its name does not read back as {name!r}"
            raise EditRefused(f"the note template wrote a note netnotes cannot read ({why}) — "
                              f"check templates/{NOTE_TEMPLATE} (values need the |yaml filter)")
        if vault.config.fields.active:
            data = in_their_names(data, vault.config, rel)
        write_note(vault.root, rel, lambda old, _rel: data if old is None else _taken(rel))
    warnings = [f"possible duplicate: {w}" for w in similar]
    warnings += [str(p) for p in new_problems(None, data, rel, vault.config)
                 if p.severity == "warning"]
    return NewContact(rel, cid, tuple(warnings))


def _as_value(value: object) -> Value | list[Value]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)


def in_their_names(data: bytes, config: Config, rel: str) -> bytes:
    """A new note, written from the template in our keys, in an adopted vault's own keys: each
    key where it stands, ``name`` split into the vault's two parts (the last word is the last
    name), one value where the vault's key is singular (``email: a@b``).  Read back through the
    map, it must give the same contact, or nothing is written."""
    fields = config.fields
    raw = parse_note(data, rel)
    out = data
    for ours, value in raw.meta.items():
        theirs = fields.theirs(ours)
        if not theirs or ours in theirs or value in (None, "", []):
            continue
        new: Value | list[Value] = _as_value(value)
        if ours == "name" and len(theirs) > 1:
            if len(theirs) != 2:
                continue  # three parts: no way to tell them apart; `name:` reads as well
            first, _, last = str(value).rpartition(" ")
            parts = [(k, p) for k, p in zip(theirs, (first, last) if first else (last, ""),
                                            strict=True) if p]
            out = edit.replace_key(out, ours, parts, path=rel)
            continue
        if isinstance(new, list) and len(new) == 1 and not theirs[0].endswith("s"):
            new = new[0]
        elif isinstance(new, str) and ours in SCALAR_FIELDS and theirs[0].endswith("s"):
            new = [new]  # organizations: [acme]
        out = edit.replace_key(out, ours, [(theirs[0], new)], path=rel)
    before, after = (contact_from_note(map_note(parse_note(d, rel), fields).raw, config)[0]
                     for d in (data, out))
    if before is None or after is None or before != after:
        raise EditRefused(f"{rel}: the new note would not read back the same in this vault's "
                          "names; nothing was written — check [fields] in netnotes.toml")
    return out


def _taken(rel: str) -> bytes:
    raise EditRefused(f"{rel} appeared while netnotes was creating it; nothing was overwritten — "
                      "run the command again")
