"""Property tests of the byte-level editor: over generated notes (comments, CRLF, BOM, unicode,
flow and block lists, bodies with and without a Log section) every edit changes exactly the
intended field or line, reads back as the old data plus the change, and has an exact inverse."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
import yaml
from conftest import REALWORLD
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from netnotes.edit import body as body_edit
from netnotes.edit import changes as edit
from netnotes.edit import yamlvalue
from netnotes.vault import parse_note, scan
from netnotes.vault.parse import NoteLoader

settings.register_profile("edit", max_examples=120, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.filter_too_much])
settings.register_profile("edit-thorough", parent=settings.get_profile("edit"),
                          max_examples=3000)
settings.load_profile(os.environ.get("NETNOTES_EDIT_PROFILE", "edit"))

# Text people put in notes: any Unicode except what YAML itself treats as a line break or BOM
# (the parser reports those), and lone surrogates (not storable as UTF-8).
TEXT = st.text(st.characters(blacklist_categories=("Cs",),
                             blacklist_characters="\x85\u2028\u2029\ufeff\r\n"),
               min_size=1, max_size=12)
TRICKY = st.sampled_from(["NO", "yes", "12:30", "[x]", "# hash", "a: b", "'q'", '"dq"', "null",
                          "~", "42", "3.5", "2026-01-01", "--05-03", "- dash", "x #y", " pad",
                          "Zoë", "김민지", "emoji 😀", "a,b", "{b}", "@at", "`tick`", "%p"])
VALUE = st.one_of(TEXT, TRICKY)
KEYS = ["tier", "company", "role", "location", "agenda", "custom_note", "x-rating"]
LIST_KEYS = ["tags", "interests", "aliases", "emails"]
DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))


def quoted(value: str, style: str, flow: bool = False) -> str:
    """``value`` written in one of the styles people use (plain only where it reads back)."""
    if style == "plain" and edit.yaml_scalar(value, flow=flow) == value:
        return value
    if style in ("plain", "single") and all(yamlvalue._printable(c) for c in value):
        return "'" + value.replace("'", "''") + "'"
    return yamlvalue._double_quoted(value)


@st.composite
def comment(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(["", "", "  # note", " # é 😀", "   # [x]: y"]))


@st.composite
def scalar_entry(draw: st.DrawFn, key: str) -> list[str]:
    if draw(st.integers(0, 9)) == 0:
        return [f"{key}:" + draw(comment())]
    style = draw(st.sampled_from(["plain", "single", "double"]))
    gap = draw(st.sampled_from([" ", " ", "   "]))
    return [f"{key}:{gap}{quoted(draw(VALUE), style)}{draw(comment())}"]


@st.composite
def list_entry(draw: st.DrawFn, key: str, min_size: int = 0) -> list[str]:
    items = draw(st.lists(VALUE, min_size=min_size, max_size=4))
    style = draw(st.sampled_from(["plain", "single", "double"]))
    if draw(st.booleans()) or not items:
        body = ", ".join(quoted(i, style, flow=True) for i in items)
        return [f"{key}: [{body}]{draw(comment())}"]
    indent = draw(st.sampled_from(["", "  ", "    "]))
    lines = [f"{key}:{draw(comment())}"]
    for i in items:
        lines.append(f"{indent}- {quoted(i, style)}{draw(comment())}")
        if draw(st.integers(0, 5)) == 0:
            lines.append(f"{indent}# between items")
    return lines


@st.composite
def body(draw: st.DrawFn) -> tuple[list[str], bool]:
    """Body lines, and whether they hold a Log section whose dated lines are in date order."""
    lines: list[str] = []
    if draw(st.booleans()):
        lines += ["", "# " + draw(TEXT), "", draw(TEXT)]
    if draw(st.booleans()):
        lines += ["", "## Life Events", "", "- 1815-12-10: born", "- 1833: met Charles"]
    if draw(st.booleans()):
        lines += ["", "```", "## Log", "- 2099-01-01 not a log line", "```"]
    has_log = draw(st.booleans())
    if has_log:
        days = sorted(draw(st.lists(DAYS, max_size=5)))
        bullet = draw(st.sampled_from(["- ", "* ", "  - "]))
        lines += ["", draw(st.sampled_from(["## Log", "## Interactions", "### log"]))]
        if draw(st.booleans()):
            lines.append("")
        for d in days:
            what = draw(st.sampled_from(["call", "coffee é", "met [[grace]] #got"]))
            lines.append(f"{bullet}{d.isoformat()} {what}")
            if draw(st.integers(0, 4)) == 0:
                lines.append("    more about it")
        if draw(st.booleans()):
            lines += ["", "## Later", "- 2001-01-01 not in the log"]
    return lines, has_log


@st.composite
def notes(draw: st.DrawFn, with_list: str | None = None) -> bytes:
    """A note; ``with_list`` makes sure that list key is there with at least one item."""
    keys = draw(st.lists(st.sampled_from(KEYS + LIST_KEYS), unique=True, max_size=6))
    entries = [[f"name: {quoted(draw(VALUE), draw(st.sampled_from(['plain', 'double'])))}"]]
    if with_list is not None:
        keys = [k for k in keys if k != with_list]
        entries.append(draw(list_entry(with_list, min_size=1)))
    for key in keys:
        entries.append(draw(list_entry(key) if key in LIST_KEYS else scalar_entry(key)))
    order = draw(st.permutations(range(len(entries))))
    fm: list[str] = []
    for i in order:
        if draw(st.integers(0, 4)) == 0:
            fm.append(draw(st.sampled_from(["", "# a comment line", "# ünïcode 😀"])))
        fm += entries[i]
    if draw(st.booleans()):
        fm.append("# trailing comment")
    lines, _ = draw(body())
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    text = nl.join(["---", *fm, "---", *lines])
    if draw(st.booleans()):
        text += nl
    bom = b"\xef\xbb\xbf" if draw(st.booleans()) else b""
    data = bom + text.encode("utf-8")
    raw = parse_note(data, "n.md")
    assume(not raw.problems and raw.front_matter_ok)
    return data


def meta(data: bytes) -> dict:
    raw = parse_note(data, "n.md")
    assert not raw.problems, raw.problems
    return raw.meta


def only_lines_changed(old: bytes, new: bytes, first: int, last: int) -> list[bytes]:
    """Assert that ``new`` is ``old`` with (0-based) lines ``first``..``last``-1 replaced, and
    return what replaced them."""
    a, b = old.splitlines(True), new.splitlines(True)
    tail = len(a) - last
    assert b[:first] == a[:first]
    assert b[len(b) - tail:] == a[last:] if tail else True
    return b[first:len(b) - tail]


def same_shape(old: bytes, new: bytes) -> None:
    """BOM kept, and no line ending the file did not already use."""
    assert old.startswith(b"\xef\xbb\xbf") == new.startswith(b"\xef\xbb\xbf")
    if b"\r\n" in old and not re.search(rb"(?<!\r)\n", old):
        assert not re.search(rb"(?<!\r)\n", new)
    if b"\r\n" not in old:
        assert b"\r" not in new.replace(b"\r", b"") and b"\r\n" not in new


def body_of(data: bytes) -> str:
    return parse_note(data, "n.md").body


# ---------------------------------------------------------------------------------------------


@given(VALUE, st.booleans())
@example("NO", False)
@example("12:30", False)
@example("[[ada]]", True)
def test_yaml_scalar_reads_back_as_the_same_text(value, flow):
    for loader in (NoteLoader, yaml.SafeLoader):
        doc = f"k: [{edit.yaml_scalar(value, flow=True)}]" if flow else \
            f"k: {edit.yaml_scalar(value)}"
        assert yaml.load(doc, Loader=loader) == {"k": [value] if flow else value}


def test_values_that_yaml_would_misread_are_quoted_and_nothing_else():
    assert edit.yaml_scalar("Ada Lovelace") == "Ada Lovelace"
    assert edit.yaml_scalar("Zoë O'Brien") == "Zoë O'Brien"
    for tricky in ("NO", "yes", "12:30", "[x]", "# hash", "null", "42", "2026-01-01"):
        assert edit.yaml_scalar(tricky) == f"'{tricky}'"
    assert edit.yaml_scalar("two\nlines") == '"two\\nlines"'
    assert edit.render_value(dt.date(2026, 3, 4)) == "2026-03-04"


@given(notes(), st.sampled_from(KEYS + ["name"]), VALUE)
def test_set_changes_exactly_that_field(data, key, value):
    before = meta(data)
    new = edit.set_key(data, key, value)
    assert meta(new) == {**before, key: value}
    assert body_of(new) == body_of(data)
    same_shape(data, new)
    raw = parse_note(data, "n.md")
    if key in raw.keys:  # only the key's own lines changed
        span = raw.keys[key]
        only_lines_changed(data, new, span.line - 1, span.end_line)
    else:  # one new line, right after the last key's value
        last_key = max(s.line for s in raw.keys.values())
        assert len(new.splitlines()) == len(data.splitlines()) + 1
        added = [i for i in range(last_key, len(new.splitlines()))
                 if new.splitlines(True)[:i] + new.splitlines(True)[i + 1:]
                 == data.splitlines(True)]
        assert added and new.splitlines()[added[0]].startswith(key.encode() + b": ")
    assert edit.set_key(new, key, value) == new  # setting it again is a no-op


@given(notes(), VALUE)
def test_a_new_key_then_unset_restores_the_original_bytes(data, value):
    assume("snooze_until" not in meta(data))
    added = edit.set_key(data, "snooze_until", value)
    assert edit.unset_key(added, "snooze_until") == data


@given(notes(), st.sampled_from(KEYS + LIST_KEYS))
def test_unset_removes_only_that_field(data, key):
    before = meta(data)
    new = edit.unset_key(data, key)
    assert meta(new) == {k: v for k, v in before.items() if k != key}
    assert body_of(new) == body_of(data)
    same_shape(data, new)
    if key in before:
        span = parse_note(data, "n.md").keys[key]
        kept = only_lines_changed(data, new, span.line - 1, span.end_line)
        # all that is left of the key's lines: comments after a block list's last item
        assert all(not ln.strip() or ln.lstrip().startswith(b"#") for ln in kept)
    else:
        assert new == data


with_a_list = st.sampled_from(LIST_KEYS).flatmap(lambda k: st.tuples(st.just(k), notes(k)))


@given(with_a_list, st.lists(VALUE, min_size=1, max_size=3))
def test_list_add_then_remove_restores_the_original_bytes(key_and_note, items):
    key, data = key_and_note
    before = meta(data)
    old = before[key]
    assume(None not in old)
    known = {edit._item_key(key, o) for o in old}
    fresh = list({edit._item_key(key, i): i for i in items
                  if edit._item_key(key, i) not in known}.values())
    assume(fresh)
    added = edit.add_items(data, key, fresh)
    assert meta(added) == {**before, key: [*old, *fresh]}
    assert body_of(added) == body_of(data)
    same_shape(data, added)
    span = parse_note(data, "n.md").keys[key]
    flow = span.end_line == span.line
    if flow:  # still one line, and only that line changed
        assert parse_note(added, "n.md").keys[key].end_line == span.line
        assert len(only_lines_changed(data, added, span.line - 1, span.line)) == 1
    else:  # new "- item" lines inserted after the last item, nothing else touched
        new_span = only_lines_changed(data, added, span.line - 1, span.end_line)
        old_span = data.splitlines(True)[span.line - 1:span.end_line]
        assert len(new_span) == len(old_span) + len(fresh)
        assert all(re.match(rb"^\s*- ", line) for line in set(new_span) - set(old_span))
    assert edit.remove_items(added, key, fresh) == data
    assert edit.add_items(added, key, fresh) == added  # already there: a no-op


@given(with_a_list)
def test_removing_every_item_leaves_an_empty_list(key_and_note):
    key, data = key_and_note
    before = meta(data)
    old = before[key]
    new = edit.remove_items(data, key, [o for o in old if isinstance(o, str)])
    assert meta(new) == {**before, key: [o for o in old if not isinstance(o, str)]}
    assert body_of(new) == body_of(data)
    same_shape(data, new)


@given(notes(), DAYS, st.sampled_from(["coffee at the café", "call with [[grace]] #gave",
                                       "lunch 😀", "intro: NO"]))
def test_log_line_goes_in_date_order_and_nothing_else_changes(data, day, text):
    raw = parse_note(data, "n.md")
    new = body_edit.add_log_line(data, day, text)
    assert meta(new) == raw.meta
    same_shape(data, new)
    old_lines, _ = scan(raw.body, "n.md", raw.body_line, log_headings=("log", "interactions"))
    after = parse_note(new, "n.md")
    new_lines, _ = scan(after.body, "n.md", after.body_line,
                        log_headings=("log", "interactions"))
    mine = [ln for ln in new_lines if ln.text == text and ln.date == day]
    assert len(new_lines) == len(old_lines) + 1 and len(mine) == 1
    where = mine[0].line
    # the log stays in date order, and the new line comes after the others of its day
    assert [ln.date for ln in new_lines] == sorted(ln.date for ln in new_lines)
    assert all(ln.line < where for ln in new_lines if ln.date == day and ln is not mine[0])
    tail = new[len(data):].decode("utf-8", "replace") if new.startswith(data) else ""
    if not re.fullmatch(r"(\r?\n)*## Log\r?\n- \S+ .*\r?\n", tail):
        # the section existed: exactly one line inserted: taking it out gives the original bytes
        lines = new.splitlines(True)
        rest = b"".join(lines[:where - 1] + lines[where:])
        assert rest == data or (not data.endswith(b"\n") and rest.rstrip(b"\r\n") == data)


@given(notes())
def test_a_missing_log_section_is_created_at_the_end(data):
    raw = parse_note(data, "n.md")
    assume(not any(re.match(r"^#+ (log|interactions)\s*$", ln, re.I)
                   for ln in raw.body.split("\n")))
    new = body_edit.add_log_line(data, dt.date(2026, 11, 22), "call")
    assert new.startswith(data)
    tail = new[len(data):].decode()
    assert re.fullmatch(r"(\r?\n)*## Log\r?\n- 2026-11-22 call\r?\n", tail)
    same_shape(data, new)


# --- layouts people really write ------------------------------------------------------------

LAYOUTS = [
    '---\n"name": Ada\ntier : close\n...\nbody\n',
    "---\nname:\n  Ada\n  Lovelace\ntier: close\n---\n",
    "---\nname: Ada\ntags: [a,\n  b]\nagenda: |\n  line one\n\n  line two\n\n---\n",
    "---\nname: Ada\nknows:\n-   '[[grace]]'\n-\n    bob\n"
    "history:\n  - company: X\n    role: Y\n---\n",
    "---\r\nname: Ada\r\n\r\ntags: []   # none yet\r\n---\r\n",
    "---\nname: Ada\n---",
    "---\n---\n",
]


@given(st.sampled_from(LAYOUTS), st.sampled_from(["tags", "knows", "aliases"]), VALUE)
@example(LAYOUTS[3], "knows", "bob")
def test_unusual_layouts_are_edited_as_asked(data, key, value):
    """None of these layouts may be refused (3000 examples found no refusal): each edit is made,
    reads back without problems, and changes that field and nothing else."""
    data = data.encode()
    before = parse_note(data, "n.md").meta
    item = edit._item_key(key, edit.as_read(value))
    changes = {
        "set": (lambda d: edit.set_key(d, "tier", value), "tier"),
        "add": (lambda d: edit.add_items(d, key, [value]), key),
        "remove": (lambda d: edit.remove_items(d, key, [value, "bob", "a"]), key),
        "unset": (lambda d: edit.unset_key(d, "agenda"), "agenda"),
        "log": (lambda d: body_edit.add_log_line(d, dt.date(2026, 1, 2), "call"), None),
    }
    for what, (change, field) in changes.items():
        new = change(data)
        after = parse_note(new, "n.md")
        assert not after.problems
        changed = {k for k in before.keys() | after.meta.keys()
                   if before.get(k) != after.meta.get(k)}
        assert changed <= ({field} if field else set())
        got = after.meta.get(key) or []
        if what == "set":
            assert after.meta["tier"] == value
        elif what == "add" and item is not None:
            assert item in {edit._item_key(key, g) for g in got}
        elif what == "remove":
            gone = {edit._item_key(key, v) for v in (value, "bob", "a")} - {None}
            assert not gone & {edit._item_key(key, g) for g in got}
        elif what == "unset":
            assert "agenda" not in after.meta
        elif what == "log":
            old, _ = scan(parse_note(data, "n.md").body, "n.md", 1, log_headings=None)
            now, _ = scan(after.body, "n.md", 1, log_headings=None)
            assert len(now) == len(old) + 1


def test_real_world_notes_are_edited_in_place(tmp_path):
    shared = REALWORLD
    if not shared.is_dir():
        pytest.skip("the real-world samples (../shared/realworld) are not here")
    for name in ("markdown_person_note_ada-lovelace.md", "hal_md_Person_template.md"):
        data = (shared / name).read_bytes()
        before = parse_note(data, name)
        new = edit.add_items(data, "aliases", ["Countess"])
        new = edit.set_key(new, "name", "Ada Lovelace")
        new = body_edit.add_log_line(new, dt.date(2026, 11, 22), "coffee")
        after = parse_note(new, name)
        assert not [p for p in after.problems if p.severity == "error"]
        assert after.meta["name"] == "Ada Lovelace"
        assert "Countess" in after.meta["aliases"]
        assert {k: v for k, v in after.meta.items() if k not in ("name", "aliases")} == \
            {k: v for k, v in before.meta.items() if k not in ("name", "aliases")}
        assert after.body.startswith(before.body.rstrip("\n"))  # body kept, log appended
        old_lines, new_lines = data.splitlines(), iter(new.splitlines())
        assert all(line in new_lines for line in old_lines)  # every old line kept, in order
        assert len(new.splitlines()) - len(old_lines) <= 5  # name, alias, blank, heading, log


def test_a_key_yaml_reads_as_something_else_is_refused_not_guessed():
    data = b"---\nname: Ada\ntrue: [a]\n---\n"
    with pytest.raises(edit.EditRefused):
        edit.unset_key(data, "True")
    with pytest.raises(edit.BadValue):
        edit.set_key(data, "true", "x")
