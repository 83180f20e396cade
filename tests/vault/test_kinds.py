"""The words people write for a kind of interaction: read as that kind, weighed as it, listed
in docs/format.md with the weight, and extended by netnotes.toml's [kinds]."""

from __future__ import annotations

import re

import pytest
from conftest import REPO, note

from netnotes.core import KIND_WEIGHTS, KIND_WORDS, parse_config
from netnotes.vault.interactions import kind_of_text, scan


@pytest.mark.parametrize("text, kind", [
    ("meetup in Berlin", "meetup"), ("follow-up call about the grant", "call"),
    ("conference call with the board", "call"), ("zoom", "video"), ("Zoom call", "video"),
    ("video call", "video"), ("catch-up over tea", "catch-up"), ("catch up", "catch-up"),
    ("1:1 with Kenji", "meeting"), ("phone", "call"), ("quick lunch", "lunch"),
    ("conference talk", "conference"), ("intro to [[bo]]", "intro"), ("intro call", "call"),
    ("calls", "call"), ("Coffee: the station", "coffee"), ("brunch", "brunch"),
    ("video workshop on palettes", "video"), ("zoom workshop", "workshop"),
    ("catch the train", None), ("follow-up", None), ("banana bread", None),
])
def test_everyday_words_name_their_kind(text, kind):
    assert kind_of_text(text) == kind
    found, _ = scan(f"- 2026-03-01 {text}\n", "x.md", 1, log_headings=None)
    assert found[0].kind == kind


def test_the_docs_list_every_kind_with_its_weight_and_words():
    text = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\s*\| `([^`]+)` \| ([\d.]+) \| (.*) \|$", text, re.M)
    listed = {kind: (float(weight), set(re.findall(r"`([^`]+)`", words)))
              for kind, weight, words in rows}
    assert listed == {k: (w, {x for x, v in KIND_WORDS.items() if v == k})
                      for k, w in KIND_WEIGHTS.items()}


def test_netnotes_toml_adds_words(vault, run):
    config, problems = parse_config('[kinds]\nStandup = "meeting"\nsync = "call"\n')
    assert problems == [] and config.kind_words == {"standup": "meeting", "sync": "call"}
    config, problems = parse_config('[kinds]\nstandup = "ritual"\n')
    assert config.kind_words is None
    assert problems[0].severity == "error" and "'ritual' is not a kind" in problems[0].message
    root = vault({"people/ada.md": note("Ada", ["2026-03-01 standup", "2026-03-02 sync"])},
                 toml='[kinds]\nstandup = "meeting"\nsync = "call"\n')
    shown = run(root, "show", "ada").stdout
    assert "1 × meeting" in shown and "1 × call" in shown
