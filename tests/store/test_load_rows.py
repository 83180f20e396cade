"""A big vault is loaded from the index on every run, so its objects are small and quick to
rebuild: log lines and interactions are tuples, and a cached note comes back exactly as it was
parsed."""

from __future__ import annotations

import datetime as dt
import pickle

from conftest import note

from netnotes.core import Config, Contact, Interaction, Source
from netnotes.core.model import LINE_KEYS
from netnotes.store import read_vault
from netnotes.vault import LogLine, NoteFile, NoteRecord, read_note


def test_an_interaction_reads_like_the_line_it_came_from() -> None:
    it = Interaction(dt.date(2026, 1, 5), "coffee #gave", Source("people/ada.md", 7), ("ada",),
                     "coffee", True, False, ("idea",))
    assert (it.date, it.text, it.path, it.line, it.people) == \
        (dt.date(2026, 1, 5), "coffee #gave", "people/ada.md", 7, ("ada",))
    assert (it.kind, it.gave, it.got, it.tags, it.weight) == ("coffee", True, False, ("idea",), 2.0)
    assert it.source == Source("people/ada.md", 7) and str(it.source) == "people/ada.md:7"
    assert it.sort_key() == (dt.date(2026, 1, 5), "people/ada.md", 7)
    assert Interaction(it.date, "call", Source("x.md", 1)).people == ()  # defaults as before


def test_an_interaction_survives_pickling() -> None:
    it = Interaction(dt.date(2026, 1, 5), "call", Source("people/ada.md", 7), ("ada", "bob"))
    back = pickle.loads(pickle.dumps(it, protocol=5))
    assert back == it and type(back) is Interaction and back.source == it.source


def test_a_note_comes_back_from_the_index_as_it_was_parsed(tmp_path) -> None:
    path = tmp_path / "people/ada.md"
    path.parent.mkdir()
    path.write_text(note("Ada Lovelace", ["2026-01-05 coffee with [[grace]] #gave",
                                          "2025-03-01 call"], knows="[[grace]]"))
    rec = read_note(path.read_bytes(), NoteFile(path, "people/ada.md", "person"), Config())
    back = pickle.loads(pickle.dumps(rec, protocol=5))
    assert back == rec and type(back) is NoteRecord
    assert [type(ln) for ln in back.lines] == [LogLine, LogLine]
    assert back.lines[0].targets == ("grace",) and back.lines[0].gave


def test_a_contact_keeps_the_lines_problems_point_at_and_no_others(vault) -> None:
    root = vault({"people/ada.md": note("Ada Lovelace", ["2026-01-05 call"], knows="[[nobody]]",
                                        company="Analytical")})
    ada = read_vault(root, use_cache=False)[0].by_id["ada"]
    assert "knows" in ada.key_lines and "name" in ada.key_lines
    assert "company" not in ada.key_lines and ada.key_lines.keys() <= LINE_KEYS



def test_a_contact_comes_back_from_the_index_with_every_field(vault) -> None:
    root = vault({"people/ada.md": note("Ada Lovelace", ["2026-01-05 call"], tier="close",
                                        company="Analytical", birthday="1815-12-10",
                                        coffee="flat white", knows="[[grace]]")})
    ada = read_vault(root, use_cache=False)[0].by_id["ada"]
    back = pickle.loads(pickle.dumps(ada, protocol=5))
    assert back == ada and type(back) is Contact
    assert (back.extra, back.key_lines) == (ada.extra, ada.key_lines)  # not part of ==
    assert back.folded_names == ("ada lovelace",)
    # a tier and a company many contacts share are one object each, not one per contact
    again = pickle.loads(pickle.dumps(ada, protocol=5))
    assert again.company is back.company and again.cadence is back.cadence
    # so are its tags, its interests and the keys of the lines problems point at
    assert again.tags is back.tags and again.interests is back.interests
    assert all(a is b for a, b in zip(again.key_lines, back.key_lines, strict=True))


def test_a_contact_s_own_keys_come_back_as_written() -> None:
    """YAML's `1:` and `true:` are equal as keys, so sharing them across contacts would turn
    one into the other; a contact's own keys come back as they were parsed."""
    one = Contact("ada", "Ada", "people/ada.md", "default", None, tags=("a", "b"),
                  extra={1: "x"}, key_lines={"name": 2})
    other = Contact("bob", "Bob", "people/bob.md", "default", None, tags=("a", "b"),
                    extra={True: "y"}, key_lines={"name": 3})
    a, b = (pickle.loads(pickle.dumps(c, protocol=5)) for c in (one, other))
    assert type(next(iter(a.extra))) is int and type(next(iter(b.extra))) is bool
    assert (a.key_lines, b.key_lines) == ({"name": 2}, {"name": 3}) and a.tags is b.tags
