"""A JSON report holds each contact's row in a spill file, not in memory: the rows go out to the
file as they are made, the output and the memo copy them back from it a batch or a shard at a
time, and the report printed is byte for byte the one `--no-cache` prints."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import note

from netnotes.store import spill
from netnotes.store.spill import Renderings, Span, Spill


def people(n: int) -> dict[str, str]:
    """``n`` people, each in touch with the next, some long overdue, and a journal note."""
    def log(k: int) -> list[str]:
        if k % 4 == 0:
            return ["2023-01-01 coffee"]
        day = f"2026-{1 + k % 11:02d}-{1 + k % 27:02d}"
        return [f"{day} call with [[p{(k + 1) % n:03d}]]" + (" #gave" if k % 3 == 0 else "")]

    files = {f"people/p{k:03d}.md": note(f"Person {k:03d}", log(k),
                                          tier=("close", "network", "critical")[k % 3])
             for k in range(n)}
    files["journal/2026-02-01.md"] = "- met [[Person 001]] and [[p002]]\n"
    return files


@pytest.fixture
def watched(monkeypatch) -> list[Renderings]:
    """Every store of renderings the commands make, to look into after they ran."""
    made: list[Renderings] = []
    real = Renderings.__init__

    def init(self: Renderings, folder: Path | None = None) -> None:
        real(self, folder)
        made.append(self)

    monkeypatch.setattr(Renderings, "__init__", init)
    return made


def json_rows_in_memory(made: list[Renderings]) -> tuple[int, int]:
    """How many JSON rows the stores hold as bytes in memory, and how many in a spill file."""
    rows = [v for r in made for v in r.by_name.get("json", {}).values()]
    return sum(type(v) is bytes for v in rows), sum(type(v) is Span for v in rows)


def test_a_json_report_keeps_no_row_in_memory_and_prints_what_no_cache_prints(vault, run,
                                                                              watched):
    """Someone asks a vault of 40 people for its JSON report, cold: every row went to the spill
    file (none is held as bytes), the file holds exactly the rows printed, and the report is
    the one `--no-cache` prints, which spills its rows the same way."""
    root = vault(people(40))
    cached = run(root, "report", "--format", "json").stdout
    in_memory, spilled = json_rows_in_memory(watched)
    assert (in_memory, spilled) == (0, 40)
    printed = cached.encode()
    for span in watched[0].by_name["json"].values():
        assert bytes(span) in printed
    assert watched[0].spilled() == sum(len(s) for s in watched[0].by_name["json"].values())
    watched.clear()
    assert run(root, "--no-cache", "report", "--format", "json").stdout == cached
    assert json_rows_in_memory(watched) == (0, 40)


def test_one_note_changed_the_memo_reads_the_kept_rows_into_the_spill_file(vault, run,
                                                                           watched, monkeypatch):
    """After one note changed, the remembered report reads every kept JSON row back from the
    memo a shard at a time into a spill file (none stays in memory), makes the changed ones
    again, and prints what `--no-cache` prints; `overdue --format json`, `--since` and
    `--fields` too."""
    import netnotes.vault.files
    from netnotes.store import memo

    monkeypatch.setattr(netnotes.vault.files, "RACY_NS", -3600 * 10**9)  # stats are trusted
    served = []
    real = memo.remembered

    def remembered(*args, **kwargs):
        found = real(*args, **kwargs)
        served.append(found is not None)
        return found

    monkeypatch.setattr(memo, "remembered", remembered)
    root = vault(people(40))
    run(root, "report", "--format", "json")
    with open(root / "people/p005.md", "a") as f:
        f.write("- 2026-11-20 lunch #gave\n")
    watched.clear()
    for args in (("report", "--format", "json"), ("overdue", "--format", "json"),
                 ("report", "--format", "json", "--since", "2026-06-01"),
                 ("report", "--format", "json", "--fields", "name,strength")):
        cached = run(root, *args)
        assert cached.stdout == run(root, "--no-cache", *args).stdout, args
    assert served[1] and any(served[2:])  # the memo made them, not a whole report
    in_memory, spilled = json_rows_in_memory(watched)
    assert in_memory == 0 and spilled >= 40


def test_the_spill_file_is_never_seen_in_the_vault(vault, run):
    """The spill file is made in the vault's .netnotes/ (the vault's own disk) but has no name
    there: after a report nothing new is left in the folder."""
    root = vault(people(10))
    run(root, "report", "--format", "json")
    before = sorted(os.listdir(root / ".netnotes"))
    kept = Renderings(spill.spill_folder(root))
    kept.put("json", "p001", b'{"id": "p001"}')
    assert sorted(os.listdir(root / ".netnotes")) == before
    assert bytes(kept.kept("json")["p001"]) == b'{"id": "p001"}'


def test_when_no_spill_file_can_be_made_the_rows_stay_in_memory(vault, run, watched,
                                                                monkeypatch):
    """A full or read-only disk is no reason for a report to fail: the rows are kept in memory
    as before, and the report is the same."""
    root = vault(people(20))
    want = run(root, "--no-cache", "report", "--format", "json").stdout

    def cannot(self: Spill) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Spill, "_open", cannot)
    watched.clear()
    got = run(root, "report", "--format", "json")
    assert (got.stdout, got.exit_code) == (want, 0)
    assert json_rows_in_memory(watched) == (20, 0)


def test_a_spill_gives_back_each_rendering_it_was_given(tmp_path):
    """Text is kept as it is, bytes go to the file; a shard is read back as plain values."""
    kept = Renderings(tmp_path)
    kept.put("json", "b", b"two \xe2\x80\x9c")
    kept.put("json", "a", b"one")
    kept.put("relationship_row", "a", "a line\n")
    assert kept.kept("relationship_row") == {"a": "a line\n"}
    assert kept.plain("json", {"a", "b", "gone"}) == {"a": b"one", "b": "two \u201c".encode()}
    assert kept.drop("a") == ["json", "relationship_row"]
    assert kept.plain("json", {"a", "b"}) == {"b": "two \u201c".encode()}
    assert kept.spilled() == len(b"one") + len("two \u201c".encode())
    assert os.listdir(tmp_path) == []


def test_a_json_report_saved_with_out_is_written_piece_by_piece(vault, run, tmp_path,
                                                                monkeypatch):
    """`--out report.json` saves what the report prints, written a piece at a time as it is
    read back from the spill file, never joined whole in memory."""
    from netnotes.store import Answer

    root = vault(people(30))
    printed = run(root, "--no-cache", "report", "--format", "json").stdout
    monkeypatch.setattr(Answer, "data", lambda self: pytest.fail("joined whole"))
    out = tmp_path / "report.json"
    run(root, "report", "--format", "json", "--out", str(out))
    assert out.read_text() == printed


def test_a_folder_that_cannot_take_the_spill_file_gives_way_to_the_system_temp_folder(
        tmp_path):
    """A `.netnotes/` that cannot be written (here: one that is not there) is no reason to
    keep the rows in memory: the spill file goes to the system's temp folder."""
    kept = Renderings(tmp_path / "not-there")
    kept.put("json", "ada", b'{"id": "ada"}')
    assert type(kept.kept("json")["ada"]) is Span
    assert bytes(kept.kept("json")["ada"]) == b'{"id": "ada"}'
    assert not (tmp_path / "not-there").exists()
