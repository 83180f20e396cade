"""The kinds of interaction and the words people write for them.

A log line's first word may name its kind (``- 2026-03-01 coffee …``); the kind's weight says how
much one such interaction tells about a relationship (strength).  People write the same kind
many ways — ``zoom``, ``1:1``, ``follow-up call`` — so the vocabulary is a table of words for
each kind, which netnotes.toml's ``[kinds]`` extends; docs/format.md lists every word with its
kind's weight.  Core: no I/O, imports nothing of netnotes.
"""

from __future__ import annotations

# How much one interaction of a kind says about a relationship (used by strength in analysis).
KIND_WEIGHTS: dict[str, float] = {
    "meeting": 3.0, "dinner": 3.0, "visit": 3.0, "workshop": 3.0, "trip": 3.0,
    "lunch": 2.5, "breakfast": 2.5, "brunch": 2.5,
    "coffee": 2.0, "drinks": 2.0, "walk": 2.0, "call": 2.0, "video": 2.0, "catch-up": 2.0,
    "event": 1.5, "meetup": 1.5, "conference": 1.5, "intro": 1.5, "letter": 1.5, "gift": 1.0,
    "email": 1.0, "message": 0.5, "text": 0.5, "chat": 0.5, "like": 0.1, "comment": 0.2,
    "connected": 0.0,
}
KINDS = frozenset(KIND_WEIGHTS)
# Kinds of log line that record a date without being contact (``- 2021-03-12 connected on
# LinkedIn``, written by an import): shown in the history, never the last contact, no strength.
RECORD_KINDS = frozenset({"connected"})
DEFAULT_WEIGHT = 1.0

# Other words for a kind, as the first word of a log line.
KIND_WORDS: dict[str, str] = {
    "zoom": "video", "teams": "video", "facetime": "video", "hangout": "video",
    "videocall": "video", "webex": "video", "skype": "video",
    "phone": "call", "phonecall": "call",
    "catchup": "catch-up", "meet-up": "meetup", "1:1": "meeting", "1-1": "meeting",
    "1on1": "meeting", "one-on-one": "meeting", "mail": "email", "e-mail": "email",
    "dm": "message", "whatsapp": "message", "sms": "text",
}
# A first word that only qualifies the second (``follow-up call``, ``conference call``): the
# second word names the kind, and a video word before ``call`` makes it a video call.
KIND_MODIFIERS = frozenset({"follow-up", "followup", "quick", "short", "long", "conference",
                            "phone", "group", "team", "video", "zoom", "teams", "facetime",
                            "catch", "first", "intro", "virtual", "online"})
VIDEO_WORDS = frozenset({"video", "zoom", "teams", "facetime", "virtual", "online"})
