"""Session.relist: a long-lived caller (watch) says which paths changed, and the store looks at
those only when that is enough to know the vault — never a listing staler than the events."""

from __future__ import annotations

import pytest
from conftest import TODAY, note

import netnotes.vault.files
from netnotes.render import build_report
from netnotes.store import Session, load_vault

ADA = note("Ada Lovelace", ["2026-01-10 call"], tier="close")
BOB = note("Bob Kahn", ["2025-05-01 lunch"], tier="network")


@pytest.fixture(autouse=True)
def settled(monkeypatch):
    """Notes written well before, as notes in use are: their stat is trusted at once."""
    monkeypatch.setattr(netnotes.vault.files, "RACY_NS", -3600 * 10**9)


def listed(session: Session) -> list[tuple[str, int]]:
    return [(n.rel, n.stat.st_size if n.stat else -1) for n in session.relist().notes]


def test_an_edited_note_is_stat_again_without_listing_the_folders(vault):
    root = vault({"people/ada.md": ADA, "people/bob.md": BOB})
    session = Session(str(root))
    assert session.relist().whole
    assert not session.made_report(TODAY, "text").remembered  # the first is made whole
    with (root / "people/ada.md").open("a", encoding="utf-8") as f:
        f.write("- 2026-11-20 coffee\n")
    again = session.relist({"people/ada.md"})
    assert not again.whole
    assert [(n.rel, n.stat.st_size) for n in again.notes] == listed(Session(str(root)))
    made = session.made_report(TODAY, "text")
    assert made.remembered and made.contacts == 2
    assert "".join(made.text) == build_report(load_vault(root, use_cache=False), TODAY, "text")


@pytest.mark.parametrize("change", ["new note", "deleted note", "config", "stray file",
                                    "folder gone"])
def test_what_the_paths_cannot_vouch_for_lists_the_vault_again(vault, change):
    root = vault({"people/ada.md": ADA, "people/team/bob.md": BOB})
    session = Session(str(root))
    session.relist()
    if change == "new note":
        (root / "people/grace.md").write_text(note("Grace Hopper"), encoding="utf-8")
        path = "people/grace.md"
    elif change == "deleted note":
        (root / "people/ada.md").unlink()
        path = "people/ada.md"
    elif change == "config":
        path = "netnotes.toml"
    elif change == "stray file":
        (root / "people/notes.txt").write_text("not a note", encoding="utf-8")
        path = "people/notes.txt"
    else:
        (root / "people/team").rename(root / "people/crew")
        path = "people/team"
    again = session.relist({path})
    assert again.whole
    assert [n.rel for n in again.notes] == [n.rel for n in Session(str(root)).relist().notes]


def test_an_editors_temp_file_that_came_and_went_changes_nothing(vault):
    root = vault({"people/ada.md": ADA})
    session = Session(str(root))
    session.relist()
    again = session.relist({"people/.ada.md.swp", "people/ada.md___jb_tmp___"})
    assert not again.whole and [n.rel for n in again.notes] == ["people/ada.md"]


def test_a_file_the_listing_warned_about_is_gone(vault):
    root = vault({"people/ada.md": ADA, "people/notes.txt": "not a note"})
    session = Session(str(root))
    assert any(p.code == "not-a-note" for p in session.relist().problems)
    (root / "people/notes.txt").unlink()
    again = session.relist({"people/notes.txt"})
    assert again.whole and not any(p.code == "not-a-note" for p in again.problems)


def test_a_note_too_recent_to_trust_is_looked_at_again_each_time(vault, monkeypatch):
    monkeypatch.setattr(netnotes.vault.files, "RACY_NS", 3_000_000_000)  # notes just written
    root = vault({"people/ada.md": ADA, "people/bob.md": BOB})
    session = Session(str(root))
    session.relist()
    # An edit whose event was never delivered, to a note written seconds ago: still seen.
    (root / "people/bob.md").write_text(BOB + "- 2026-11-21 call\n", encoding="utf-8")
    again = session.relist(set())
    assert not again.whole
    sizes = {n.rel: n.stat.st_size for n in again.notes}
    assert sizes["people/bob.md"] == (root / "people/bob.md").stat().st_size


def test_a_snapshot_from_a_kept_listing_keys_no_finished_answer(vault):
    from netnotes.store import Answer, answers, engine

    root = vault({"people/ada.md": ADA})
    whole = engine.snapshot(root)
    kept = engine.snapshot(root, (whole.notes, whole.listed, whole.scan_ns))
    assert kept.fixed == whole.fixed and kept.digest == ""
    answers.store(kept, ("test",), Answer.text("from a kept listing"))
    assert answers.lookup(kept, ("test",)) is None
    assert not (root / ".netnotes" / answers.ANSWERS).exists()


def test_relist_after_answered_lists_again(vault):
    from netnotes.store import Answer

    root = vault({"people/ada.md": ADA})
    session = Session(str(root))
    session.relist()
    assert session.answered(("test",), lambda: Answer.text("fresh")).out == "fresh"
    # answered() took a snapshot of its own: what relist kept was for its own listing
    assert session.relist({"people/ada.md"}).whole


def test_a_long_running_session_freezes_no_vault(vault, monkeypatch):
    """watch loads the vault again and again in one process: none of them may be frozen out of
    the cyclic collector's reach (only a one-shot command, which exits next, freezes)."""
    import gc

    from netnotes.core import gcpause

    monkeypatch.setattr(gcpause, "freezing", False)  # as watch runs
    root = vault({"people/ada.md": note("Ada Lovelace", ["2026-01-02 call"])})
    before = gc.get_freeze_count()
    for _ in range(2):
        assert Session(str(root)).vault().contacts
    assert gc.get_freeze_count() == before


def test_the_stat_records_kept_between_relists_are_those_of_the_listing_itself(vault):
    """The memo compares each note's stat with the one it kept; between relists a session works
    out again only the records of the notes relist stat again (memo_records.KnownStats), and
    they come out byte for byte as working out all of them does."""
    from netnotes.store.memo_records import KnownStats, _listing, _stats

    root = vault({"people/ada.md": ADA, "people/bob.md": BOB,
                  "people/team/grace.md": note("Grace Hopper")})
    session, known = Session(str(root)), KnownStats()
    first = session.relist()
    assert known.of(first.notes, 0) == (_listing(first.notes), _stats(first.notes, 0))
    for rel, line in [("people/bob.md", "- 2026-11-20 call\n"),
                      ("people/team/grace.md", "- 2026-11-21 lunch\n")]:
        with (root / rel).open("a", encoding="utf-8") as f:
            f.write(line)
        now = session.relist({rel})
        assert not now.whole
        assert known.of(now.notes, 0) == (_listing(now.notes), _stats(now.notes, 0))
    (root / "people/zoe.md").write_text(note("Zoe Ng"), encoding="utf-8")
    grown = session.relist({"people/zoe.md"})  # a new note: listed again, every record anew
    assert grown.whole
    assert known.of(grown.notes, 0) == (_listing(grown.notes), _stats(grown.notes, 0))
