"""Words as an agenda means them: whole words and phrases, lightly stemmed, without stop words
and without what a negation rules out — so that a reason to reach out is never an accident of
spelling ("data" inside "metadata", "it" in "make it happen", "investors" in "not looking for
investors").

Pure functions of text; both sides of a match go through ``key`` (what someone offers: a field,
a company, an interest) or ``terms`` (what an agenda says), so a match is one set lookup.
Rules and their table of near-misses: docs/analysis.md, "Whole words".
"""

from __future__ import annotations

import re
from functools import lru_cache

from netnotes.core import fold

# Words that never make a match on their own (an offer made only of them is never looked for:
# a company called "The Company" is not named by "the"), kept short on purpose: words such as
# "data", "design" or "open" are what people offer.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each either else etc ever every
few for from further get gets getting got had has have having he her here hers herself him himself
his how i if in into is it its itself just let lets like make me might more most much must my
myself need needs new no nor not now of off on once one only or other our ours ourselves out over
own per re same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up us very via want wants was we were what when
where which while who whom why will with would yet you your yours yourself yourselves
""".split())

# A negation rules out the rest of its clause: "not looking for investors" names no investor.
NEGATIONS = frozenset({"not", "no", "never", "without", "nor", "none", "neither", "dont",
                       "doesnt", "didnt", "isnt", "arent", "wasnt", "wont", "cant", "cannot",
                       "nobody", "nothing"})
# … up to a clause's end: punctuation, or a word that turns it round.
_TURNS = frozenset({"but", "however", "though", "although", "except", "instead"})
_CLAUSES = re.compile(r"[,;:.!?()\[\]{}|/\n]+|\s[-–—]\s")
_WORD = re.compile(r"\w+(?:'\w+)*")


@lru_cache(maxsize=1 << 16)  # the same words recur across every agenda and offer
def stem(word: str) -> str:
    """Light stemming of one folded word: plurals and -ing/-ed endings, nothing cleverer
    (mentor, mentors, mentoring, mentored → mentor; companies → company; running → run), so
    that two different words are never made one ("news" stays "news", "analysis" stays)."""
    w = word.replace("'", "")
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("ing") and len(w) - 3 >= 4:
        return _undouble(w[:-3])
    if w.endswith("ed") and len(w) - 2 >= 4 and not w.endswith("eed"):
        return _undouble(w[:-2])
    if w.endswith("sses"):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is", "ews")):
        return w[:-1]
    return w


def _undouble(w: str) -> str:
    """running → runn → run; embedded → embedd → embed (but "staff" stays)."""
    if len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "lsz" and w[-1].isalpha():
        return w[:-1]
    return w


def _clauses(text: str) -> list[list[str]]:
    """The folded words of each clause, with what a negation rules out dropped."""
    out = []
    for clause in _CLAUSES.split(fold(text.replace("’", "'"))):
        words: list[str] = []
        negated = False
        for w in _WORD.findall(clause):
            bare = w.replace("'", "")
            if bare in _TURNS:
                negated = False
                words.append("")  # a break: no phrase runs across "but"
                continue
            if bare in NEGATIONS or w.endswith("n't"):
                negated = True
            if negated:
                continue
            words.append(w)
        out.append(words)
    return out


@lru_cache(maxsize=1 << 16)
def key(phrase: str) -> str:
    """What an offer (a field, a company, an interest) is looked up by: its words folded,
    stemmed, joined by single spaces (``"Open-Source"`` → ``"open source"``,
    ``"Mentoring"`` → ``"mentor"``); "" when it has no word that is not a stop word."""
    words = [w for clause in _clauses(phrase) for w in clause if w]
    if all(w.replace("'", "") in STOP_WORDS for w in words):
        return ""
    return " ".join(stem(w) for w in words)


def topic_key(topic: str) -> str:
    """What makes two interests or tags one topic: ``key``, or (a topic of stop words only,
    which no agenda can name) the folded text, so that two notes tagged "it" still share it."""
    return key(topic) or fold(topic)


def terms(text: str, longest: int) -> frozenset[str]:
    """Every phrase of up to ``longest`` whole words that ``text`` says, as ``key`` makes them:
    within one clause, never a phrase of stop words alone, never what a negation rules out.

    An agenda usually opens with its verb ("running a data clinic", "hiring engineers"): a
    first word ending in "-ing" is skipped, so the verb is not read as an interest in running."""
    found: set[str] = set()
    for n_clause, words in enumerate(_clauses(text)):
        if n_clause == 0 and words and words[0].endswith("ing"):
            words = words[1:]
        stems = [stem(w) if w else "" for w in words]
        stop = [(w.replace("'", "") in STOP_WORDS) if w else True for w in words]
        for n in range(1, longest + 1):
            for i in range(len(stems) - n + 1):
                part = stems[i:i + n]
                if "" in part or all(stop[i:i + n]):
                    continue
                found.add(" ".join(part))
    return frozenset(found)


def says(text: str, phrase: str) -> bool:
    """Whether ``text`` names ``phrase`` as whole words (the rules above)."""
    k = key(phrase)
    return bool(k) and k in terms(text, len(k.split()))
