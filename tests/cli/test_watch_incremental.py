"""`netnotes watch` at the pace of one edit: the report is refreshed from what the store remembers.

Each story drives the watcher the way its thread does (an event named a path, then a rebuild),
and checks three things: the page shows the edit, the page is the report `netnotes report
--no-cache` makes of the same files, and no more was read than the edit asks for.
"""

from __future__ import annotations

import threading
import time

import pytest
from conftest import TODAY, note

import netnotes.vault
import netnotes.vault.files
import netnotes.watch
from netnotes.render import build_report
from netnotes.store import load_vault
from netnotes.watch import Rendered, Watcher

ADA = note("Ada Lovelace", ["2026-01-10 call"], tier="close", interests="[beekeeping]")
GRACE = note("Grace Hopper", ["2026-02-01 coffee"], tier="close", interests="[beekeeping]")
ALAN = note("Alan Turing", ["2025-06-01 lunch"], tier="network")
# People into other things, so that beekeeping is rare enough to be worth an introduction
OTHERS = {f"people/p{i}.md": note(name, ["2025-06-01 lunch"], tier="network",
                                  interests="[chess]" if i % 2 else "[go]")
          for i, name in enumerate(["Barbara Liskov", "Ken Thompson", "Radia Perlman",
                                    "Frances Allen", "Edsger Dijkstra"])}


@pytest.fixture(autouse=True)
def settled(monkeypatch):
    """As if every note had been written well before, as notes in use are: a stat is trusted at
    once (vault.needs_digest), so an unchanged note really is left unread."""
    monkeypatch.setattr(netnotes.vault.files, "RACY_NS", -3600 * 10**9)


class Reads:
    """Which notes were read, by the watcher itself or by the store's remembered report."""

    def __init__(self, monkeypatch):
        self.paths: list[str] = []
        real_note, real_one = netnotes.watch.read_note, netnotes.vault.read_one

        def read_note(data, note, config):
            self.paths.append(note.rel)
            return real_note(data, note, config)

        def read_one(note, config):
            self.paths.append(note.rel)
            return real_one(note, config)

        monkeypatch.setattr(netnotes.watch, "read_note", read_note)
        monkeypatch.setattr(netnotes.vault, "read_one", read_one)


def started(vault, tmp_path, files: dict[str, str], fmt: str = "text") -> Watcher:
    root = vault(files)
    watcher = Watcher(root, fmt, tmp_path / f"report.{fmt}", today=lambda: TODAY)
    first = watcher.rebuild()
    assert first.ok and first.listed
    return watcher


def page(watcher: Watcher) -> str:
    assert watcher.out is not None
    return watcher.out.read_text(encoding="utf-8")


def whole(watcher: Watcher) -> str:
    """What `netnotes report --no-cache` prints for the files as they are now."""
    return build_report(load_vault(watcher.root, use_cache=False), TODAY, watcher.fmt,
                        out=watcher.out)


def saved(watcher: Watcher, rel: str, text: str, *, append: bool = False) -> None:
    """An editor saves ``rel``, and the file-system event says so."""
    path = watcher.root / rel
    if append:
        with path.open("a", encoding="utf-8") as f:
            f.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    watcher.notify(str(path))


def test_an_edit_to_one_note_refreshes_the_report_reading_that_note_only(vault, tmp_path,
                                                                          monkeypatch):
    w = started(vault, tmp_path, {"people/ada.md": ADA, "people/grace.md": GRACE,
                                  "people/alan.md": ALAN})
    reads = Reads(monkeypatch)
    saved(w, "people/alan.md", "- 2026-11-20 coffee about the new paper #gave\n", append=True)
    result = w.rebuild()
    assert result.ok and result.changed and result.read == 1
    assert result.remembered  # from the stored per-contact results …
    assert not result.listed  # … and the folders were not listed again
    assert set(reads.paths) == {"people/alan.md"}  # by the watcher, then by the store
    assert "2026-11-20 coffee" in page(w)
    assert page(w) == whole(w)


def test_an_edit_that_changes_a_tie_refreshes_the_introductions(vault, tmp_path):
    w = started(vault, tmp_path, {"people/ada.md": ADA, "people/grace.md": GRACE,
                                  "people/alan.md": ALAN, **OTHERS})
    before = page(w)
    # Ada and Grace share a rare interest and have no tie: worth introducing.  Then they meet.
    saved(w, "people/ada.md", "- 2026-11-20 lunch with [[grace]]\n", append=True)
    result = w.rebuild()
    assert result.ok and result.changed
    assert not result.remembered  # the network's shape changed: worked out again, whole
    assert page(w) == whole(w) != before
    assert _introductions(before) and not _introductions(page(w))
    # The next edit that leaves the ties as they are comes from the stored results again.
    saved(w, "people/grace.md", "- 2026-11-21 call #got\n", append=True)
    again = w.rebuild()
    assert again.remembered and again.read == 1 and page(w) == whole(w)


def _introductions(text: str) -> list[str]:
    """The report's suggestion to introduce Ada and Grace (its line under INTRODUCTIONS)."""
    return [line for line in text.splitlines() if line.strip() == "Ada Lovelace ↔ Grace Hopper"]


def test_a_deleted_note_and_a_new_one(vault, tmp_path):
    w = started(vault, tmp_path, {"people/ada.md": ADA, "people/grace.md": GRACE,
                                  "people/alan.md": ALAN})
    (w.root / "people/alan.md").unlink()
    w.notify(str(w.root / "people/alan.md"))
    result = w.rebuild()
    assert result.ok and result.listed and result.contacts == 2
    assert "Alan Turing" not in page(w) and page(w) == whole(w)
    saved(w, "people/radia.md", note("Radia Perlman", ["2026-11-02 call"], tier="close"))
    result = w.rebuild()
    assert result.ok and result.listed and result.contacts == 3 and result.read == 1
    assert "Radia Perlman" in page(w) and page(w) == whole(w)


def test_an_edit_saved_while_a_refresh_runs_is_not_lost(vault, tmp_path, monkeypatch):
    w = started(vault, tmp_path, {"people/ada.md": ADA, "people/alan.md": ALAN})
    real = w.session.made_report

    def slow_refresh(*args, **kwargs):
        # The user saves again while the report is being made: the event arrives meanwhile.
        if not (w.root / "people/alan.md").read_text().count("second save"):
            saved(w, "people/alan.md", "- 2026-11-21 call second save\n", append=True)
        return real(*args, **kwargs)

    monkeypatch.setattr(w.session, "made_report", slow_refresh)
    saved(w, "people/alan.md", "- 2026-11-20 call first save\n", append=True)
    w.rebuild()
    assert "people/alan.md" in w._dirty  # kept for the next rebuild, not swallowed by this one
    w.rebuild()
    assert "2026-11-21 call" in page(w) and page(w) == whole(w)


def test_a_missed_event_is_caught_by_the_next_full_listing(vault, tmp_path, monkeypatch):
    """Events can be dropped (a full kernel queue, a network folder): after ``recheck`` quiet
    seconds the watcher lists the vault again."""
    root = vault({"people/ada.md": ADA})
    out = tmp_path / "report.text"
    results: list[Rendered] = []
    w = Watcher(root, "text", out, today=lambda: TODAY, debounce=0.05, recheck=0.3,
                on_render=lambda r, t: results.append(r))

    class Deaf:  # an observer that hears nothing
        def stop(self) -> None: ...
        def join(self, timeout: float) -> None: ...

    monkeypatch.setattr(w, "_observe", lambda: Deaf())
    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(target=w.run, args=(stop, ready), daemon=True)
    thread.start()
    try:
        assert ready.wait(10)
        (root / "people/grace.md").write_text(GRACE, encoding="utf-8")
        deadline = time.monotonic() + 10
        while "Grace Hopper" not in out.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, "the new note was never seen"
            time.sleep(0.05)
        assert results[-1].listed
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


def test_a_config_change_lists_and_reads_again(vault, tmp_path):
    w = started(vault, tmp_path, {"people/ada.md": ADA, "people/alan.md": ALAN})
    saved(w, "netnotes.toml", '[tiers]\ninner = "1 month"\nclose = "6 months"\n'
          'network = "1 year"\n')
    result = w.rebuild()
    assert result.ok and result.listed and page(w) == whole(w)


def test_a_broken_note_is_shown_in_its_last_good_version_then_from_the_store_again(
        vault, tmp_path):
    w = started(vault, tmp_path, {"people/ada.md": ADA, "people/alan.md": ALAN})
    saved(w, "people/ada.md", "---\nname: [Ada\n---\n")
    result = w.rebuild()
    assert result.ok and result.kept == ("people/ada.md",) and not result.remembered
    assert "last good version" in page(w) and "Ada Lovelace" in page(w)
    assert any(p.code == "kept-last-good" for p in result.problems)
    saved(w, "people/ada.md", ADA.replace("2026-01-10 call", "2026-11-01 walk"))
    result = w.rebuild()
    assert result.ok and not result.kept
    assert "2026-11-01 walk" in page(w) and page(w) == whole(w)


def test_the_memo_stays_open_between_refreshes_and_never_outlives_its_file(vault, tmp_path,
                                                                          monkeypatch):
    """The watcher's session keeps the memo's connection open from one refresh to the next
    (memo_file.Held): each refresh still gives the page `report --no-cache` gives, another
    netnotes saving the memo in between changes nothing, and a memo deleted (`index --rebuild`)
    or replaced is let go of and the report made whole."""
    from netnotes.store import Session
    from netnotes.store.memo_file import _Memo

    w = started(vault, tmp_path, {"people/ada.md": ADA, "people/grace.md": GRACE,
                                  "people/alan.md": ALAN})
    opened: list[object] = []
    real_open = _Memo.open.__func__

    def counting_open(cls, root, reporter, create=False):
        opened.append(create)
        return real_open(cls, root, reporter, create)

    monkeypatch.setattr(_Memo, "open", classmethod(counting_open))
    for day in ("20", "21", "22"):
        saved(w, "people/alan.md", f"- 2026-11-{day} call #gave\n", append=True)
        result = w.rebuild()
        assert result.ok and result.remembered and page(w) == whole(w)
    assert opened == [False]  # opened once, at the first refresh

    # Another netnotes makes the report of an edit the watcher has not heard of yet.
    saved(w, "people/ada.md", "- 2026-11-19 coffee #got\n", append=True)
    other = Session(str(w.root))
    assert other.made_report(TODAY, "text").remembered
    other.close()
    result = w.rebuild()
    assert result.ok and page(w) == whole(w)

    (w.root / ".netnotes" / "memo.sqlite").unlink()  # as `netnotes index --rebuild` does
    saved(w, "people/grace.md", "- 2026-11-20 call #gave\n", append=True)
    result = w.rebuild()
    assert result.ok and not result.remembered and page(w) == whole(w)
    saved(w, "people/grace.md", "- 2026-11-21 call #gave\n", append=True)
    result = w.rebuild()
    assert result.ok and result.remembered and page(w) == whole(w)  # the new memo, opened
    w.session.close()
