"""The memo in .netnotes/memo.sqlite: after a few notes changed, `netnotes report` and
`netnotes overdue` work out again only the contacts those notes touch — and print, byte for
byte, what `netnotes --no-cache report` prints, whatever happened in between."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import pickle
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, TODAY, note

import netnotes.analysis.network
import netnotes.render.report
import netnotes.vault.files
from netnotes.render import Reporter, build_report
from netnotes.render.report import whole as joined
from netnotes.store import answers, engine, memo, read_vault
from netnotes.vault import records as index

MEMO = Path(".netnotes") / memo.FILE
ANSWERS = Path(".netnotes") / answers.ANSWERS
OUTPUTS = (("report",), ("report", "--format", "markdown"), ("report", "--format", "json"),
           ("overdue",), ("overdue", "--format", "json"))


# --- the people of these stories ------------------------------------------------------------------

@dataclasses.dataclass
class Person:
    name: str
    fields: dict[str, str]
    log: list[str]
    broken: bool = False

    def text(self) -> str:
        text = note(self.name, self.log, **self.fields)
        # An unclosed list where the name should be: the note cannot be read, and is skipped.
        return text.replace("name: ", "name: [", 1) if self.broken else text


def cast() -> dict[str, Person]:
    """Nine people (tiers, overdue and due soon, birthdays coming up, a snooze, a plan, agendas
    and interests that suggest introductions, who knows whom) with some history between
    them."""
    return {
        "people/ada.md": Person("Ada Lovelace", {
            "tier": "close", "field": "mathematics", "interests": "[chess, engines]",
            "agenda": "needs compilers advice for the engine", "birthday": "1815-12-10"}, [
            "2026-01-05 coffee with [[grace]]", "2026-06-01 intro [[grace]] to [[hedy]] #gave",
            "2026-09-01 call #got"]),
        "people/grace.md": Person("Grace Hopper", {
            "tier": "critical", "field": "compilers", "interests": "[navy, chess]",
            "knows": "[[ada]]", "role": "Rear Admiral"}, [
            "2025-03-01 call #got", "2026-10-01 lunch with [[alan]]"]),
        "people/alan.md": Person("Alan Turing", {
            "interests": "[chess, cryptography]", "snooze_until": "2026-12-01",
            "role": "Reader"}, ["2024-07-01 lunch"]),
        "people/hedy.md": Person("Hedy Lamarr", {
            "tier": "close", "field": "radio", "birthday": "1914-12-01",
            "agenda": "a partner in cryptography for frequency hopping"}, [
            "2025-11-01 call #gave"]),
        "people/edsger.md": Person("Edsger Dijkstra", {
            "tier": "network", "field": "compilers", "introduced_by": "[[grace]]",
            "met_via": "intro"}, ["2026-02-02 email"]),
        "people/barbara.md": Person("Barbara Liskov", {
            "tier": "critical", "company": "MIT", "role": "Professor",
            "interests": "[cryptography]"}, []),
        "people/katherine.md": Person("Katherine Johnson", {
            "tier": "archive", "field": "mathematics"}, ["2020-01-01 call"]),
        "people/john.md": Person("John Backus", {
            "tier": "critical", "field": "compilers", "interests": "[chess]"}, [
            "2026-03-01 coffee #gave", "2026-12-02 lunch planned"]),
        "people/frances.md": Person("Frances Allen", {
            "tier": "close", "company": "IBM"}, ["2026-05-30 call with [[john]] #got"]),
    }


JOURNAL = {
    "journal/2026-02-01.md": "- met [[Ada Lovelace]] and [[alan]]\n",
    "journal/2026-06-10 radio day.md": "- intro [[hedy]] to [[barbara]] about radios #gave\n"
                                       "- lunch with [[edsger]] #got\n",
    "journal/notes.md": "- 2026-03-03 call with [[katherine]]\n"
                        "- 2026-04-04 coffee [[grace]] [[edsger]] #gave\n",
}


class Vault:
    """The vault on disk and the people in it.  Every write gives the file an mtime of its own,
    so that no edit can hide behind an equal stat when stats are trusted (``settled``)."""

    def __init__(self, root: Path, people: dict[str, Person]):
        self.root, self.people, self.ticks = root, people, 0

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        self.ticks += 1
        when = (1_700_000_000 + self.ticks) * 10**9
        os.utime(path, ns=(when, when))

    def save(self, rel: str) -> None:
        self.write(rel, self.people[rel].text())

    def append(self, rel: str, line: str) -> None:
        if rel in self.people:
            self.people[rel].log.append(line)
            self.save(rel)
        else:
            self.write(rel, (self.root / rel).read_text(encoding="utf-8") + f"- {line}\n")


@pytest.fixture
def story(vault) -> Vault:
    people = cast()
    root = vault({})
    v = Vault(root, people)
    for rel in people:
        v.save(rel)
    for rel, text in JOURNAL.items():
        v.write(rel, text)
    return v


@pytest.fixture
def settled(monkeypatch):
    """As if every note had been written well before the run, the way notes are in use: a stat
    is trusted at once (vault.needs_digest), so an unchanged note really is left unread.
    (Without this, a note written in the last 3 s is read again on every run.)"""
    monkeypatch.setattr(netnotes.vault.files, "RACY_NS", -3600 * 10**9)


class Spy:
    """How each cached report was made: from the memo (``served``) or whole (``whole``)."""

    def __init__(self, monkeypatch):
        self.served = self.whole = 0
        real_remembered, real_whole = memo.remembered, memo.made_whole

        def remembered(*args, **kwargs):
            made = real_remembered(*args, **kwargs)
            self.served += made is not None
            return made

        def made_whole(*args, **kwargs):
            self.whole += 1
            return real_whole(*args, **kwargs)

        monkeypatch.setattr(memo, "remembered", remembered)
        monkeypatch.setattr(memo, "made_whole", made_whole)


@pytest.fixture
def spy(monkeypatch) -> Spy:
    return Spy(monkeypatch)


def forget_answers(root: Path) -> None:
    """The finished answers would answer an unchanged vault before the memo is asked."""
    shutil.rmtree(root / ANSWERS, ignore_errors=True)


def same_as_no_cache(run, root: Path, *args: str, today: dt.date = TODAY) -> str:
    forget_answers(root)
    cached = run(root, *args, today=today)
    whole = run(root, "--no-cache", *args, today=today)
    assert (cached.stdout, cached.stderr, cached.exit_code) == \
        (whole.stdout, whole.stderr, whole.exit_code), args
    return cached.stdout


def every_output_same(run, root: Path, today: dt.date = TODAY, start: int = 0) -> None:
    for args in OUTPUTS[start:] + OUTPUTS[:start]:
        same_as_no_cache(run, root, *args, today=today)


def library_report(root: Path, fmt: str = "text", **kw) -> str:
    return joined(memo.report(engine.snapshot(root), TODAY, fmt, lambda: read_vault(root)[0],
                              **kw)[0])


def whole_report(root: Path, fmt: str = "text", **kw) -> str:
    return build_report(read_vault(root, use_cache=False)[0], TODAY, fmt, **kw)


# --- 1. invisible -------------------------------------------------------------------------------

NAMES = ["Radia Perlman", "Frances Allen", "John Backus", "Margaret Hamilton", "Ada Lovelace"]


def random_walk(story: Vault, seed: int, steps: int, check) -> None:
    """``steps`` random edits of the vault, each followed by ``check(step)``."""
    rng = random.Random(seed)
    people = story.people

    def day() -> str:
        return f"{rng.choice([2025, 2026])}-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"

    def someone() -> str:
        return Path(rng.choice(sorted(people))).stem

    for step in range(steps):
        rel = rng.choice(sorted(people))
        p = people[rel]
        action = rng.choice(["log", "log", "log", "log", "unlog", "link", "field", "field",
                             "shape", "delete", "add", "rename", "journal", "journal", "break",
                             "fix", "nothing"])
        if action == "log":
            story.append(rel, f"{day()} {rng.choice(['call', 'coffee', 'email', 'walk'])}"
                              f"{rng.choice(['', ' #gave', ' #got'])}")
        elif action == "unlog" and p.log:
            p.log.pop(rng.randrange(len(p.log)))
            story.save(rel)
        elif action == "link":
            story.append(rel, f"{day()} coffee with [[{someone()}]]{rng.choice(['', ' #gave'])}")
        elif action == "field":
            key = rng.choice(["tier", "snooze_until", "birthday", "role", "cadence", "history",
                              "met", "emails"])
            value = rng.choice({
                "tier": ["critical", "close", "network", "archive", "nope"],
                "snooze_until": ["2026-11-30", "2027-01-15", "2025-01-01"],
                "birthday": ["1815-12-10", "12-01", "1990-11-25", "1970-06-06", "1990-02-30"],
                "role": ["CTO", "Professor", "Reader"],
                "cadence": ["3 months", "2 weeks", "never", "often"],
                "history": ["[{company: Acme, role: CTO, until: 2026-06-30}]", "[oops]"],
                "met": ["2020-01-01", "2027-01-01"],
                "emails": ["[a@example.org]", "[b@example.org, a@example.org]"]}[key])
            if rng.random() < .25:
                p.fields.pop(key, None)
            else:
                p.fields[key] = value
            story.save(rel)
        elif action == "shape":
            key = rng.choice(["name", "interests", "agenda", "field", "aliases", "tags",
                              "company", "location", "knows"])
            if key == "name":
                p.name = rng.choice(NAMES)
            else:
                p.fields[key] = rng.choice({
                    "interests": ["[chess]", "[radio, cryptography]"],
                    "agenda": ["hire for compilers", "learn chess"],
                    "field": ["radio", "compilers", "law"],
                    "aliases": ["[Countess]", "[Amazing Grace]"],
                    "tags": ["[chess]", "[navy]"],
                    "company": ["MIT", "Navy", "Acme"],
                    "location": ["London", "Boston"],
                    "knows": [f'["[[{someone()}]]"]']}[key])
            story.save(rel)
        elif action == "delete" and len(people) > 3:
            del people[rel]
            (story.root / rel).unlink()
        elif action == "add":
            new = f"people/n{step}.md"
            people[new] = Person(rng.choice(NAMES), {"tier": "close", "interests": "[chess]"},
                                 [f"{day()} lunch with [[{someone()}]]"])
            story.save(new)
        elif action == "rename":
            new = f"people/r{step}.md"
            (story.root / rel).rename(story.root / new)
            people[new] = people.pop(rel)
        elif action == "journal":
            journal = sorted(str(p.relative_to(story.root)) for p in
                             (story.root / "journal").glob("*.md"))
            target = rng.choice([*journal, f"journal/2026-0{rng.randint(1, 9)}-15.md"])
            line = f"{day()} met [[{someone()}]]" + rng.choice(["", f" and [[{someone()}]]"]) \
                + rng.choice(["", " #gave", " #got"])
            if (story.root / target).exists():
                story.append(target, line)
            else:
                story.write(target, f"- {line}\n")
        elif action == "break":
            p.broken = True
            story.save(rel)
        elif action == "fix":
            for q, person in people.items():
                if person.broken:
                    person.broken = False
                    story.save(q)
        check(step)


@pytest.mark.parametrize("seed", [11])
def test_memo_is_invisible_under_random_edits_of_fresh_notes(story, run, spy, seed):
    """Edits at a script's speed: every note is too fresh for its stat to count, so each run
    reads every note again — the memo must still never differ from a whole report, in any
    format, after any step."""

    def check(step: int) -> None:
        # Each step starts with the output the last one ended with (whose renderings are kept).
        every_output_same(run, story.root, start=step * (len(OUTPUTS) - 1) % len(OUTPUTS))

    random_walk(story, seed, 30, check)
    assert spy.served > 30  # many runs really went through the memo


@pytest.mark.parametrize("seed", [1, 2])
def test_memo_is_invisible_under_random_edits_of_settled_notes(story, run, spy, settled, seed):
    """The same walk with stats trusted, as when notes are edited by hand: only the changed
    notes (and those about the same people) are read, the rest comes from the memo.  A memo
    keeps the renderings of the one format it was last made whole in, so every step asks for
    one format (runs from the memo one after the other), and every third step for all of them,
    that one first and the next one to ask for last."""
    primary = 0

    def check(step: int) -> None:
        nonlocal primary
        if step % 3 == 2:
            every_output_same(run, story.root, start=primary)
            primary = (primary - 1) % len(OUTPUTS)
        else:
            same_as_no_cache(run, story.root, *OUTPUTS[primary])

    random_walk(story, seed, 45, check)
    assert spy.served > 15


# --- 2. a log line: answered from the memo --------------------------------------------------------

@pytest.mark.parametrize("args", [("report",), ("report", "--format", "markdown"),
                                  ("report", "--format", "json"), ("overdue",)])
def test_a_new_log_line_is_answered_without_making_the_report_whole(story, run, settled,
                                                                    monkeypatch, args):
    same_as_no_cache(run, story.root, *args)  # the memo is made
    story.append("people/alan.md", "2026-11-20 call about the bombe #got")
    read = []
    real_read_one = index.read_one

    def read_one(note_file, config):
        read.append(note_file.rel)
        return real_read_one(note_file, config)

    def whole(*a, **k):
        raise AssertionError("the report was made whole")

    monkeypatch.setattr(index, "read_one", read_one)
    monkeypatch.setattr(memo, "made_whole", whole)
    out = same_as_no_cache(run, story.root, *args)
    text, skipped = memo.remembered(
        engine.snapshot(story.root), TODAY,
        args[args.index("--format") + 1] if "--format" in args else "text",
        section="overdue" if args[0] == "overdue" else None)
    assert (joined(text), skipped) == (out, ())
    # Only the notes about Alan were read again: his own, Grace's lunch, the journal's meeting.
    assert "people/alan.md" in read
    assert set(read) <= {"people/alan.md", "people/grace.md", "journal/2026-02-01.md"}


def test_log_lines_over_many_runs_stay_answered_by_the_memo(story, run, settled, spy):
    """A week of logging: each day's line is a memo run, and each matches a whole report."""
    same_as_no_cache(run, story.root, "report")
    who = ["alan", "hedy", "katherine", "barbara", "ada", "edsger", "grace"]
    for day, name in enumerate(who, start=14):
        story.append(f"people/{name}.md", f"2026-11-{day} coffee #gave")
        same_as_no_cache(run, story.root, "report")
    assert spy.served == len(who) and spy.whole == 1


# --- 3. the shape changed: made whole -------------------------------------------------------------

def rename_person(v: Vault) -> None:
    v.people["people/alan.md"].name = "Alan M. Turing"
    v.save("people/alan.md")


def add_person(v: Vault) -> None:
    v.people["people/radia.md"] = Person("Radia Perlman", {"tier": "close"}, ["2026-05-05 call"])
    v.save("people/radia.md")


def delete_person(v: Vault) -> None:
    del v.people["people/hedy.md"]
    (v.root / "people/hedy.md").unlink()


def rename_file(v: Vault) -> None:
    (v.root / "people/edsger.md").rename(v.root / "people/ewd.md")


def new_tie(v: Vault) -> None:
    v.append("people/katherine.md", "2026-11-01 lunch with [[barbara]]")  # they never met


def new_agenda(v: Vault) -> None:
    v.people["people/alan.md"].fields["agenda"] = "find a radio expert"
    v.save("people/alan.md")


def new_field(v: Vault) -> None:
    v.people["people/barbara.md"].fields["field"] = "compilers"
    v.save("people/barbara.md")


def no_cadence(v: Vault) -> None:
    v.people["people/grace.md"].fields["tier"] = "archive"  # no cadence: not an active contact
    v.save("people/grace.md")


def broken_note(v: Vault) -> None:
    v.people["people/ada.md"].broken = True
    v.save("people/ada.md")


@pytest.mark.parametrize("change", [rename_person, add_person, delete_person, rename_file,
                                    new_tie, new_agenda, new_field, no_cadence, broken_note])
def test_a_change_to_the_shape_makes_the_report_whole(story, run, settled, spy, change):
    every_output_same(run, story.root)
    spy.whole = 0
    change(story)
    same_as_no_cache(run, story.root, "report", "--format", "json")
    assert spy.whole == 1
    every_output_same(run, story.root)


def test_a_broken_note_mended_again_is_correct(story, run, settled):
    broken_note(story)
    every_output_same(run, story.root)
    story.people["people/ada.md"].broken = False
    story.save("people/ada.md")
    every_output_same(run, story.root)


def test_a_note_that_stays_broken_changes_only_its_problems(story, run, settled, spy):
    """A note that cannot be read as a contact, edited again and still broken: the memo answers,
    with that note's new problems and the same skipped warning as a whole report."""
    broken_note(story)
    every_output_same(run, story.root)
    spy.whole = spy.served = 0
    story.append("people/ada.md", "2026-11-20 call: still broken above")
    every_output_same(run, story.root)
    assert spy.whole == 0 and spy.served == len(OUTPUTS)


# --- problems, links by name, notes that share a file name -------------------------------------

def test_problems_come_and_go_with_the_lines_that_make_them(story, run, settled, spy):
    """A link to nobody, a date that does not exist, a bad birthday: each edit is a memo run,
    and the problems (and the exit code and stderr) are those of a whole report."""
    every_output_same(run, story.root)
    steps = [
        ("people/alan.md", "2026-11-01 call with [[nobody]]"),
        ("journal/notes.md", "2026-02-30 coffee with [[hedy]]"),
        ("journal/notes.md", "2026-11-02 met [[Nobody At All]]"),
        ("people/hedy.md", "2026-11-03 call #gave #got"),
    ]
    for rel, line in steps:
        story.append(rel, line)
        for args in (("report", "--format", "json"), ("overdue", "--format", "json"),
                     ("check",)):
            same_as_no_cache(run, story.root, *args)
    story.people["people/alan.md"].fields["birthday"] = "1912-02-30"
    story.save("people/alan.md")
    same_as_no_cache(run, story.root, "report", "--format", "json")
    served = spy.served
    story.people["people/alan.md"].fields.pop("birthday")
    for rel in ("people/alan.md", "people/hedy.md"):  # the lines taken out again
        story.people[rel].log = story.people[rel].log[:1]
        story.save(rel)
        same_as_no_cache(run, story.root, "report", "--format", "json")
    story.write("journal/notes.md", JOURNAL["journal/notes.md"])
    out = same_as_no_cache(run, story.root, "report", "--format", "json")
    assert spy.served > served + 2
    assert '"problems": []' in out


def test_links_by_name_and_alias_in_an_edited_note(story, run, settled, spy):
    story.people["people/grace.md"].fields["aliases"] = "[Amazing Grace]"
    story.save("people/grace.md")
    every_output_same(run, story.root)
    spy.served = 0
    for line in ("2026-11-05 dinner with [[Amazing Grace]]", "2026-11-06 call [[grace hopper]]",
                 "2026-11-07 met [[Grace-Hopper]] #got", "2026-11-08 walk with [[Ada]]"):
        story.append("journal/2026-02-01.md", line)
        same_as_no_cache(run, story.root, "report")
    assert spy.served >= 3


def test_two_notes_with_one_file_name(story, run, settled, spy):
    """people/old/ada.md has the id of people/ada.md, so it is skipped (an error); edits to
    either note, and to the notes about Ada, come out as a whole report would have them."""
    story.people["people/old/ada.md"] = Person("Ada King", {"tier": "close"},
                                               ["2024-01-01 call with [[grace]]"])
    story.save("people/old/ada.md")
    every_output_same(run, story.root)
    for rel, line in [("people/ada.md", "2026-11-02 tea"), ("people/old/ada.md", "2026-11-03 x"),
                      ("journal/2026-02-01.md", "2026-11-04 met [[ada]]"),
                      ("people/ada.md", "2026-11-05 walk")]:
        story.append(rel, line)
        every_output_same(run, story.root)


# --- 4. a damaged memo ----------------------------------------------------------------------------

def plant(db: Path, place: str, value: bytes) -> None:
    """Write ``value`` into every blob of one place of the memo: a row of ``meta``, or the
    blob column of a table."""
    with sqlite3.connect(db) as conn:
        if place in ("hot", "hot:rest", "shape"):
            conn.execute("UPDATE meta SET value = ? WHERE key = ?", (value, place))
            return
        blobs = [row[1] for row in conn.execute(f"PRAGMA table_info({place})")
                 if row[2].upper() == "BLOB"]
        assert blobs, place
        for column in blobs:
            conn.execute(f"UPDATE {place} SET {column} = ?", (value,))
    conn.close()


class Evil:
    """Unpickled, it leaves a file behind."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "bad-mac", "hot", "hot:rest",
                                    "shape", "notes", "units", "frags", "bare-pickle"])
def test_a_damaged_memo_gives_the_right_report_and_is_made_again(story, run, settled, spy,
                                                                 tmp_path, damage):
    same_as_no_cache(run, story.root, "report")
    db = story.root / MEMO
    assert db.exists()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    marker = tmp_path / "unpickled"
    evil = pickle.dumps(Evil(marker))
    pickle.loads(evil)  # what the planted blob would do, were it ever unpickled
    assert marker.exists()
    marker.unlink()
    data = db.read_bytes()
    if damage == "truncated":
        db.write_bytes(data[: len(data) // 3])
    elif damage == "garbage":
        db.write_bytes(b"this is not a memo\n" * 300)
    elif damage == "empty":
        db.write_bytes(b"")
    elif damage == "bad-mac":  # one byte of the hot blob flipped
        with sqlite3.connect(db) as conn:
            (hot,) = conn.execute("SELECT value FROM meta WHERE key = 'hot'").fetchone()
        conn.close()
        plant(db, "hot", hot[:-1] + bytes([hot[-1] ^ 1]))
    elif damage == "bare-pickle":  # no MAC at all
        plant(db, "notes", evil)
    else:  # a pickle behind a MAC of zeros, where we keep one
        plant(db, damage, b"\0" * 16 + evil)
    story.append("people/alan.md", "2026-11-20 call #got")  # so rows of the notes are read
    spy.served = spy.whole = 0
    same_as_no_cache(run, story.root, "report")
    assert not marker.exists()
    assert (spy.served, spy.whole) == (0, 1)
    # Made again: the next run is answered from it.
    story.append("people/alan.md", "2026-11-21 walk")
    same_as_no_cache(run, story.root, "report")
    assert (spy.served, spy.whole) == (1, 1)
    every_output_same(run, story.root)
    assert not marker.exists()


def test_a_memo_of_an_older_netnotes_is_made_again(story, run, settled, spy):
    same_as_no_cache(run, story.root, "report")
    with contextlib.closing(sqlite3.connect(story.root / ".netnotes" / memo.FILE)) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (b"1",))
        db.commit()
    story.append("people/alan.md", "2026-11-20 call")
    spy.whole = spy.served = 0
    same_as_no_cache(run, story.root, "report")
    assert (spy.served, spy.whole) == (0, 1)
    story.append("people/alan.md", "2026-11-21 call")
    same_as_no_cache(run, story.root, "report")
    assert spy.served == 1


@pytest.mark.parametrize("when", ["remembered", "whole"])
def test_a_memo_written_by_a_killed_process_gives_correct_reports(story, run, settled, when):
    """A process killed while it writes the memo (SIGKILL, no cleanup: SQLite's journal undoes
    the half-written transaction) leaves a memo the next run uses correctly or makes again."""
    same_as_no_cache(run, story.root, "report")
    story.append("people/alan.md", "2026-11-20 call")
    if when == "whole":
        new_agenda(story)
    forget_answers(story.root)
    child = (
        "import os, signal, sys\n"
        "import netnotes.vault.files\n"
        "netnotes.vault.files.RACY_NS = -3600 * 10**9\n"
        "from netnotes.store import memo\n"
        "from netnotes.cli import main\n"
        "real = memo._Memo.seal\n"
        "calls = [0]\n"
        "def dying(self, *args, **kwargs):\n"
        "    calls[0] += 1\n"
        "    if calls[0] == 3 and self.conn.in_transaction:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return real(self, *args, **kwargs)\n"
        "memo._Memo.seal = dying\n"
        "sys.argv = ['netnotes', '--vault', sys.argv[1], '--today', '2026-11-22', 'report']\n"
        "main()\n"
    )
    env = os.environ | {"PYTHONPATH": str(REPO / "src")}
    proc = subprocess.run([sys.executable, "-c", child, str(story.root)], env=env,
                          capture_output=True)
    assert proc.returncode == -9, proc.stderr.decode()
    every_output_same(run, story.root)
    story.append("people/alan.md", "2026-11-21 call")
    every_output_same(run, story.root)


def test_a_memo_folder_that_cannot_be_written_still_answers(story, run):
    (story.root / ".netnotes").mkdir()
    (story.root / MEMO).mkdir()  # a folder where the file should be
    every_output_same(run, story.root)


# --- 5. another date, another config, templates of the vault's own ----------------------------

def test_another_day_is_another_report(story, run, settled, spy):
    """The memo is for one day: the first report of another day is made whole (and becomes
    the memo), the next one of that day comes from it."""
    same_as_no_cache(run, story.root, "report")
    for k, offset in enumerate((1, 40, -300, 0, 1)):
        day = TODAY + dt.timedelta(days=offset)
        spy.whole = spy.served = 0
        same_as_no_cache(run, story.root, "report", today=day)
        assert (spy.served, spy.whole) == (0, 1)
        story.append("people/hedy.md", f"2025-0{k + 1}-02 call")
        same_as_no_cache(run, story.root, "report", today=day)
        assert (spy.served, spy.whole) == (1, 1)
        every_output_same(run, story.root, today=day)


def test_a_new_day_keeps_the_shape_and_the_grounds(story, run, settled, monkeypatch):
    """Another day changes every contact's dated figures, but not who knows whom or what their
    agendas ask for: the first report of a new day works out the shape and the grounds only if
    a note changed them since."""
    same_as_no_cache(run, story.root, "report")
    made = []
    real = netnotes.analysis.network.network_shape
    monkeypatch.setattr(netnotes.analysis.network, "network_shape",
                        lambda *a, **k: made.append(1) or real(*a, **k))
    for offset, change in ((1, None), (2, "log"), (3, "shape")):
        made.clear()
        if change == "log":
            story.append("people/hedy.md", "2026-11-20 call")
        elif change == "shape":
            new_agenda(story)
        forget_answers(story.root)
        day = TODAY + dt.timedelta(days=offset)
        cached = run(story.root, "report", today=day)
        assert len(made) == (1 if change == "shape" else 0), change
        assert cached.stdout == run(story.root, "--no-cache", "report", today=day).stdout


def kept_notes_and_names(root: Path) -> tuple[dict[str, memo.NoteMemo], dict[str, str]]:
    m = memo._Memo.open(root, Reporter())
    try:
        assert m.hot() is not None
        rels = sorted(str(p.relative_to(root)) for p in root.rglob("*.md")
                      if ".netnotes" not in p.parts)
        return m.notes(rels), dict(m.names())
    finally:
        m.close()


def test_a_new_day_keeps_what_each_unchanged_note_gave(story, run, settled, monkeypatch):
    """What a note touches, gives and adds to the shape does not depend on the date: the first
    report of a new day takes it from the memo for every note unchanged since, and the memo it
    leaves is the one a report made from nothing would leave."""
    same_as_no_cache(run, story.root, "report")
    worked_out = []
    real = memo.note_memo
    monkeypatch.setattr(memo, "note_memo", lambda *a: worked_out.append(a[2]) or real(*a))
    story.append("people/hedy.md", "2026-11-20 call #gave")  # the shape stays as it was
    day = TODAY + dt.timedelta(days=3)
    forget_answers(story.root)
    same_as_no_cache(run, story.root, "report", today=day)
    assert len(worked_out) == 1  # hedy's note only
    reused = kept_notes_and_names(story.root)
    (story.root / MEMO).unlink()
    forget_answers(story.root)
    same_as_no_cache(run, story.root, "report", today=day)
    assert len(worked_out) > 10
    assert kept_notes_and_names(story.root) == reused
    story.append("people/alan.md", "2026-11-21 coffee with [[hedy]]")  # served from it
    every_output_same(run, story.root, today=day)


@pytest.mark.parametrize("toml", [
    '[me]\nname = "Sam"\nfield = "compilers"\ninterests = ["cryptography"]\n',
    '[tiers]\nvip = "2 months"\nclose = "1 year"\narchive = "never"\n'
    '[report]\ndefault_tier = "vip"\ndue_soon_days = 60\nbirthday_days = 90\n',
    '[report]\nbirthday_days = 5\n',
    '[vault]\njournal = "people"\n',  # no journal folder of its own
])
def test_another_config_is_another_report(story, run, settled, spy, toml):
    same_as_no_cache(run, story.root, "report")
    story.write("netnotes.toml", toml)
    spy.whole = spy.served = 0
    same_as_no_cache(run, story.root, "report")
    assert (spy.served, spy.whole) == (0, 1)
    story.append("people/alan.md", "2026-11-11 coffee")
    same_as_no_cache(run, story.root, "report")
    assert (spy.served, spy.whole) == (1, 1)
    every_output_same(run, story.root)


def test_a_config_that_cannot_be_read_is_refused_as_without_the_memo(story, run):
    every_output_same(run, story.root)
    story.write("netnotes.toml", "[report]\nbirthday_days = nope\n")
    every_output_same(run, story.root)
    story.write("netnotes.toml", "")
    every_output_same(run, story.root)


def test_templates_of_the_vault_are_rendered_whole(story, run, settled):
    """A vault's own template may read more than its argument in a loop over contacts (here
    the count of everyone overdue), so none of its renderings are kept."""
    every_output_same(run, story.root)
    template = ("{% macro line(c) %}{{ c.name }}: {{ c.tier }}, one of {{ overdue|length }} "
                "overdue\n{% endmacro %}{{ contacts|each(line) }}")
    story.write("templates/report.txt.j2", template)
    out = same_as_no_cache(run, story.root, "report")
    assert "Alan Turing: network, one of" in out
    for name in ("john", "barbara", "frances"):  # overdue or due soon, now called
        story.append(f"people/{name}.md", "2026-11-20 call")
        every_output_same(run, story.root)
    story.write("templates/report.txt.j2", template.replace("one of", "among"))
    assert "among" in same_as_no_cache(run, story.root, "report")
    (story.root / "templates/report.txt.j2").unlink()
    every_output_same(run, story.root)


def test_a_whole_report_keeps_each_contacts_renderings_and_not_its_row(story):
    """A whole report renders each row as soon as it is made (report.row_renderer) and keeps
    only that: every contact's relationship line, the overdue line of those overdue, the due
    line of those due soon; and, in JSON, every contact's text.  The report is the same."""
    from netnotes.render import report
    from netnotes.render.fragments import Kept, Store

    vault = read_vault(story.root)[0]
    whole = report.report_inputs(vault, TODAY)
    rows = {u.facts.id: u.row for u in whole.units}
    late = {f.id for f in report.overdue_of([u.facts for u in whole.units], vault.config)}
    soon = {f.id for f in report.due_soon_of([u.facts for u in whole.units], vault.config,
                                             TODAY)}
    assert late and soon
    for fmt in ("text", "markdown", "json"):
        for section in (None, "overdue"):
            keep = Store()
            render_rows = report.row_renderer(fmt, story.root, vault.config, TODAY, keep,
                                              section=section)
            got = report.report_inputs(vault, TODAY, render_rows=render_rows)
            assert all(type(u.row) is Kept for u in got.units)
            given: dict[str, dict[str, object]] = {cid: {} for cid in rows}
            for name, kept in keep.found.by_name.items():
                for cid, text in kept.items():
                    given[cid][name] = text
            for cid, texts in given.items():
                if fmt == "json":
                    assert texts.keys() == {"json"}
                    continue
                want = {"overdue_row"} if cid in late else set()
                if section is None:
                    want |= {"relationship_row"} | ({"due_row"} if cid in soon else set())
                assert texts.keys() == want, (fmt, section, cid)
            assert library_report(story.root, fmt, section=section) == \
                whole_report(story.root, fmt, section=section)
            forget_answers(story.root)
            memo.forget(story.root)


def test_rows_rendered_for_another_macro_than_the_template_asks_still_give_the_report(
        story, monkeypatch):
    """Renderings are kept under the name of the macro that made them, so a template that
    asks a list for another macro than render.ROW_MACROS says finds none: the report is then
    made from the rows, never from the wrong lines."""
    from netnotes.render import environment as render

    monkeypatch.setattr(render, "ROW_MACROS", {"overdue": "due_row", "due_soon": "due_row",
                                               "contacts": "overdue_row"})
    passes = []
    real_inputs = netnotes.render.report.report_inputs

    def report_inputs(*args, render_rows=None, **kwargs):
        passes.append(render_rows is not None)
        return real_inputs(*args, render_rows=render_rows, **kwargs)

    monkeypatch.setattr(netnotes.render.report, "report_inputs", report_inputs)
    for fmt in ("text", "markdown"):
        assert library_report(story.root, fmt) == whole_report(story.root, fmt)
        memo.forget(story.root)
    # each report made twice: with its rows rendered at once, then from the rows
    assert passes == [True, False] * 4


def test_the_lists_of_rows_are_the_templates_own(story):
    """render.ROW_MACROS says which macro each list of contacts is rendered with: what the
    built-in templates loop over with |each (whole, or its first ``limit``).  The strongest
    are contacts too, rendered with the same macro as every contact's row."""
    import re

    from netnotes.render import environment as render
    from netnotes.vault import builtin_templates

    for fmt in render.ROWS:
        source = (builtin_templates() / render.FORMATS[fmt]).read_text()
        loops = dict(re.findall(r"\{\{ (\w+)(?:\[:limit\])?\|each\((\w+)\)", source))
        assert loops.pop("strongest") == render.ROW_MACROS["contacts"], fmt
        assert loops == render.ROW_MACROS, fmt
    assert render.row_macros("text", story.root) is not None
    story.write("templates/report.txt.j2", "{{ network.contacts }}\n")
    assert render.row_macros("text", story.root) is None  # its own templates: rows whole


def test_career_moves_from_git_come_out_the_same(story, run, settled):
    git = ["git", "-C", str(story.root), "-c", "user.name=T", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    story.people["people/grace.md"].fields["company"] = "Navy"
    story.save("people/grace.md")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "one", "--date", "2025-01-01T12:00"], check=True)
    every_output_same(run, story.root)
    story.people["people/grace.md"].fields["company"] = "Remington Rand"
    story.save("people/grace.md")
    subprocess.run([*git, "commit", "-qam", "two", "--date", "2026-01-01T12:00"], check=True)
    every_output_same(run, story.root)
    story.append("people/grace.md", "2026-11-19 coffee #gave")  # a log line, not committed
    every_output_same(run, story.root)


# --- 6. rebuilding forgets it; --no-cache never makes it ------------------------------------------

def test_no_cache_never_writes_the_memo_and_rebuild_removes_it(story, run):
    run(story.root, "--no-cache", "report")
    run(story.root, "--no-cache", "overdue", "--format", "json")
    assert not (story.root / MEMO).exists()
    run(story.root, "report")
    assert (story.root / MEMO).exists()
    result = run(story.root, "index", "--rebuild")
    assert result.exit_code == 0
    assert not (story.root / MEMO).exists()
    assert not any((story.root / ".netnotes").glob(memo.FILE + "*"))
    every_output_same(run, story.root)


def test_html_is_always_made_whole_and_makes_no_memo(story, run):
    result = run(story.root, "report", "--format", "html")
    assert result.exit_code == 0
    assert result.stdout == run(story.root, "--no-cache", "report", "--format", "html").stdout
    assert not (story.root / MEMO).exists()


# --- 7. many notes changed at once ----------------------------------------------------------------

def test_more_changed_notes_than_max_changed_make_the_report_whole(story, run, settled, spy,
                                                                  monkeypatch):
    monkeypatch.setattr(memo, "MAX_CHANGED", 2)
    same_as_no_cache(run, story.root, "report")
    for name in ("alan", "hedy", "barbara"):
        story.append(f"people/{name}.md", "2026-11-18 call")
    spy.whole = spy.served = 0
    same_as_no_cache(run, story.root, "report")
    assert (spy.served, spy.whole) == (0, 1)
    for name in ("alan", "hedy"):  # as many as MAX_CHANGED: still from the memo
        story.append(f"people/{name}.md", "2026-11-19 walk")
    same_as_no_cache(run, story.root, "report")
    assert (spy.served, spy.whole) == (1, 1)


# --- 8. colour and the overdue section ------------------------------------------------------------

def test_colour_and_the_overdue_section_keep_their_own_renderings(story, settled, spy):
    """Coloured and plain text, the whole report and just its overdue list, in turns with
    edits in between: each is what build_report makes with the same arguments."""
    root = story.root
    rng = random.Random(8)
    turns = [(fmt, colour, section) for fmt in ("text", "markdown") for colour in (False, True)
             for section in (None, "overdue")] + [("json", False, None), ("json", False, "overdue")]
    for step in range(24):
        fmt, colour, section = rng.choice(turns)
        if step % 3:
            rel = rng.choice(sorted(story.people))
            story.append(rel, f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d} call"
                              + rng.choice(["", " #gave"]))
        for _ in range(2):  # the second time nothing changed
            got = library_report(root, fmt, colour=colour, section=section)
            assert got == whole_report(root, fmt, colour=colour, section=section), \
                (step, fmt, colour, section)
            assert ("\x1b[" in got) == (colour and fmt == "text")
    assert spy.served >= 12


def test_plain_text_after_coloured_text_has_no_colour(story, settled):
    root = story.root
    assert "\x1b[" in library_report(root, colour=True)
    for colour in (False, True, False):
        story.append("people/katherine.md", "2026-11-20 call")
        assert library_report(root, colour=colour) == whole_report(root, colour=colour)
        assert library_report(root, section="overdue", colour=colour) == \
            whole_report(root, section="overdue", colour=colour)


# --- 9. formats in turn ---------------------------------------------------------------------------

def test_formats_in_turn_after_edits_stay_correct(story, run, settled):
    sequence = ["text", "json", "text", "markdown", "json", "json", "text", "markdown", "text"]
    for k, fmt in enumerate(sequence):
        story.append(["people/alan.md", "people/hedy.md", "journal/notes.md"][k % 3],
                     f"2026-11-{k + 10} coffee with [[barbara]]")
        same_as_no_cache(run, story.root, "report", "--format", fmt)
        same_as_no_cache(run, story.root, "overdue", "--format",
                         "json" if fmt == "json" else "text")
        same_as_no_cache(run, story.root, "report", "--format", fmt)  # nothing changed since


def test_every_format_asked_before_stays_remembered_after_edits(story, run, settled, spy):
    """Once each output has been made whole, edits are answered by the memo in every one of
    them: a run in one format marks the contacts it made again as stale in the others, which
    make them again in their own next run."""
    every_output_same(run, story.root)
    spy.whole = spy.served = 0
    for k in range(3):
        story.append("people/alan.md", f"2026-11-{k + 10} call")
        every_output_same(run, story.root, start=k)
    assert (spy.whole, spy.served) == (0, 3 * len(OUTPUTS))


# --- introductions made: the newest, kept -------------------------------------------------------

def intro_lines(tag: str, n: int, day: str | None = None) -> str:
    return "".join(f"- {day or f'2026-{1 + k // 28:02d}-{1 + k % 28:02d}'} intro [[ada]] "
                   f"[[grace]] #gave {tag}{k}\n" for k in range(n))


def test_many_introductions_made_are_listed_newest_first(story, run, settled):
    """More introductions than the memo keeps: the report lists the newest, as a whole one."""
    story.write("journal/b.md", intro_lines("b", memo.KEEP_INTROS + 10))
    every_output_same(run, story.root)
    lines = (story.root / "journal/b.md").read_text().splitlines(keepends=True)
    for keep in (60, 30, 12, 5):  # #gave taken off all but the newest few
        story.write("journal/b.md", "".join(line if k >= len(lines) - keep else
                                            line.replace(" #gave", "")
                                            for k, line in enumerate(lines)))
        same_as_no_cache(run, story.root, "report", "--format", "json")
    story.append("journal/notes.md", "2026-11-21 intro [[grace]] [[edsger]] #gave again")
    same_as_no_cache(run, story.root, "report", "--format", "json")


def test_the_same_introduction_logged_in_two_notes_keeps_its_place(vault, run, settled):
    """An introduction made on 2025-01-01 is logged in journal/a.md and again in journal/c.md;
    62 newer ones are in journal/b.md and one older in c.md.  The memo keeps the newest 64.
    With b.md down to 9, the memo keeps 11 (b's 9, a0, c0); an edit to a.md that adds no
    introduction then loses a0 (not newer than the oldest kept, c0, of the same date and
    people), so the JSON's ``introductions_made.recent`` ends in c0 where the whole report,
    which ranks equal ones by note path, ends in a0."""
    story = Vault(vault({}), {})
    story.write("people/ada.md", note("Ada Lovelace", ["2026-01-05 coffee"], tier="close"))
    story.write("people/grace.md", note("Grace Hopper", ["2025-03-01 call #got"]))
    story.write("journal/a.md", intro_lines("a", 1, "2025-01-01"))
    story.write("journal/b.md", intro_lines("b", 62))
    story.write("journal/c.md", intro_lines("c", 1, "2025-01-01")
                + intro_lines("old", 1, "2024-01-01"))
    same_as_no_cache(run, story.root, "report", "--format", "json")
    lines = (story.root / "journal/b.md").read_text().splitlines(keepends=True)
    story.write("journal/b.md", "".join(line if k >= 53 else line.replace(" #gave", "")
                                        for k, line in enumerate(lines)))  # 9 newest left
    same_as_no_cache(run, story.root, "report", "--format", "json")
    story.append("journal/a.md", "2025-02-02 call [[ada]]")  # not an introduction
    same_as_no_cache(run, story.root, "report", "--format", "json")


# --- two processes at once ------------------------------------------------------------------------

SETTLED_MAIN = ("import netnotes.vault.files, netnotes.cli; "
                "netnotes.vault.files.RACY_NS = -3600 * 10**9; netnotes.cli.main()")


def test_two_processes_at_once_never_corrupt_the_memo(story, run):
    """Rounds of two or three real processes asking for reports at once, with notes edited
    between rounds (log lines, answered from the memo, and changes to the shape, made whole):
    two of them share one kind of output (the text report and its overdue list, or both in
    JSON), so both work from the memo and write what they changed, and a third may ask for
    another and make the report whole; some trust stats, as after edits by hand, some read
    every note again.  Each prints what ``--no-cache`` prints for that round's vault, and the
    memo left behind is sound and answers the next report."""
    root = story.root
    env = os.environ | {"PYTHONPATH": str(REPO / "src"), "NO_COLOR": "1"}
    for name in ("NETNOTES_VAULT", "NETNOTES_TODAY"):
        env.pop(name, None)

    def start(args: tuple[str, ...], settle: bool) -> subprocess.Popen[str]:
        main = ["-c", SETTLED_MAIN] if settle else ["-m", "netnotes"]
        return subprocess.Popen([sys.executable, *main, "--vault", str(root), "--today",
                                 TODAY.isoformat(), *args], env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def expected(args: tuple[str, ...]) -> tuple[str, str, int]:
        whole = run(root, "--no-cache", *args)
        return whole.stdout, whole.stderr, whole.exit_code

    def generation() -> int:
        with contextlib.closing(sqlite3.connect(root / MEMO)) as conn:
            (gen,) = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(gen)

    text = (("report",), ("overdue",))
    in_json = (("report", "--format", "json"), ("overdue", "--format", "json"))
    markdown = ("report", "--format", "markdown")
    rounds = [  # (the edit before, what is asked at once)
        (lambda v: None, [*text, markdown]),  # no memo yet: made whole by all of them
        (lambda v: v.append("people/alan.md", "2026-11-20 call about the bombe #got"), text),
        (lambda v: v.append("journal/notes.md", "2026-11-01 coffee [[grace]] [[edsger]]"), text),
        (new_agenda, [*in_json, text[0]]),  # the shape: made whole
        (lambda v: v.append("people/hedy.md", "2026-11-02 call #gave"), in_json),
        (lambda v: (v.people["people/john.md"].fields.update(tier="close"),
                    v.save("people/john.md")), in_json),
        (rename_person, [*text, in_json[0]]),  # the shape again
        (lambda v: v.append("people/katherine.md", "2026-11-03 lunch"), [*text, markdown]),
        (lambda v: v.append("people/ada.md", "2026-11-04 walk with [[grace]] #got"),
         [*in_json, text[1]]),
    ]
    saved_changes, gen = 0, None
    for k, (edit, asked) in enumerate(rounds):
        edit(story)
        forget_answers(root)  # so that every process goes to the memo
        want = {args: expected(args) for args in asked}
        procs = [(args, start(args, settle=(k + j) % 2 == 1)) for j, args in enumerate(asked)]
        for args, p in procs:
            out, err = p.communicate(timeout=60)
            assert "Traceback" not in err, err
            assert (out, err, p.returncode) == want[args], (k, args)
        # A run from the memo adds one to its generation; a whole one starts a random one.
        gen, was = generation(), gen
        saved_changes += was is not None and 0 < gen - was <= len(asked)
    assert saved_changes >= 2  # the memo really was used, and written, by processes at once

    # Afterwards: every output still right, one at a time, and the memo sound and in use.
    for j, args in enumerate(OUTPUTS[1:] + OUTPUTS[:1]):
        forget_answers(root)
        p = start(args, settle=j % 2 == 1)
        out, err = p.communicate(timeout=60)
        assert (out, err, p.returncode) == expected(args), args
    with contextlib.closing(sqlite3.connect(root / MEMO)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    forget_answers(root)
    assert memo.remembered(engine.snapshot(root), TODAY, "text") == (out, ())


def test_the_memo_asks_the_reporter_it_is_handed(story, settled):
    """The store decides what to make again; working contacts out and rendering is the
    reporter's (store/reporting.py), handed in through Session.report by the caller."""
    from netnotes.store import Session

    class Counting(Reporter):
        def __init__(self):
            self.asked: list[str] = []

        def made_whole(self, *args, **kwargs):
            self.asked.append("whole")
            return super().made_whole(*args, **kwargs)

        def unit(self, *args, **kwargs):
            self.asked.append("unit")
            return super().unit(*args, **kwargs)

        def render(self, *args, **kwargs):
            self.asked.append("render")
            return super().render(*args, **kwargs)

    def report(reporter: Counting) -> str:
        session = Session(str(story.root))
        found = session.answered(("a question no answer is kept for",),
                                 lambda: answers.Answer.text(""))
        assert found.out == ""
        text, _ = session.report(TODAY, "text", colour=False, reporter=reporter)
        return joined(text)

    first, second = Counting(), Counting()
    assert report(first) == whole_report(story.root)
    assert first.asked == ["whole"]
    story.append("people/alan.md", "2026-11-20 call")
    assert report(second) == whole_report(story.root)
    assert second.asked[0] == "unit" and second.asked[-1] == "render"
    assert "whole" not in second.asked
