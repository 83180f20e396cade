"""CSV exports in: LinkedIn's Connections.csv, Google Contacts (old and new column names), and
any other CSV whose columns are recognised by name or mapped with ``--map``.

One reader serves all three: a format only decides where the header is (LinkedIn writes a few
lines of notes before it), which columns mean which field, and how a cell holds several values
(Google joins them with `` ::: ``).  Excel's ``sep=;`` first line and a BOM are understood; a
cell is always text, so ``=cmd|' /C calc'!A0`` is kept as written and never evaluated.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator, Mapping

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

# Our field for each column name people's tools write (folded: lower case, single spaces, the
# number of a repeated column such as "E-mail 2 - Value" taken out).
COLUMNS: dict[str, str] = {
    **dict.fromkeys(("name", "full name", "formatted name", "display name", "fn", "contact"),
                    "name"),
    **dict.fromkeys(("first name", "given name", "firstname", "first"), "first_name"),
    **dict.fromkeys(("middle name", "additional name", "additional"), "middle_name"),
    **dict.fromkeys(("last name", "family name", "surname", "lastname", "last"), "last_name"),
    **dict.fromkeys(("email", "e-mail", "emails", "email address", "e-mail address", "mail",
                     "e-mail - value", "email - value", "email address - value"), "emails"),
    **dict.fromkeys(("phone", "phones", "telephone", "mobile", "mobile phone", "phone number",
                     "phone - value", "tel"), "phones"),
    **dict.fromkeys(("company", "organization", "organisation", "org", "organization name",
                     "organisation name", "organization - name", "employer"), "company"),
    **dict.fromkeys(("title", "job title", "position", "role", "organization title",
                     "organization - title"), "role"),
    **dict.fromkeys(("url", "urls", "website", "web page", "webpage", "link", "links",
                     "profile", "profile url", "linkedin", "website - value"), "links"),
    **dict.fromkeys(("nickname", "nicknames", "alias", "aliases"), "aliases"),
    **dict.fromkeys(("tags", "tag", "categories", "category", "labels", "group membership",
                     "groups"), "tags"),
    **dict.fromkeys(("birthday", "bday", "date of birth", "birth date"), "birthday"),
    **dict.fromkeys(("note", "notes"), "note"),
    **dict.fromkeys(("location", "city", "address - city", "home city"), "location"),
    "connected on": "connected_on",
}
# What --map accepts on the right of `=` (our fields, and a few words people will try).
FIELDS = frozenset({"name", "first_name", "middle_name", "last_name", "emails", "phones",
                    "company", "role", "links", "aliases", "tags", "birthday", "note",
                    "location", "connected_on", "ignore"})
FIELD_WORDS = {"email": "emails", "phone": "phones", "link": "links", "url": "links",
               "tag": "tags", "alias": "aliases", "nickname": "aliases", "title": "role",
               "organization": "company", "organisation": "company", "notes": "note",
               "full_name": "name", "first": "first_name", "last": "last_name", "-": "ignore",
               "city": "location"}
LIST_FIELDS = frozenset({"emails", "phones", "links", "aliases", "tags"})
_NUMBER = re.compile(r"\s*\d+\s*")
_SPLIT = re.compile(r"\s*(?::::|;)\s*")
_TAG_SPLIT = re.compile(r"\s*(?::::|[;,])\s*")
_DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%Y-%m-%d", "%b %d, %Y", "%B %d, %Y")


def parse_map(text: str | None) -> dict[str, str]:
    """``"Full Name=name,Org=company"`` → ``{"full name": "name", "org": "company"}`` (column
    names folded); ValueError naming what is wrong."""
    out: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        column, sep, target = part.rpartition("=")
        target = target.strip().lower()
        target = FIELD_WORDS.get(target, target)
        if not sep or not column.strip():
            raise ValueError(f"{part.strip()!r} is not COLUMN=FIELD — e.g. --map "
                             "\"Full Name=name,Org=company\"")
        if target not in FIELDS:
            raise ValueError(f"{target!r} is not a field netnotes imports; use one of: "
                             + ", ".join(sorted(FIELDS)))
        out[_fold(column)] = target
    return out


def _fold(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").casefold().split())


def _column_field(header: str) -> str | None:
    folded = _fold(header)
    if folded in COLUMNS:
        return COLUMNS[folded]
    return COLUMNS.get(" ".join(_NUMBER.sub(" ", folded).split()))


def _lines(text: str) -> tuple[list[str], str]:
    """The file's lines and its delimiter (Excel's ``sep=;`` line, else the commonest of
    ``,`` ``;`` and tab in the header)."""
    lines = text.splitlines(keepends=True)
    delimiter = ""
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        delimiter = lines[0].strip()[4]
        lines[0] = ""
    return lines, delimiter


def _header_at(lines: list[str], fmt: str) -> int:
    """Index of the header line: LinkedIn puts notes (and maybe a blank line) before it."""
    if fmt == "linkedin-csv":
        for i, line in enumerate(lines[:50]):
            if _fold(line.lstrip('"')).startswith("first name"):
                return i
    return next((i for i, line in enumerate(lines) if line.strip()), 0)


def sniff(text: str) -> str:
    """``linkedin-csv``, ``google-csv`` or ``csv`` from the first lines."""
    head = [_fold(ln) for ln in text[:8192].splitlines()[:50]]
    for line in head:
        if line.startswith(("first name", '"first name')) and "connected on" in line:
            return "linkedin-csv"
    first = next((ln for ln in head if ln.strip() and not ln.startswith("sep=")), "")
    if "given name" in first or "e-mail 1 - value" in first or "organization name" in first:
        return "google-csv"
    return "csv"


def read_csv(text: str, path: str, fmt: str, *, mapping: Mapping[str, str] | None = None
             ) -> Iterator[Person | Problem]:
    """Every row of a CSV export: a Person, or a Problem for a row that is skipped (no name: a
    warning) or cannot be read (an error naming its line)."""
    lines, delimiter = _lines(text)
    at = _header_at(lines, fmt)
    body = "".join(lines[at:])
    if not delimiter:
        header_line = lines[at] if at < len(lines) else ""
        delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        yield problem(Source(path, 1), "error", "empty-csv", "the file has no header line")
        return
    except csv.Error as exc:
        yield problem(Source(path, at + 1), "error", "bad-csv", f"cannot read the header: {exc}")
        return
    fields = _fields(header, mapping or {})
    if "name" not in fields and "first_name" not in fields and "last_name" not in fields:
        yield problem(Source(path, at + 1), "error", "no-name-column",
                      "no column holds a name (looked for Name, Full Name, First Name, …)",
                      'say which with --map "Your Column=name"')
        return
    line = at + 1
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield problem(Source(path, start), "error", "bad-csv", f"cannot read the row: {exc}"
                          " — the rest of the file was not imported")
            return
        line = at + reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        where = Source(path, start)
        if len(row) > len(header) and any(c.strip() for c in row[len(header):]):
            yield problem(where, "error", "extra-cells",
                          f"the row has {len(row)} cells, the header {len(header)} — a quote "
                          "or delimiter may be missing; the row was not imported")
            continue
        yield _person(row, header, fields, where, fmt)


def _fields(header: list[str], mapping: Mapping[str, str]) -> dict[str, list[int]]:
    """Our field → the columns that hold it, in order (a mapped column wins over a guessed one)."""
    out: dict[str, list[int]] = {}
    for i, name in enumerate(header):
        folded = _fold(name)
        target = mapping.get(folded) if folded in mapping else _column_field(name)
        if target and target != "ignore":
            out.setdefault(target, []).append(i)
    return out


def _person(row: list[str], header: list[str], fields: dict[str, list[int]], where: Source,
            fmt: str) -> Person | Problem:
    found: dict[str, list[str]] = {}  # field → its non-empty cells, in column order
    width = len(row)
    for key, columns in fields.items():
        for i in columns:
            if i < width:
                cell = row[i]
                if cell and not cell.isspace():
                    found.setdefault(key, []).append(_unguarded(cell))

    def first(key: str) -> str:
        for cell in found.get(key, ()):
            value = clean(cell)
            if value:
                return value
        return ""

    def many(key: str) -> list[str]:
        split = _TAG_SPLIT if key == "tags" else _SPLIT
        return [v for c in found.get(key, ()) for v in split.split(c) if v.strip()]

    name = first("name") or " ".join(
        p for p in (first("first_name"), first("middle_name"), first("last_name")) if p)
    if not name:
        return problem(where, "warning", "no-name", "skipped, the row has no name")
    problems: list[Problem] = []
    birthday, birthday_text = birthday_of(first("birthday")) if "birthday" in found else ("", "")
    connected: dt.date | None = None
    text = first("connected_on")
    if text:
        connected = _date(text)
        if connected is None:
            problems.append(problem(where, "warning", "bad-date",
                                    f"{name}: Connected On {text!r} is not a date; left out"))
    tags = [t.lstrip("*# ").strip() for t in many("tags")]
    return Person(
        name=name, where=where,
        emails=unique([email(e) for e in many("emails")]),
        phones=unique([clean(p) for p in many("phones")]),  # normalised when written
        links=unique([link(u) for u in many("links")]),
        aliases=unique([a for a in many("aliases") if clean(a) != name]),
        tags=unique([t for t in tags if t.casefold() not in ("mycontacts", "")]),
        company=first("company"), role=first("role"), location=first("location"),
        birthday=birthday, birthday_text=birthday_text,
        note="\n\n".join(clean_block(n) for n in found.get("note", ())),
        connected_on=connected, connected_via="LinkedIn" if connected else "",
        problems=tuple(problems))


def _unguarded(cell: str) -> str:
    """A cell as written before an export guarded it against spreadsheets (``'=x`` → ``=x``)."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@") else cell


_MONTHS = {name: i for i, full in enumerate(
    "january february march april may june july august september october november december"
    .split(), start=1) for name in (full, full[:3])} | {"sept": 9}


def _date(text: str) -> dt.date | None:
    """LinkedIn's ``01 Jul 2026`` (read here without strptime, which took 0.3 s for 10,000
    rows), or one of the other forms exports use."""
    parts = text.split()
    if len(parts) == 3 and parts[0].isdigit() and parts[2].isdigit():
        month = _MONTHS.get(parts[1].casefold())
        if month is not None:
            try:
                return dt.date(int(parts[2]), month, int(parts[0]))
            except ValueError:
                return None
    for f in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), f).date()
        except ValueError:
            continue
    return None
