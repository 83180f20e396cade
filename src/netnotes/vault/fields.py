"""Front-matter values → typed contact fields, one small converter per known key.

Each converter either returns a value or raises ValueError whose text is the message (and, after
" — ", the hint) of the Problem reported at that key's line.  Unknown keys are kept as they are.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from netnotes.core import (
    WIKILINK,
    CareerStep,
    Config,
    Contact,
    Problem,
    Source,
    link_targets,
    parse_birthday,
    parse_date,
    parse_duration,
)
from netnotes.vault.parse import RawNote


class FieldWarning(ValueError):
    """The value was read as the user meant, but it should be written differently."""

    def __init__(self, value: Any, message: str):
        super().__init__(message)
        self.value = value


def text(value: Any) -> str:
    if type(value) is str:  # nearly always: the checks below are for everything else
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float, dt.date)):
        raise ValueError(f"expected text, got {_describe(value)} — write it as plain text")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def text_list(value: Any) -> tuple[str, ...]:
    """A list of text; a single value is a list of one (what the user meant)."""
    if value is None:
        return ()
    if isinstance(value, list):
        try:  # a list of text, as nearly always (only text has .strip among YAML's values)
            return tuple([item for item in [item.strip() for item in value] if item])
        except AttributeError:
            pass
        out = []
        for item in value:
            if isinstance(item, (list, dict)):
                raise ValueError(f"expected a list of text, found {_describe(item)} inside"
                                 " — write [a, b] or one `- item` per line")
            if item is None:
                continue
            out.append(text(item))
        return tuple(i for i in out if i)
    return (text(value),) if text(value) else ()


def word_list(value: Any) -> tuple[str, ...]:
    """Tags and interests: a list.  A comma-separated string is split (that is what people mean)
    but flagged, because other tools read it as one tag."""
    if isinstance(value, str):
        items = tuple(p.strip().lstrip("#") for p in value.split(",") if p.strip())
        raise FieldWarning(items, f'is text, not a list — write it as [{", ".join(items)}]')
    return tuple([i.lstrip("#") for i in text_list(value)])


def link(value: Any) -> str | None:
    """``"[[ada-lovelace]]"``, ``ada-lovelace`` or an unquoted ``[[ada-lovelace]]`` (which YAML
    reads as a list in a list) → the link target ``ada-lovelace``."""
    if value is None or value == "":
        return None
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, list):
        raise ValueError("expected one [[id]], found several — use knows: for a list")
    s = text(value)
    m = WIKILINK.fullmatch(s)
    if m:
        return m.group(1).strip()
    return s.strip("[]").strip() or None


def link_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        value = [value]
    if value and all([isinstance(v, str) for v in value]) and any(["[[" in v for v in value]):
        targets = []
        for v in value:
            targets.extend(link_targets(v) or [v.strip()])
        return tuple([t for t in targets if t])
    out = [link(v) for v in value]
    return tuple([t for t in out if t])


def date(value: Any) -> dt.date:
    return parse_date(value)


def history(value: Any) -> tuple[CareerStep, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValueError("expected a list of {company, role, until} entries — e.g. "
                         "history: [{company: Acme, role: CTO, until: 2025-06-30}]")
    steps = []
    for item in value:
        if not isinstance(item, dict):
            raise ValueError("each history entry needs company, role and until — e.g. "
                             "- {company: Acme, role: CTO, until: 2025-06-30}")
        until = item.get("until")
        since = item.get("since")
        steps.append(CareerStep(text(item.get("company")), text(item.get("role")),
                                parse_date(until) if until not in (None, "") else None,
                                parse_date(since) if since not in (None, "") else None))
    return tuple(steps)


# key -> (Contact attribute, converter)
FIELDS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "name": ("name", text),
    "aliases": ("aliases", text_list),
    "tier": ("tier", text),
    "cadence": ("cadence", parse_duration),
    "snooze_until": ("snooze_until", date),
    "company": ("company", text),
    "role": ("role", text),
    "field": ("field", text),
    "location": ("location", text),
    "emails": ("emails", text_list),
    "phones": ("phones", text_list),
    "links": ("links", text_list),
    "tags": ("tags", word_list),
    "interests": ("interests", word_list),
    "agenda": ("agenda", text),
    "birthday": ("birthday", parse_birthday),
    "met": ("met", date),
    "met_via": ("met_via", text),
    "introduced_by": ("introduced_by", link),
    "knows": ("knows", link_list),
    "history": ("history", history),
}
KNOWN_KEYS = frozenset(FIELDS)
# Keys other tools write that we read as a fallback, and never flag as typos.
FALLBACK_KEYS = frozenset({"first_name", "last_name", "email", "phone", "title", "organization",
                           "organizations", "city", "country", "url", "slug"})


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a tagged YAML value"


@functools.lru_cache(maxsize=4096)
def _close_keys(key: str) -> list[str]:
    """The known key a typo probably meant.  Cached: a vault repeats its own keys in every
    note, and difflib is a tenth of the parse time otherwise."""
    import difflib  # lazy: only a note with a key we do not know needs it

    return difflib.get_close_matches(key, KNOWN_KEYS | FALLBACK_KEYS, n=1, cutoff=0.8)


def _problem(raw: RawNote, key: str, severity: str, message: str) -> Problem:
    msg, _, hint = message.partition(" — ")
    span = raw.keys.get(key)
    src = Source(raw.path, 1)
    if span:  # point at the value, which is what is wrong
        src = Source(raw.path, span.value_line or span.line, span.value_col or span.col)
    return Problem(src, severity, "bad-value" if severity == "error" else "value-style",  # type: ignore[arg-type]
                   f"{key}: {msg}", hint)


def contact_from_note(raw: RawNote, config: Config) -> tuple[Contact | None, list[Problem]]:
    """Build a Contact from a parsed note.  A bad value is a Problem and the field keeps its
    default, so one typo does not hide the whole contact; only a missing name does."""
    problems: list[Problem] = []
    stem = raw.path.rsplit("/", 1)[-1].removesuffix(".md")
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in raw.meta.items():
        spec = FIELDS.get(key)
        if spec is None:
            extra[key] = value
            if key not in FALLBACK_KEYS:
                # `Name`, `compnay`, `frist_name`: a key we read, mistyped
                close = _close_keys(key.casefold())
                if close:
                    problems.append(Problem(raw.source(key), "warning", "unknown-key",
                                            f"unknown key {key!r}: did you mean {close[0]!r}?",
                                            f"rename it to {close[0]}, or keep it as your own"
                                            " field"))
            continue
        attr, convert = spec
        if value is None:  # `birthday:` left empty (as in a template) means not known
            continue
        try:
            values[attr] = convert(value)
        except FieldWarning as w:
            values[attr] = w.value
            problems.append(_problem(raw, key, "warning", str(w)))
        except ValueError as exc:
            problems.append(_problem(raw, key, "error", str(exc)))

    name = values.get("name") or " ".join(
        text(raw.meta.get(k)) for k in ("first_name", "last_name")
        if isinstance(raw.meta.get(k), (str, int))).strip()
    if not name:
        problems.append(Problem(raw.source("name") if "name" in raw.keys else Source(raw.path, 1),
                                "error", "no-name", "the note has no name, so it is not a contact",
                                "add `name: Their Name` to the front matter"))
        return None, problems
    values["name"] = name
    if not values.get("emails") and isinstance(raw.meta.get("email"), str):
        values["emails"] = text_list(raw.meta["email"])

    tier_name = values.pop("tier", "") or config.default_tier
    tier = config.tier(tier_name)
    if tier is None:
        problems.append(Problem(raw.source("tier"), "error", "unknown-tier",
                                f"tier {tier_name!r} is not defined in netnotes.toml",
                                "use one of: " + ", ".join(config.tier_names)))
        tier = config.tier(config.default_tier) or config.tiers[-1]
    own = "cadence" in values
    cadence = values.pop("cadence") if own else tier.cadence
    met_via = values.pop("met_via", "")
    contact = Contact(id=stem, path=raw.path, tier=tier.name, cadence=cadence,
                      cadence_from_note=own, extra=extra, met_how=met_via,
                      key_lines={k: span.line for k, span in raw.keys.items()}, **values)
    return contact, problems
