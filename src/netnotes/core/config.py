"""``netnotes.toml`` → one frozen Config, with every problem in the file reported at once."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netnotes.core.dates import Duration, parse_duration
from netnotes.core.errors import Problem, Source
from netnotes.core.kinds import KINDS

CONFIG_NAME = "netnotes.toml"

# The largest windows the report looks ahead: a birthday comes every year, so a window longer
# than a year says nothing more, and a bounded one can never run a date past the calendar's end.
MAX_WINDOW_DAYS = 366
# A folder setting is a path inside the vault: no part may exceed what file systems allow.
MAX_FOLDER_BYTES = 255

DEFAULT_TIERS: tuple[tuple[str, str], ...] = (
    ("critical", "4 months"),
    ("close", "6 months"),
    ("network", "1 year"),
    ("archive", "never"),
)


@dataclass(frozen=True)
class Tier:
    """A tier of contacts; the order of tiers in the config is their rank (first = top)."""

    name: str
    cadence: Duration | None
    rank: int


@dataclass(frozen=True)
class Me:
    """The vault owner's profile: the other side of every "common ground" and "diversity" figure."""

    name: str = ""
    field: str = ""
    interests: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


# Our fields a ``[fields]`` map may give another name: a contact's keys, ``last_contact`` (a
# date that counts as an interaction) and a meeting note's ``people`` and ``date``.
MAPPABLE = frozenset({
    "name", "aliases", "tier", "cadence", "snooze_until", "company", "role", "field", "location",
    "emails", "phones", "links", "tags", "interests", "agenda", "birthday", "met", "met_via",
    "introduced_by", "knows", "last_contact", "people", "date",
})
_THEIR_KEY = re.compile(r"^[^\s:#\[\]{},](?:[^:#\[\]{},]*[^\s:#\[\]{},])?$")


@dataclass(frozen=True)
class FieldMap:
    """``[fields]``: the keys an adopted vault uses for our fields, so that nobody renames a key.

    ``keys`` pairs each of our fields with the vault's keys for it, in order: the first one a note
    has is read (and written).  For ``name`` the keys are parts joined by a space
    (``first_name`` + ``last_name``).  ``name_from_heading`` names a note that has no name key
    after its first ``# Heading``.  Empty (the default) for a vault that uses our names."""

    keys: tuple[tuple[str, tuple[str, ...]], ...] = ()
    name_from_heading: bool = False

    def theirs(self, ours: str) -> tuple[str, ...]:
        """The vault's keys for ``ours`` (empty when it is not mapped)."""
        for key, names in self.keys:
            if key == ours:
                return names
        return ()

    @property
    def active(self) -> bool:
        return bool(self.keys) or self.name_from_heading


@dataclass(frozen=True)
class Config:
    people_dir: str = "people"
    journal_dir: str = "journal"
    log_headings: tuple[str, ...] = ("log", "interactions")
    date_order: str | None = None  # "DMY" or "MDY": how a log line's 3/10/2026 is read
    kinds: tuple[tuple[str, str], ...] = ()  # [kinds]: the user's own words -> a kind
    tiers: tuple[Tier, ...] = field(
        default_factory=lambda: tuple(
            Tier(n, parse_duration(c), i) for i, (n, c) in enumerate(DEFAULT_TIERS)
        )
    )
    default_tier: str = "network"
    due_soon_days: int = 14
    birthday_days: int = 30
    # People listed per section of a text, Markdown or HTML report (`--all`: everyone): a
    # report is read by a person, so it grows with their attention, not with the vault.
    per_section: int = 10
    me: Me = field(default_factory=Me)
    sync_pull: str = "rebase"  # how `netnotes sync` pulls: "rebase" or "merge"
    plan_per_week: int = 5  # `netnotes plan`: at most this many people a week …
    plan_weeks: int = 4  # … over this many weeks
    fields: FieldMap = field(default_factory=FieldMap)

    @property
    def kind_words(self) -> dict[str, str] | None:
        """The user's own words for kinds (``[kinds]``), for reading log lines; None: none."""
        return dict(self.kinds) if self.kinds else None

    @property
    def people_keys(self) -> tuple[str, ...]:
        """The front-matter keys of a meeting note that list who was there."""
        return self.fields.theirs("people") or ("people",)

    def __post_init__(self) -> None:
        """A Config made in code is held to the bounds netnotes.toml is checked against."""
        for key in ("due_soon_days", "birthday_days"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int) or \
                    not 0 <= value <= MAX_WINDOW_DAYS:
                raise ValueError(f"{key} must be a whole number from 0 to {MAX_WINDOW_DAYS}")

    def tier(self, name: str) -> Tier | None:
        for t in self.tiers:
            if t.name == name:
                return t
        return None

    @property
    def tier_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.tiers)

    @property
    def top_tier(self) -> str:
        return self.tiers[0].name


DEFAULT_CONFIG_TEXT = """\
# netnotes vault settings. Every key is optional; the values shown are the defaults.

[vault]
people = "people"          # folder of contact notes, one person per file
journal = "journal"        # folder of daily or meeting notes (optional)
log_headings = ["Log", "Interactions"]   # sections whose dated bullets are interactions
# date_order = "DMY"       # a log line's 3/10/2026: "DMY" 3 October, "MDY" March 10

[me]
# Who you are: used for common ground and for how diverse your network is.
name = ""
field = ""
interests = []

[tiers]
# Top tier first. A contact is overdue when its last interaction + cadence is past.
# "never" means no reminders. A contact's own `cadence:` overrides its tier's.
critical = "4 months"      # the critical few: two or three times a year
close = "6 months"
network = "1 year"
archive = "never"

[report]
default_tier = "network"   # tier of a contact whose note names none
due_soon_days = 14
birthday_days = 30
per_section = 10           # people listed per section of a report (`report --all`: everyone)

[plan]
per_week = 5               # the plan (netnotes plan, and the report): at most this many a week
weeks = 4                  # over this many weeks, this one first

[sync]
pull = "rebase"            # how `netnotes sync` pulls: "rebase" or "merge"
"""

_KNOWN = {
    "vault": {"people", "journal", "log_headings", "date_order"},
    "me": {"name", "field", "interests", "tags"},
    "report": {"default_tier", "due_soon_days", "birthday_days", "per_section"},
    "sync": {"pull"},
    "plan": {"per_week", "weeks"},
}


class _Collector:
    def __init__(self, text: str, path: str):
        self.text = text
        self.path = path
        self.problems: list[Problem] = []

    def line_of(self, section: str, key: str | None) -> int:
        """tomllib gives no positions; find the line by text, which is right for every sane file."""
        lines = self.text.splitlines()
        start = 0
        for i, line in enumerate(lines):
            if re.match(rf"^\s*\[\s*{re.escape(section)}\s*\]", line):
                start = i
                if key is None:
                    return i + 1
                break
        if key is not None:
            for i in range(start, len(lines)):
                if re.match(rf'^\s*"?{re.escape(key)}"?\s*=', lines[i]):
                    return i + 1
        return 0

    def error(self, section: str, key: str | None, message: str, hint: str = "") -> None:
        src = Source(self.path, self.line_of(section, key))
        self.problems.append(Problem(src, "error", "config", message, hint))

    def warn(self, section: str, key: str | None, message: str, hint: str = "") -> None:
        src = Source(self.path, self.line_of(section, key))
        self.problems.append(Problem(src, "warning", "config", message, hint))


def _str_list(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _folder(c: _Collector, key: str, value: Any, default: str) -> str:
    if not isinstance(value, str) or not value.strip():
        c.error("vault", key, f"[vault] {key} must be a folder name", f'e.g. {key} = "{default}"')
        return default
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value) or "\\" in value:
        c.error("vault", key, f"[vault] {key} contains a control character or a backslash",
                f'e.g. {key} = "{default}"')
        return default
    p = Path(value)
    if p.is_absolute() or ".." in p.parts:
        c.error("vault", key, f'[vault] {key} = "{value}" leaves the vault',
                f'e.g. {key} = "{default}"')
        return default
    if any(len(part.encode("utf-8", "surrogatepass")) > MAX_FOLDER_BYTES for part in p.parts):
        c.error("vault", key, f"[vault] {key}: a folder name is longer than {MAX_FOLDER_BYTES} "
                "bytes", f'e.g. {key} = "{default}"')
        return default
    return p.as_posix().strip("/") or default


def _toml_key(key: str) -> str:
    """A key as TOML writes it: bare when it can be, quoted otherwise."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def _kinds(c: _Collector, table: Any) -> tuple[tuple[str, str], ...]:
    """``[kinds]``: ``standup = "meeting"`` — the first word of a log line that names a kind."""
    if not isinstance(table, dict):
        c.error("kinds", None, "[kinds] must be a table of words", 'e.g. standup = "meeting"')
        return ()
    out = []
    for word, kind in table.items():
        if isinstance(kind, str) and kind.strip().casefold() in KINDS:
            out.append((str(word).strip().casefold(), kind.strip().casefold()))
        else:
            c.error("kinds", str(word), f"[kinds] {word} = {kind!r} is not a kind",
                    "use one of: " + ", ".join(sorted(KINDS)))
    return tuple(out)


# Over 80 lines on purpose: one short block per section of the file, in the file's order, each
# reading its keys into kwargs through the same collector; split up, every piece would take and
# return the collector, the data and kwargs, and the order a reader checks against would be lost.
def parse_config(text: str, path: str = CONFIG_NAME) -> tuple[Config, list[Problem]]:
    """Parse the text of ``netnotes.toml``.  Never raises: the problems say what is wrong, and the
    config returned uses the defaults for whatever could not be read."""
    c = _Collector(text, path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"line (\d+), column (\d+)", msg)
        line, col = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
        reason = re.sub(r"\s*\(at .*\)$", "", msg)
        c.problems.append(Problem(Source(path, line, col), "error", "config-syntax",
                                  f"netnotes.toml is not valid TOML: {reason}",
                                  "fix the syntax (strings need quotes, tables are [name])"))
        return Config(), c.problems

    defaults = Config()
    kwargs: dict[str, Any] = {}
    for section, value in data.items():
        if section in ("tiers", "fields", "kinds"):
            continue
        if section not in _KNOWN:
            c.warn(section, None, f"unknown section [{section}]",
                   "known sections are [vault], [me], [tiers], [report], [plan], [sync], [kinds] "
                   "and "
                   "[fields]")
            continue
        if not isinstance(value, dict):
            c.error(section, None, f"{section} must be a table", f"write it as [{section}]")
            continue
        for key in value:
            if key not in _KNOWN[section]:
                c.warn(section, key, f"unknown key {key} in [{section}]",
                       "known keys: " + ", ".join(sorted(_KNOWN[section])))

    vault = data.get("vault", {}) if isinstance(data.get("vault"), dict) else {}
    if "people" in vault:
        kwargs["people_dir"] = _folder(c, "people", vault["people"], "people")
    if "journal" in vault:
        kwargs["journal_dir"] = _folder(c, "journal", vault["journal"], "journal")
    if "log_headings" in vault:
        heads = _str_list(vault["log_headings"])
        if heads is None:
            c.error("vault", "log_headings", "[vault] log_headings must be a list of headings",
                    'e.g. log_headings = ["Log"]')
        else:
            kwargs["log_headings"] = tuple(h.strip().lower() for h in heads)

    if "date_order" in vault:
        order = vault["date_order"]
        if isinstance(order, str) and order.strip().upper() in ("DMY", "MDY"):
            kwargs["date_order"] = order.strip().upper()
        else:
            c.error("vault", "date_order", f"[vault] date_order = {order!r} is not DMY or MDY",
                    'date_order = "DMY" reads 3/10/2026 as 3 October, "MDY" as March 10')

    if "kinds" in data:
        kwargs["kinds"] = _kinds(c, data["kinds"])

    me = data.get("me", {}) if isinstance(data.get("me"), dict) else {}
    me_kwargs: dict[str, Any] = {}
    for key in ("name", "field"):
        if key in me:
            if isinstance(me[key], str):
                me_kwargs[key] = me[key].strip()
            else:
                c.error("me", key, f"[me] {key} must be text", f'e.g. {key} = "..."')
    for key in ("interests", "tags"):
        if key in me:
            items = _str_list(me[key])
            if items is None:
                c.error("me", key, f"[me] {key} must be a list of text", f'e.g. {key} = ["a", "b"]')
            else:
                me_kwargs[key] = tuple(i.strip() for i in items if i.strip())
    kwargs["me"] = Me(**me_kwargs)

    if "tiers" in data:
        tiers_data = data["tiers"]
        tiers: list[Tier] = []
        if not isinstance(tiers_data, dict) or not tiers_data:
            c.error("tiers", None, "[tiers] must name at least one tier",
                    'e.g. critical = "4 months"')
        else:
            for name, cadence in tiers_data.items():
                if isinstance(cadence, dict):  # [tiers.critical] cadence = "4 months"
                    cadence = cadence.get("cadence", "never")
                try:
                    dur = parse_duration(cadence) if isinstance(cadence, str) else parse_duration(
                        cadence)
                except ValueError as exc:
                    c.error("tiers", name, f"tier {name}: {exc}",
                            f'e.g. {_toml_key(name)} = "4 months"')
                    dur = None
                tiers.append(Tier(str(name), dur, len(tiers)))
        if tiers:
            kwargs["tiers"] = tuple(tiers)

    report = data.get("report", {}) if isinstance(data.get("report"), dict) else {}
    for key in ("due_soon_days", "birthday_days"):
        if key in report:
            v = report[key]
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= MAX_WINDOW_DAYS:
                c.error("report", key, f"[report] {key} must be a whole number of days from 0 "
                        f"to {MAX_WINDOW_DAYS}", f"e.g. {key} = {getattr(defaults, key)}")
            else:
                kwargs[key] = v
    if "per_section" in report:
        v = report["per_section"]
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            c.error("report", "per_section", "[report] per_section must be a whole number of "
                    "people, at least 1", f"e.g. per_section = {defaults.per_section}; "
                    "`netnotes report --all` lists everyone")
        else:
            kwargs["per_section"] = v
    tier_names = [t.name for t in kwargs.get("tiers", defaults.tiers)]
    if "default_tier" in report:
        v = report["default_tier"]
        if v not in tier_names:
            c.error("report", "default_tier", f'[report] default_tier "{v}" is not a tier',
                    "tiers are: " + ", ".join(tier_names))
        else:
            kwargs["default_tier"] = v
    elif defaults.default_tier not in tier_names:
        kwargs["default_tier"] = tier_names[-1]

    sync = data.get("sync", {}) if isinstance(data.get("sync"), dict) else {}
    if "pull" in sync:
        if sync["pull"] in ("rebase", "merge"):
            kwargs["sync_pull"] = sync["pull"]
        else:
            c.error("sync", "pull", '[sync] pull must be "rebase" or "merge"',
                    'e.g. pull = "rebase"')

    plan = data.get("plan", {}) if isinstance(data.get("plan"), dict) else {}
    for key, attr, most in (("per_week", "plan_per_week", 100), ("weeks", "plan_weeks", 52)):
        if key in plan:
            v = plan[key]
            if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= most:
                c.error("plan", key, f"[plan] {key} must be a whole number from 1 to {most}",
                        f"e.g. {key} = {getattr(defaults, attr)}")
            else:
                kwargs[attr] = v

    if "fields" in data:
        kwargs["fields"] = _field_map(c, data["fields"])

    return Config(**kwargs), c.problems


def _field_map(c: _Collector, table: Any) -> FieldMap:
    """``[fields]`` → a FieldMap; a bad entry is reported and left out (the rest still apply)."""
    if not isinstance(table, dict):
        c.error("fields", None, "fields must be a table", 'write it as [fields]')
        return FieldMap()
    pairs: list[tuple[str, tuple[str, ...]]] = []
    heading = False
    for ours, value in table.items():
        if ours == "name_from_heading":
            if isinstance(value, bool):
                heading = value
            else:
                c.error("fields", ours, "[fields] name_from_heading must be true or false",
                        "e.g. name_from_heading = true")
            continue
        if ours not in MAPPABLE:
            c.warn("fields", ours, f"[fields] {ours} is not a netnotes field",
                   "known fields: " + ", ".join(sorted(MAPPABLE)))
            continue
        names = _str_list(value)
        if not names or not all(_THEIR_KEY.match(n.strip()) for n in names):
            c.error("fields", ours, f"[fields] {ours} must name your key, or a list of keys",
                    f'e.g. {ours} = "{ours}"')
            continue
        pairs.append((ours, tuple(n.strip() for n in names)))
    return FieldMap(tuple(pairs), heading)


