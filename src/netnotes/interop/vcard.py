"""vCard 2.1, 3.0 and 4.0 in (Person records) and 4.0 out (from contacts).

vobject reads the lines (folding, CRLF or LF, quoted-printable continuations, parameters, groups);
its object model is not used: building it costs 0.4 ms a card (4 s for 10,000) where taking the
values from its parsed lines costs a tenth of that, which is what makes a re-import of a big
address book a quick no-op.  The values are then decoded here: quoted-printable with its CHARSET,
backslash escapes, and the structured fields (N, ORG, ADR) split on their unescaped ``;``.
"""

from __future__ import annotations

import io
import quopri
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from vobject.base import ParseError, getLogicalLines, parseLine

from netnotes.core import Problem, Source
from netnotes.interop.records import (
    Person,
    birthday_of,
    clean,
    clean_block,
    email,
    link,
    problem,
    unique,
)

_ESCAPE = re.compile(r"\\(.)|([;,])|([^\\;,]+)", re.S)
_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})


@dataclass
class _Card:
    number: int
    line: int
    props: list[tuple[str, dict[str, list[str]], str, str | None]] = field(default_factory=list)


def read_vcards(text: str, path: str) -> Iterator[Person | Problem]:
    """Every card of a vCard file, in order: a Person, or a Problem for a card that is skipped
    (an organisation, no name: a warning) or broken (an error naming the card and its line)."""
    for card in _cards(text, path):
        if isinstance(card, Problem):
            yield card
            continue
        try:
            yield _person(card, path)
        except (ValueError, UnicodeError, LookupError) as exc:
            yield problem(Source(path, card.line), "error", "bad-card",
                          f"card {card.number}: {exc} — the card was not imported")


def _cards(text: str, path: str) -> Iterator[_Card | Problem]:
    card: _Card | None = None
    number = 0
    physical: list[str] | None = None

    def true_line(n: int) -> int:
        """The file line a logical line starts on: vobject counts the first line as 0 and a
        line after a blank one as the blank's number; only the lines a message or a card
        start names are set right (the file's lines are split once, when first needed)."""
        nonlocal physical
        if physical is None:
            physical = text.splitlines()
        n = max(n, 1)
        while n < len(physical) and not physical[n - 1].strip():
            n += 1
        return n

    for line, n in getLogicalLines(io.StringIO(text)):
        if name_is_begin(line) or card is None:
            n = true_line(n)
        try:
            name, params, value, group = parseLine(line, n)
        except ParseError:
            where = f"card {card.number}: " if card else ""
            yield problem(Source(path, true_line(n)), "error", "bad-line",
                          f"{where}cannot read {clean(line)[:60]!r} (no `NAME:value`)",
                          "the card was not imported; fix or remove the line")
            card = None if card is None else _Broken(card.number, card.line)
            continue
        name = name.upper()
        if name == "BEGIN" and value.strip().upper() == "VCARD":
            if card is not None and not isinstance(card, _Broken):
                yield problem(Source(path, card.line), "error", "unclosed-card",
                              f"card {card.number} has no END:VCARD — it was not imported")
            number += 1
            card = _Card(number, n)
        elif name == "END" and value.strip().upper() == "VCARD":
            if card is None:
                yield problem(Source(path, n), "error", "stray-end", "END:VCARD without a "
                              "BEGIN:VCARD — is part of the file missing?")
            elif not isinstance(card, _Broken):
                yield card
            card = None
        elif card is None:
            yield problem(Source(path, n), "error", "outside-card",
                          f"{clean(line)[:60]!r} is outside any BEGIN:VCARD … END:VCARD")
        elif not isinstance(card, _Broken):
            card.props.append((name, _params(params), value, group))
    if card is not None and not isinstance(card, _Broken):
        yield problem(Source(path, card.line), "error", "unclosed-card",
                      f"card {card.number} has no END:VCARD (the file ends first) — it was "
                      "not imported")


def name_is_begin(line: str) -> bool:
    return line[:6].upper() == "BEGIN:"


class _Broken(_Card):
    """A card with an unreadable line: its other lines are passed over up to its END."""


_USED = frozenset({"ENCODING", "CHARSET", "VALUE"})  # the parameters a value's reading needs
_NONE: dict[str, list[str]] = {}


def _params(params: list[list[str]]) -> dict[str, list[str]]:
    """``[['ENCODING', 'QUOTED-PRINTABLE'], ['CHARSET', 'UTF-8'], ['TYPE', 'work']]`` →
    ``{'ENCODING': ['QUOTED-PRINTABLE'], 'CHARSET': ['UTF-8']}``: only what reading the value
    needs (types such as WORK or CELL are not kept in a note); vCard 2.1's bare
    ``QUOTED-PRINTABLE`` is an encoding."""
    if not params:
        return _NONE
    out: dict[str, list[str]] = {}
    for p in params:
        key = p[0].upper()
        if len(p) == 1:
            if key in ("QUOTED-PRINTABLE", "BASE64", "B"):
                out.setdefault("ENCODING", []).append(key)
        elif key in _USED:
            out.setdefault(key, []).extend(v for part in p[1:] for v in str(part).split(","))
    return out


def _decoded(params: dict[str, list[str]], value: str) -> str:
    """A value with vCard 2.1's quoted-printable undone, read in its CHARSET."""
    enc = [e.upper() for e in params.get("ENCODING", ())]
    if "QUOTED-PRINTABLE" in enc:
        raw = quopri.decodestring(value.encode("utf-8"))
        charset = (params.get("CHARSET") or ["utf-8"])[0]
        try:
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            return raw.decode("latin-1")
    return value


def split_escaped(value: str, sep: str) -> list[str]:
    """Split ``value`` on the unescaped ``sep`` (``;`` or ``,``) and undo the escapes:
    ``a\\, b;c\\nd`` → ``['a, b', 'c\\nd']`` for ``;``."""
    if "\\" not in value:  # most values: nothing escaped
        return value.split(sep) if sep in ",;" else [value]
    parts = [""]
    for m in _ESCAPE.finditer(value):
        esc, delim, plain = m.groups()
        if esc is not None:
            parts[-1] += "\n" if esc in "nN" else esc
        elif delim is not None:
            if delim == sep:
                parts.append("")
            else:
                parts[-1] += delim
        else:
            parts[-1] += plain
    return parts


def _text(value: str) -> str:
    return split_escaped(value, "\0")[0] if "\\" in value else value


def _person(card: _Card, path: str) -> Person | Problem:
    where = Source(path, card.line)
    label = f"card {card.number}"
    props: dict[str, list[tuple[dict[str, list[str]], str]]] = {}
    for name, params, value, _group in card.props:
        if name in _BINARY:
            continue  # a photo would bloat the note; it stays in the address book
        props.setdefault(name, []).append((params, _decoded(params, value)))

    def first(key: str) -> str:
        return clean(_text(props[key][0][1])) if key in props else ""

    kind = first("KIND").lower() or first("X-ABSHOWAS").lower()
    if kind in ("org", "organization", "company", "group", "location"):
        what = "an organisation" if kind != "group" else "a group"
        return problem(where, "warning", "not-a-person",
                       f"{label} ({first('FN') or first('ORG')}): skipped, {what} (KIND:{kind}) "
                       "is not a person — its people can name it as their company")
    structured_name = _n_name(props.get("N", []))
    nicknames = [clean(n) for _, v in props.get("NICKNAME", []) for n in split_escaped(v, ",")]
    name = first("FN") or structured_name or next((n for n in nicknames if n), "")
    if not name:
        return problem(where, "warning", "no-name",
                       f"{label}: skipped, it has no name (no FN, N or NICKNAME)")
    problems: list[Problem] = []
    birthday, birthday_text = "", ""
    if "BDAY" in props:
        params, value = props["BDAY"][0]
        birthday, birthday_text = birthday_of(_text(value), params.get("VALUE", []))
        if birthday_text and "TEXT" not in [v.upper() for v in params.get("VALUE", [])]:
            problems.append(problem(where, "warning", "bday-text",
                                    f"{label} ({name}): BDAY {birthday_text!r} is not a date; "
                                    "kept as birthday_text"))
    orgs = props.get("ORG", [])
    company = clean(split_escaped(orgs[0][1], ";")[0]) if orgs else ""
    notes = [clean_block(_text(v)) for _, v in props.get("NOTE", [])]
    return Person(
        name=name, where=where,
        emails=unique([email(_text(v)) for _, v in props.get("EMAIL", [])]),
        phones=unique([clean(_text(v).removeprefix("tel:")) for _, v in props.get("TEL", [])]),
        links=unique([link(_text(v)) for key in ("URL", "X-SOCIALPROFILE")
                      for _, v in props.get(key, [])]),
        aliases=unique([n for n in nicknames if n and n != name]),
        tags=unique([t.lstrip("#") for _, v in props.get("CATEGORIES", [])
                     for t in split_escaped(v, ",")]),
        company=company, role=first("TITLE") or first("ROLE"),
        location=_location(props.get("ADR", [])),
        birthday=birthday, birthday_text=birthday_text,
        note="\n\n".join(n for n in notes if n), uid=first("UID"),
        problems=tuple(problems))


def _n_name(values: list[tuple[dict[str, list[str]], str]]) -> str:
    """``N:Lovelace;Ada;King;;`` → ``Ada King Lovelace``; of several N linked by ALTID (other
    scripts or spellings of one name), the first."""
    if not values:
        return ""
    parts = [clean(p) for p in split_escaped(values[0][1], ";")] + [""] * 5
    family, given, additional = parts[0], parts[1], parts[2]
    return " ".join(p for p in (given, additional, family) if p)


def _location(values: list[tuple[dict[str, list[str]], str]]) -> str:
    """The first address as "City, Country" (a street address is not kept: where someone lives
    in the broad sense is what a relationship note needs)."""
    for _, value in values:
        parts = [clean(p) for p in split_escaped(value, ";")] + [""] * 7
        place = ", ".join(p for p in (parts[3], parts[6]) if p)
        if place:
            return place
    return ""


# ---------------------------------------------------------------------------------------------
# Writing vCard 4.0


_NAMESPACE = uuid.UUID("8c0a1d2e-6a43-4c59-9d1f-4e6f0b5c7a21")


def card_uid(contact_id: str) -> str:
    """A UID that stays the same for a contact (from its id), so an address book updates it."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, contact_id)}"


def escape(value: str) -> str:
    """A TEXT value with RFC 6350's escapes: backslash, comma, semicolon, line break."""
    out = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return out.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """RFC 6350 folding: lines of at most 75 octets, never splitting a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    out: list[str] = []
    chunk: list[str] = []
    size, limit = 0, 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append("".join(chunk))
            chunk, size, limit = [], 0, 74  # continuation lines start with a space
        chunk.append(ch)
        size += n
    out.append("".join(chunk))
    return "\r\n ".join(out) + "\r\n"


@dataclass(frozen=True)
class CardData:
    """What goes on one exported card (an exporter fills it from a contact)."""

    uid: str
    name: str
    aliases: tuple[str, ...] = ()
    company: str = ""
    role: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    location: str = ""
    birthday: str = ""  # YYYY-MM-DD or --MM-DD
    birthday_text: str = ""
    note: str = ""


def write_vcards(cards: Iterable[CardData]) -> str:
    """vCard 4.0, one card after another, CRLF line ends, folded lines."""
    out: list[str] = []
    for c in cards:
        lines = ["BEGIN:VCARD", "VERSION:4.0", f"UID:{c.uid}", f"FN:{escape(c.name)}"]
        if c.aliases:
            lines.append("NICKNAME:" + ",".join(escape(a) for a in c.aliases))
        if c.company:
            lines.append(f"ORG:{escape(c.company)}")
        if c.role:
            lines.append(f"TITLE:{escape(c.role)}")
        lines += [f"EMAIL:{escape(e)}" for e in c.emails]
        lines += [f"TEL:{escape(p)}" for p in c.phones]
        lines += [f"URL:{escape(u)}" for u in c.links]
        if c.location:
            lines.append(f"ADR:;;;{escape(c.location)};;;")
        if c.birthday:  # 4.0's basic forms: 19921221, --1221
            lines.append("BDAY:" + ("--" if c.birthday.startswith("--") else "")
                         + c.birthday.replace("-", ""))
        elif c.birthday_text:
            lines.append(f"BDAY;VALUE=text:{escape(c.birthday_text)}")
        if c.tags:
            lines.append("CATEGORIES:" + ",".join(escape(t) for t in c.tags))
        if c.note:
            lines.append(f"NOTE:{escape(c.note)}")
        lines.append("END:VCARD")
        out.extend(fold(ln) for ln in lines)
    return "".join(out)
