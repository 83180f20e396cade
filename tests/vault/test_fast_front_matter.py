"""The fast path for simple front matter reads every note exactly as PyYAML does, or declines.

parse.py reads front matter made of plain `key: value` lines, one-line `[a, b]` lists and
`- item` lists with a few regular expressions instead of PyYAML (several times faster on a big
vault).  A user must never see a difference: the same values (of the same types), the same line
and column for every key, the same problems.  These tests read the repository's notes, a
generated vault and generated front matter full of near-misses both ways and compare.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from conftest import EXAMPLE, REALWORLD, REPO
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from netnotes.vault import RawNote, fastpath, list_notes, load_config, parse, parse_note, read_note

BAD_INPUTS = REPO / "tests" / "bad_inputs"


@contextmanager
def yaml_only() -> Iterator[None]:
    """Every note read by PyYAML, as before the fast path existed: the reference."""
    with mock.patch.object(parse, "simple_front_matter", lambda note, text, lines, first: False):
        yield


@contextmanager
def counting_fast_path() -> Iterator[list[bool]]:
    """Records, for every note, whether the fast path took it."""
    taken: list[bool] = []
    real = parse.simple_front_matter

    def spy(note: RawNote, text: str, lines: list[str], first: int) -> bool:
        taken.append(real(note, text, lines, first))
        return taken[-1]

    with mock.patch.object(parse, "simple_front_matter", spy):
        yield taken


def typed(value: Any) -> Any:
    """A value with its type spelled out, so that ``1``, ``1.0`` and ``True`` (equal in Python)
    compare as different, as they read differently in a report."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [typed(v) for v in value])
    return (type(value).__name__, value)


def same_note(fast: RawNote, slow: RawNote) -> None:
    assert typed(fast.meta) == typed(slow.meta)
    assert fast == slow  # keys with their spans, body, problems, BOM/CRLF facts


def both_ways(data: bytes, path: str = "people/n.md") -> tuple[RawNote, RawNote]:
    fast = parse_note(data, path)
    with yaml_only():
        slow = parse_note(data, path)
    return fast, slow


def vault_notes(root: Path) -> list[tuple[Any, bytes]]:
    config, _ = load_config(root)
    notes, _ = list_notes(root, config)
    return [(n, n.path.read_bytes()) for n in notes]


def assert_vault_reads_the_same(root: Path) -> list[bool]:
    """Every note's record (contact, log lines, problems) is equal read either way."""
    config, _ = load_config(root)
    notes = vault_notes(root)
    with counting_fast_path() as taken:
        fast = [read_note(data, n, config) for n, data in notes]
    with yaml_only():
        slow = [read_note(data, n, config) for n, data in notes]
    for f, s in zip(fast, slow, strict=True):
        assert f == s, f.rel
        assert typed(f.contact.extra if f.contact else {}) == \
            typed(s.contact.extra if s.contact else {}), f.rel
        if f.contact is not None:
            assert f.contact.key_lines == s.contact.key_lines, f.rel
    return taken


def test_the_example_vault_reads_the_same_and_takes_the_fast_path():
    taken = assert_vault_reads_the_same(EXAMPLE)
    # all but one: a `history: [{company: …}]` list of mappings goes through YAML
    assert len(taken) >= 30 and taken.count(False) == 1


def test_a_generated_vault_reads_the_same_and_takes_the_fast_path(tmp_path):
    spec = importlib.util.spec_from_file_location("gen_vault", REPO / "benchmarks/gen_vault.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    gen.generate(300, tmp_path / "v")
    taken = assert_vault_reads_the_same(tmp_path / "v")
    assert len(taken) > 300 and all(taken)


@pytest.mark.parametrize("name", sorted(p.name for p in BAD_INPUTS.glob("*.md")))
def test_every_bad_input_reads_the_same(name):
    """Broken notes keep their problems at the same lines (most are declined, some are not)."""
    fast, slow = both_ways((BAD_INPUTS / name).read_bytes())
    same_note(fast, slow)


@pytest.mark.skipif(not REALWORLD.is_dir(),
                    reason="../shared/realworld is not beside this checkout (only in the "
                    "team's setup)")
def test_real_world_notes_read_the_same():
    for path in sorted(REALWORLD.glob("*.md")):
        for where in ("people/n.md", "journal/n.md"):
            fast, slow = both_ways(path.read_bytes(), where)
            same_note(fast, slow)


@pytest.mark.parametrize("front_matter", [
    "name: Ada\ntier: close",
    "name: 'Ada ''The Countess'' Lovelace'\nphones: [\"+44 20 7946 0958\", '+1 555']",
    "tags:\n  - person\n  -\nfirst_name:\nslug:   \n",
    "tags:\n- a\n- 'b'\n\n\nname: Ada\n",
    "n: 42\nf: 1.5\nv: 1.10\nb: true\nz: ~\nd: 2026-01-01\nt: 12:30\nneg: -7\np: +49",
    "links: [https://example.org/a?b=c, 'x, y']\nempty: []\nspace: [ ]",
])
def test_common_shapes_take_the_fast_path(front_matter):
    with counting_fast_path() as taken:
        fast, slow = both_ways(f"---\n{front_matter}\n---\nbody\n".encode())
    assert taken == [True]
    same_note(fast, slow)


@pytest.mark.parametrize("front_matter", [
    "name: &a Ada\nalias: *a", "name: !secret Ada", "history: [{company: Acme}]",
    "agenda: |\n  two\n  lines", "agenda: one\n  more", "# a comment\nname: Ada",
    "name: Ada # a comment", "name: \"tab\\tescape\"", "name: Ada\nname: Bob",
    "true: yes", "tags: [[ada]]", "name:\tAda", "tags:\n  - a\n    - b",
])
def test_anything_else_goes_through_yaml(front_matter):
    with counting_fast_path() as taken:
        fast, slow = both_ways(f"---\n{front_matter}\n---\n".encode())
    assert taken == [False]
    same_note(fast, slow)


# ---------------------------------------------------------------------------------------------
# Generated front matter: the shapes the fast path takes, and near-misses of each

# NETNOTES_FAST_PATH_EXAMPLES=20000 for a thorough search after changing the fast path.
THOROUGH = settings(max_examples=int(os.environ.get("NETNOTES_FAST_PATH_EXAMPLES", "400")),
                    deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that mean something to YAML somewhere, and ordinary text around them.
TRICKY = " :#'\"[],-{}&*!|>%@`?~.+\\\t"
CHARS = st.sampled_from(list("aZ09_ é😀") + list(TRICKY) + ["\xa0", "\u2028", "\x85", "\x07"])
TEXT = st.text(CHARS, min_size=0, max_size=10)
WORDS = st.sampled_from(["Ada", "true", "False", "NULL", "null", "~", "42", "-0", "+5", "007",
                         "1.5", "1.50", "1e5", "1.0e5", ".inf", ".NaN", "2026-01-01",
                         "2026-1-1", "12:30", "--05-03", "https://x.org/a", "a: b", "a:b",
                         "a #b", "a#b", "C#", "- x", "-x", "-", "?x", ":x", "[[ada]]", "",
                         "x, y", "O'Brien", 'say "hi"', "Zoë", "9" * 30, "0x1F", "1_000"])
SCALAR = st.one_of(WORDS, TEXT, st.builds(lambda a, b: f"{a} {b}", WORDS, WORDS))


def quoted(text: str, quote: str) -> str:
    if quote == "'":
        return "'" + text.replace("'", "''") + "'"
    if quote == "'bad":
        return "'" + text + "'"
    if quote == '"':
        return '"' + text + '"'
    return text


VALUE_TEXT = st.builds(quoted, SCALAR, st.sampled_from(["", "", "'", '"', "'bad"]))
FLOW = st.builds(lambda items, sep, pad: "[" + pad + sep.join(items) + pad + "]",
                 st.lists(VALUE_TEXT, max_size=4), st.sampled_from([", ", ",", " , ", ",  "]),
                 st.sampled_from(["", " "]))
KEYS = st.one_of(
    st.sampled_from(["name", "tier", "tags", "emails", "knows", "met", "birthday", "first_name",
                     "x-id", "Key With Space", "key  double", "true", "Null", "k ", " k",
                     "ключ", "2024", "-k", "k:x", "a#b", "_", "k" * 120]),
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_ -]{0,8}", fullmatch=True))
GAP = st.sampled_from([": ", ": ", ":", ":  ", " : ", ":\t"])
END = st.sampled_from(["", "", "", "  ", " # note", "\t", " "])


@st.composite
def entry(draw: st.DrawFn) -> str:
    key = draw(KEYS)
    shape = draw(st.sampled_from(["scalar", "scalar", "flow", "empty", "block", "odd"]))
    if shape == "scalar":
        return key + draw(GAP) + draw(VALUE_TEXT) + draw(END)
    if shape == "flow":
        return key + draw(GAP) + draw(FLOW) + draw(END)
    if shape == "empty":
        return key + draw(st.sampled_from([":", ":  ", ": ~", ": ''"]))
    if shape == "block":
        indent = draw(st.sampled_from(["", "  ", "    ", " "]))
        items = draw(st.lists(st.one_of(VALUE_TEXT, FLOW, st.just("")), min_size=1, max_size=3))
        lines = [f"{indent}-" + (f" {item}" if item else draw(st.sampled_from(["", " "])))
                 + draw(END) for item in items]
        if draw(st.booleans()):  # an item out of line: nested, or a mistake
            lines.append(draw(st.sampled_from(["  - z", "- z", "   - z", "  z", "\t- z"])))
        return key + ":" + draw(END) + "\n" + "\n".join(lines)
    return draw(st.sampled_from(["", "  ", "# comment", "  continued", "---", "...", "- x",
                                 "? k", "&a", "k: &a v", "k: *a", "k: !t v", "k: |\n  x",
                                 "k: >-\n  x", "k: {a: 1}", "%YAML 1.2", "\ufeffk: v"]))


@st.composite
def note_bytes(draw: st.DrawFn) -> bytes:
    front = "\n".join(draw(st.lists(entry(), max_size=6)))
    text = f"---\n{front}\n---\n# Log\n- 2026-01-02 call\n"
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8", "surrogatepass")
    return b"\xef\xbb\xbf" + data if draw(st.booleans()) else data


@THOROUGH
@given(note_bytes())
@example(b"---\nname: Ada\ntier: close\n---\n")
@example(b"---\ntags:\n  - a\n  -\n\nname: x\n---\n")
@example(b"---\nk: [a :b]\nl: [a?b, -c]\n---\n")
@example(b"---\nk: 'a''b'  \nl: \"x # y\"\n---\n")
@example(b"---\nname:\n---\n")
def test_generated_front_matter_reads_the_same(data: bytes):
    fast, slow = both_ways(data)
    same_note(fast, slow)


@THOROUGH
@given(st.lists(st.tuples(st.sampled_from(["name", "tier", "agenda", "tags", "own_key"]),
                          st.one_of(SCALAR, FLOW)), max_size=6),
       st.sampled_from([1, 2, 7]))
def test_fast_path_alone_agrees_with_yaml(entries: list[tuple[str, str]], first_line: int):
    """The fast path called directly (no decoding or fences around it): whenever it accepts,
    it produced what PyYAML produces from the same lines."""
    lines = [f"{k}: {v}" for k, v in entries]
    fast = RawNote("n.md")
    if not parse.simple_front_matter(fast, "\n".join(lines), lines, first_line):
        assert fast == RawNote("n.md")  # declined: the note is untouched
        return
    slow = RawNote("n.md")
    parse._load_with_pyyaml(slow, "\n".join(lines), first_line)
    same_note(fast, slow)


def test_dates_stay_text_for_the_field_converters():
    fast, slow = both_ways(b"---\nmet: 2026-03-14\nbirthday: --05-03\n---\n")
    assert fast.meta == {"met": "2026-03-14", "birthday": "--05-03"}
    assert isinstance(fast.meta["met"], str) and not isinstance(fast.meta["met"], dt.date)
    same_note(fast, slow)


def _reads_as_itself(code: int) -> bool:
    """The fast path's rule for one character, from its parts: YAML's printable characters
    (YAML 1.1, 5.1), without the tab and carriage return, `{` and `}`, the byte-order mark, and
    the characters YAML reads as line breaks (U+0085, U+2028, U+2029); the newline itself is
    the fast path's own to split on."""
    printable = (code in (0x09, 0x0A, 0x0D, 0x85) or 0x20 <= code <= 0x7E
                 or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
                 or 0x10000 <= code <= 0x10FFFF)
    return printable and code not in (0x09, 0x0D, 0x7B, 0x7D, 0x85, 0x2028, 0x2029, 0xFEFF)


def test_the_fast_path_refuses_exactly_the_characters_its_rule_names():
    """_UNSURE lists the characters refused (a class that compiles fast); checked against the
    rule over every code point."""
    wrong = [code for code in range(0x110000)
             if (fastpath._UNSURE.match(chr(code)) is None) != _reads_as_itself(code)]
    assert wrong == []
