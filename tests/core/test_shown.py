"""json_safe_utf8 answers, from a report's UTF-8 bytes, whether json_safe would change the text:
it must agree with json_safe for every character there is, wherever it stands."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from netnotes.core.shown import json_safe, json_safe_utf8


def test_json_safe_utf8_agrees_with_json_safe_for_every_character():
    # Every character of up to three UTF-8 bytes that starts with a byte up to 0xE2 (the last
    # one a character to escape starts with), and some of the rest.
    for n in [*range(0x3000), 0xFEFF, 0xFFFD, 0x1F600, 0x10FFFF]:
        text = f'"“{chr(n)}”"'  # “ and ” start with the byte the bidi characters start with
        assert json_safe_utf8(text.encode()) == (json_safe(text) == text), hex(n)


@settings(max_examples=300, deadline=None)
@given(st.text(st.one_of(st.sampled_from("\x7f\x9b\u202e\u2066\u2028“”—…é"),
                         st.characters(blacklist_categories=("Cs",)))))
def test_json_safe_utf8_agrees_with_json_safe_on_any_text(text: str):
    assert json_safe_utf8(text.encode()) == (json_safe(text) == text)
