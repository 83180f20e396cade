"""Fixed examples of the byte editor for behaviours the property tests do not pin down: each test
would fail if the editor's rule for that case changed (they were chosen from mutants of edit.py
that the suite used to let through)."""

from __future__ import annotations

import datetime as dt

import pytest

from netnotes.edit import body, yamlvalue
from netnotes.edit import changes as edit
from netnotes.vault import parse_note

DAY = dt.date(2026, 1, 2)


def test_a_literal_block_scalar_survives_an_edit_after_it_and_becomes_one_line_when_set():
    data = b"---\nname: Ada\nbio: |\n  line one\n  line two\ntier: close\n---\nbody\n"
    assert edit.set_key(data, "tier", "critical") == data.replace(b"tier: close",
                                                                  b"tier: critical")
    assert edit.set_key(data, "bio", "short") == \
        b"---\nname: Ada\nbio: short\ntier: close\n---\nbody\n"
    assert edit.unset_key(data, "bio") == b"---\nname: Ada\ntier: close\n---\nbody\n"


def test_a_folded_block_scalar_keeps_the_blank_line_after_it():
    data = b"---\nname: Ada\nsummary: >\n  folded\n  text\n\ntier: close\n---\n"
    assert edit.set_key(data, "summary", "x") == b"---\nname: Ada\nsummary: x\n\ntier: close\n---\n"
    assert edit.set_key(data, "tier", "x") == data.replace(b"tier: close", b"tier: x")


def test_front_matter_closed_by_three_dots():
    data = b"---\nname: Ada\ntier: close\n...\nbody\n"
    assert edit.set_key(data, "tier", "critical") == data.replace(b"close", b"critical")
    assert edit.set_key(data, "role", "CTO") == \
        b"---\nname: Ada\ntier: close\nrole: CTO\n...\nbody\n"
    assert body.add_log_line(data, DAY, "call") == data + b"\n## Log\n- 2026-01-02 call\n"


def test_adding_to_an_empty_flow_list():
    data = b"---\nname: Ada\ntags: []\n---\n"
    assert edit.add_items(data, "tags", ["chess"]) == b"---\nname: Ada\ntags: [chess]\n---\n"
    assert edit.add_items(data, "tags", ["chess", "go"]) == \
        b"---\nname: Ada\ntags: [chess, go]\n---\n"


@pytest.mark.parametrize("indent", ["", "  "])
def test_a_block_list_keeps_its_own_dash_spacing(indent):
    data = f"---\nname: Ada\ntags:\n{indent}-   a\n{indent}-   b\n---\n".encode()
    assert edit.add_items(data, "tags", ["c"]) == \
        f"---\nname: Ada\ntags:\n{indent}-   a\n{indent}-   b\n{indent}-   c\n---\n".encode()


def test_line_endings_follow_the_majority_and_a_tie_goes_to_lf():
    tie = b"---\r\nname: Ada\n---\r\nbody\n"  # two CRLF, two LF
    assert edit.set_key(tie, "tier", "close") == b"---\r\nname: Ada\ntier: close\n---\r\nbody\n"
    crlf = b"---\r\nname: Ada\r\n---\r\nbody\n"  # three CRLF, one LF
    assert edit.set_key(crlf, "tier", "close") == \
        b"---\r\nname: Ada\r\ntier: close\r\n---\r\nbody\n"


def test_a_bom_inside_a_value_is_kept_and_written_escaped():
    data = "---\nname: Ada\nrole: a\ufeffb\n---\n".encode()
    assert edit.set_key(data, "tier", "close") == \
        "---\nname: Ada\nrole: a\ufeffb\ntier: close\n---\n".encode()
    assert edit.set_key(b"---\nname: Ada\n---\n", "role", "a\ufeffb") == \
        b'---\nname: Ada\nrole: "a\\ufeffb"\n---\n'


def test_tags_are_the_same_with_or_without_hash_and_in_any_case():
    data = b"---\nname: Ada\ntags: [Chess]\n---\n"
    assert edit.add_items(data, "tags", ["#chess"]) == data  # already there: nothing written
    assert edit.remove_items(data, "tags", ["#CHESS"]) == b"---\nname: Ada\ntags: []\n---\n"
    assert edit.add_items(data, "aliases", ["#chess"]) == \
        b"---\nname: Ada\ntags: [Chess]\naliases: ['#chess']\n---\n"  # only tags drop the #


def test_tags_written_as_one_comma_separated_text_are_read_as_a_list():
    data = b"---\nname: Ada\ntags: a, b\n---\n"
    assert edit.add_items(data, "tags", ["c"]) == b"---\nname: Ada\ntags: [a, b, c]\n---\n"
    assert edit.add_items(data, "tags", ["B"]) == data
    assert edit.remove_items(data, "tags", ["a"]) == b"---\nname: Ada\ntags: [b]\n---\n"
    role = b"---\nname: Ada\nemails: a@x.org, b@x.org\n---\n"  # only tags and interests split
    assert edit.add_items(role, "emails", ["c@x.org"]) == \
        b"---\nname: Ada\nemails: ['a@x.org, b@x.org', c@x.org]\n---\n"


@pytest.mark.parametrize("written", ['"close"', "'close'", "close  # tier"])
def test_setting_the_value_a_key_already_has_writes_nothing_however_it_is_quoted(written):
    data = f"---\nname: Ada\ntier: {written}\n---\n".encode()
    assert edit.set_key(data, "tier", "close") is data


def test_log_text_adds_gave_unless_the_word_itself_is_there():
    assert body.log_text("returned the #gavel", gave=True) == "returned the #gavel #gave"
    assert body.log_text("returned the #gavel #gave", gave=True) == "returned the #gavel #gave"
    assert body.log_text("lent a #gotcha", got=True) == "lent a #gotcha #got"
    assert body.log_text("  two   spaces ") == "two spaces"
    assert body.log_text("met", with_ids=["bob", "bob"]) == "met with [[bob]], [[bob]]"
    assert body.log_text("met [[bob]]", with_ids=["bob"]) == "met [[bob]]"


def test_an_edit_that_would_not_read_back_as_promised_is_refused(monkeypatch):
    data = b"---\nname: Ada\n---\n"
    monkeypatch.setattr(yamlvalue, "yaml_scalar", lambda value, flow=False: value)  # never quotes
    with pytest.raises(edit.EditRefused, match="could not make this change safely"):
        edit.set_key(data, "role", "[x]")  # plain, it reads back as a list
    with pytest.raises(edit.EditRefused, match="could not make this change safely"):
        edit.set_key(data, "role", "a: b")
    assert edit.set_key(data, "role", "CTO") == b"---\nname: Ada\nrole: CTO\n---\n"


def test_a_log_line_that_would_not_read_back_is_refused(monkeypatch):
    data = b"---\nname: Ada\n---\n\n## Log\n- 2026-01-01 call\n"
    monkeypatch.setattr(body, "_insert_after", lambda doc, line, text: doc.splice(0, 0, ""))
    with pytest.raises(edit.EditRefused, match="could not add the log line safely"):
        body.add_log_line(data, DAY, "coffee")


def test_every_edit_reads_back_as_a_note_without_problems():
    data = b"---\nname: Ada\nbio: |\n  x\ntags:\n-   a\n...\n## **Log**\n- 2026-01-01 call\n"
    for new in (edit.set_key(data, "tier", "close"), edit.add_items(data, "tags", ["b"]),
                edit.unset_key(data, "bio"), body.add_log_line(data, DAY, "coffee")):
        assert not parse_note(new, "n.md").problems


def test_a_block_scalar_set_to_one_line_starts_one_space_after_the_colon():
    data = b"---\nname: Ada\nbio:    |\n  line one\ntier: close\n---\n"
    assert edit.set_key(data, "bio", "short") == b"---\nname: Ada\nbio: short\ntier: close\n---\n"


def test_a_log_line_lost_beside_an_identical_one_is_still_noticed(monkeypatch):
    data = b"---\nname: Ada\n---\n\n## Log\n- 2026-01-02 coffee\n"
    assert body.add_log_line(data, DAY, "coffee") == data + b"- 2026-01-02 coffee\n"
    monkeypatch.setattr(body, "_insert_after", lambda doc, line, text: doc.splice(0, 0, ""))
    with pytest.raises(edit.EditRefused, match="could not add the log line safely"):
        body.add_log_line(data, DAY, "coffee")  # the same line is there, but not one more


@pytest.mark.parametrize("text", ["call\x9f", "call\x80 x", "tab\x07"])
def test_log_text_refuses_control_characters_c0_and_c1(text):
    with pytest.raises(yamlvalue.BadValue, match="control characters"):
        body.log_text(text)


def test_a_decorated_log_heading_gets_the_new_line_in_its_own_section():
    data = b"---\nname: Ada\n---\n## **Log**\n- 2026-01-01 call\n\n## Notes\nlikes tea\n"
    assert body.add_log_line(data, DAY, "coffee") == \
        b"---\nname: Ada\n---\n## **Log**\n- 2026-01-01 call\n- 2026-01-02 coffee\n\n" \
        b"## Notes\nlikes tea\n"


@pytest.mark.parametrize("bullet", ["*", "+", "  -"])
def test_a_new_log_line_is_written_like_its_neighbour(bullet):
    data = f"---\nname: Ada\n---\n## Log\n{bullet} 2026-01-01 call\n".encode()
    assert body.add_log_line(data, DAY, "coffee") == \
        data + f"{bullet} 2026-01-02 coffee\n".encode()
    first = f"---\nname: Ada\n---\n## Log\n{bullet} 2026-02-01 call\n".encode()
    assert body.add_log_line(first, DAY, "coffee") == \
        f"---\nname: Ada\n---\n## Log\n{bullet} 2026-01-02 coffee\n{bullet} 2026-02-01 call\n" \
        .encode()
