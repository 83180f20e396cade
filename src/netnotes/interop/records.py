"""What an importer reads from another tool's file: one Person per card or row, in our field names.

Readers turn bytes into ``Person`` records and ``Problem``s (a skipped record is a warning, a broken
one an error), each naming the file and its line or card number; the importer never sees the
file format.  Values are cleaned here once, whatever the reader: control characters dropped,
whitespace collapsed, phone numbers normalised, profile URLs reduced to the identity they carry.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import re
from dataclasses import dataclass, field, replace
from typing import Literal

import phonenumbers

from netnotes.core import Problem, Source

# What an import writes: one-value fields, list fields, and the start of the log line that records
# a connection date without being contact ("connected on LinkedIn": model.RECORD_KINDS).
SCALARS = ("company", "role", "location", "birthday", "birthday_text")
LISTS = ("emails", "phones", "links", "aliases", "tags")
CONNECTED = "connected on"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_BDAY = re.compile(r"^(\d{4}|--)-?(\d{2})-?(\d{2})(?:T.*)?$")
_LINKEDIN = re.compile(r"^(?:https?://)?(?:[\w-]+\.)?linkedin\.com/in/([^/?#\s]+)", re.I)


@dataclass(frozen=True)
class Person:
    """One person as another tool described them, in netnotes' field names.

    ``where`` is the file and line (CSV) or card number (vCard) it came from, for messages.
    ``birthday`` is ``YYYY-MM-DD`` or ``--MM-DD``; a birthday that is no date ("circa 1800")
    is kept as ``birthday_text``.  ``connected_on`` is when a social network says you connected:
    it becomes a log line that records the date without counting as contact.
    """

    name: str
    where: Source  # phones as written: the importer normalises the ones it writes (records.phone)
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    company: str = ""
    role: str = ""
    location: str = ""
    birthday: str = ""
    birthday_text: str = ""
    note: str = ""
    connected_on: dt.date | None = None
    connected_via: str = ""  # "LinkedIn"
    uid: str = ""
    problems: tuple[Problem, ...] = field(default=(), compare=False)

    @property
    def profiles(self) -> tuple[str, ...]:
        """The identity URLs among the links (a LinkedIn profile, normalised)."""
        return tuple(p for p in (profile_key(u) for u in self.links) if p)


# ---------------------------------------------------------------------------------------------
# Cleaning values


def clean(text: object) -> str:
    """One line of text: control and bidi-override characters dropped, whitespace collapsed."""
    if text is None:
        return ""
    return " ".join(_CONTROL.sub("", str(text)).split())


def clean_block(text: object) -> str:
    """Free text (a NOTE): lines kept, control characters dropped, trailing spaces trimmed."""
    if text is None:
        return ""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = [_CONTROL.sub("", ln.replace("\t", "    ")).rstrip() for ln in lines]
    return "\n".join(out).strip("\n")


def unique(items: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Items in their first order, without empties or repeats (compared ignoring case)."""
    seen: set[str] = set()
    out = []
    for item in items:
        item = clean(item)
        k = item.casefold()
        if item and k not in seen:
            seen.add(k)
            out.append(item)
    return tuple(out)


def phone(text: str, region: str | None = None) -> str:
    """A phone number in international format when it can be read as one (``+44 20 7946 0018``);
    otherwise as written: a number we cannot read is still worth keeping."""
    raw = clean(text)
    if not raw:
        return ""
    try:
        num = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return raw
    if not phonenumbers.is_possible_number(num):
        return raw
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def email(text: str) -> str:
    value = clean(text)
    if value.lower().startswith("mailto:"):
        value = value[7:]
    return value if "@" in value else ""


def link(text: str) -> str:
    """A web address as people paste it; a LinkedIn profile is written in its one canonical form
    (``https://www.linkedin.com/in/ada-lovelace``) so that two exports of it are equal."""
    value = clean(text)
    key = profile_key(value)
    return key or value


@functools.lru_cache(maxsize=1 << 16)  # asked again and again while matching
def profile_key(url: str) -> str:
    """The canonical LinkedIn profile URL in ``url``, or "" when it is not one."""
    m = _LINKEDIN.match(url.strip())
    if not m:
        return ""
    return f"https://www.linkedin.com/in/{m.group(1).rstrip('/').lower()}"


def birthday_of(value: str, value_types: list[str] | tuple[str, ...] = ()) -> tuple[str, str]:
    """(``YYYY-MM-DD`` or ``--MM-DD``, "") for a birthday that is a date (``19921221``,
    ``1992-12-21``, ``--1221``, ``--12-21``); ("", the text) for anything else ("circa 1800")."""
    text = clean(value)
    m = _BDAY.match(text)
    if m and "TEXT" not in [v.upper() for v in value_types]:
        year, month, day = m.groups()
        try:
            dt.date(2000 if year == "--" else int(year), int(month), int(day))
        except ValueError:
            return "", text
        return (f"--{month}-{day}" if year == "--" else f"{year}-{month}-{day}"), ""
    return "", text


def with_problem(person: Person, problem: Problem) -> Person:
    return replace(person, problems=(*person.problems, problem))


def problem(where: Source, severity: Literal["error", "warning"], code: str, message: str,
            hint: str = "") -> Problem:
    return Problem(where, severity, code, message, hint)


# ---------------------------------------------------------------------------------------------
# Decoding a file


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, path: str, encoding: str | None = None) -> tuple[str, str]:
    """The text of an export and the encoding it was read with.

    A byte-order mark decides; then ``encoding`` when given; then UTF-8 if the bytes are valid
    UTF-8 (most exports); else charset-normalizer's best guess (old Outlook and Excel exports are
    often cp1252 or UTF-16).  Raises ValueError with a hint when nothing reads the bytes.
    """
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise ValueError(f"{encoding!r} is not an encoding Python knows — try utf-8, cp1252 "
                             "or latin-1") from None
        except UnicodeDecodeError as exc:
            raise ValueError(f"{path}: cannot be read as {encoding} (byte {exc.start}) — try "
                             "another --encoding, or leave it out to detect it") from None
        return text.lstrip("\ufeff"), encoding
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ValueError(f"{path}: is not text in any encoding netnotes can detect — is it a "
                         "contacts export? (--encoding forces one)")
    return str(best), best.encoding
