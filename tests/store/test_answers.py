"""Finished answers in .netnotes/answers/: asking again about an unchanged vault prints what the
first run printed, and any change to anything the answer depends on makes a new one."""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from conftest import REPO, TODAY, json_report_imports, note, small_vault
from hypothesis import given, settings
from hypothesis import strategies as st

from netnotes.store import answers, engine
from netnotes.vault import NoteFile

ANSWERS = Path(".netnotes") / answers.ANSWERS


def stored(root: Path) -> list[Path]:
    folder = root / ANSWERS
    return sorted(folder.glob("*.answer")) if folder.is_dir() else []


def text_report(root: Path) -> tuple[object, ...]:
    """The question `netnotes --vault ROOT --today TODAY report` asks the store."""
    return ("report", "text", False, None, TODAY.isoformat(), ("--vault", str(root)))


def same_as_without_cache(run, root: Path, *args: str) -> None:
    cached, fresh = run(root, *args), run(root, "--no-cache", *args)
    assert (cached.stdout, cached.stderr, cached.exit_code) == \
        (fresh.stdout, fresh.stderr, fresh.exit_code), args


def test_second_run_is_answered_from_the_cache_with_the_same_output(vault, run, monkeypatch):
    root = small_vault(vault)
    first = run(root, "report")
    assert len(stored(root)) == 1
    monkeypatch.setattr("netnotes.render.report.build_report",
                        lambda *a, **k: pytest.fail("computed again"))
    assert run(root, "report").stdout == first.stdout


def test_every_option_is_a_question_of_its_own(vault, run):
    root = small_vault(vault)
    for args in (["report"], ["report", "--format", "json"], ["report", "--today", "2026-01-01"],
                 ["overdue"], ["list"], ["list", "--tier", "close"], ["show", "ada"],
                 ["show", "grace"], ["check"], ["check", "--strict"]):
        same_as_without_cache(run, root, *args)
        same_as_without_cache(run, root, *args)  # the second time from the cache
    assert len(stored(root)) == 10


def test_warnings_and_exit_codes_come_back_with_the_answer(vault, run):
    root = small_vault(vault)
    (root / "people/broken.md").write_text("---\nname: [unclosed\n---\n")
    for _ in range(2):
        result = run(root, "report")
        assert "1 note skipped" in result.stderr
        assert run(root, "check").exit_code == 1


def test_the_check_hint_is_the_same_whether_the_answer_was_stored_or_made_now(vault, run,
                                                                           monkeypatch):
    """Sam asks about a vault with one broken note from another folder, with --vault: the
    warning's hint names that folder, so pasted it checks the right vault; the second time the
    answer comes from the store, and its hint is the same.  Asked from inside the vault without
    --vault, the hint has none, made now or stored; a stored answer never lends its hint to a
    question asked another way."""
    from netnotes.cli import State

    root = small_vault(vault)
    (root / "people/broken.md").write_text("---\nname: [unclosed\n---\n")
    typed = f"1 note skipped — run `netnotes --vault {root} check`\n"
    plain = "1 note skipped — run `netnotes check`\n"
    made = State.report

    def asked(where: Path | None) -> str:
        result = run(where, "report")
        assert result.exit_code == 0
        return result.stderr

    assert asked(root).endswith(typed)  # made now
    monkeypatch.chdir(root)
    assert asked(None).endswith(plain)  # made now: another question
    assert len(stored(root)) == 2
    monkeypatch.setattr(State, "report", lambda *a, **k: pytest.fail("made again"))
    assert asked(root).endswith(typed)  # stored
    assert asked(None).endswith(plain)  # stored
    monkeypatch.setattr(State, "report", made)
    pasted = run(None, *typed.split("`")[1].split()[1:])  # the hint, as Sam pastes it
    assert "people/broken.md" in pasted.stdout and pasted.exit_code == 1


def test_any_change_to_the_vault_makes_a_new_answer(vault, run):
    root = small_vault(vault)
    steps = [
        lambda: (root / "people/alan.md").write_text(note("Alan Turing", ["2026-11-01 call"])),
        lambda: (root / "people/alan.md").write_text(note("Alan Turing", ["2026-11-02 call"])),
        lambda: (root / "people/barbara.md").write_text(note("Barbara Liskov")),
        lambda: (root / "people/barbara.md").rename(root / "people/babs.md"),
        lambda: (root / "journal/2026-02-01.md").unlink(),
        lambda: (root / "people/stray.txt").write_text("not a note"),
        lambda: (root / "netnotes.toml").write_text('[me]\nname = "Sam"\nfield = "law"\n'),
        lambda: (root / "templates").mkdir(),
        lambda: (root / "templates/report.txt.j2").write_text("{{ network.contacts }} people\n"),
        lambda: (root / "templates/report.txt.j2").write_text("{{ network.contacts }} folks\n"),
    ]
    for step in steps:
        step()
        same_as_without_cache(run, root, "report")
        same_as_without_cache(run, root, "check")
    assert run(root, "report").stdout == "4 folks\n"


def test_cache_is_invisible_under_random_edits(vault, run):
    """Random edits, deletions, renames and new notes, at the speed of a script (so most files
    are too fresh for their stat to count): the answer is always the one without any cache."""
    root = small_vault(vault)
    rng = random.Random(5)
    names = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Hedy Lamarr"]
    for step in range(40):
        people = sorted((root / "people").glob("*.md"))
        action = rng.choice(["edit", "edit", "same-size", "new", "delete", "rename"])
        if action == "edit" and people:
            day = f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
            path = rng.choice(people)
            path.write_text(path.read_text() + f"- {day} call #gave\n")
        elif action == "same-size" and people:
            path = rng.choice(people)
            text = path.read_text()
            path.write_text(text.replace("call", "walk") if "call" in text else
                            text.replace("walk", "call"))
        elif action == "new":
            name = rng.choice(names)
            (root / f"people/p{step}.md").write_text(note(name, ["2025-05-05 lunch"]))
        elif action == "delete" and len(people) > 1:
            rng.choice(people).unlink()
        elif action == "rename" and people:
            path = rng.choice(people)
            path.rename(path.with_name(f"r{step}.md"))
        same_as_without_cache(run, root, "report", "--format", "json")


def test_a_stat_too_fresh_to_trust_is_backed_by_the_content(tmp_path, monkeypatch):
    """Two writes in one timestamp tick leave the same stat: for a note written in the last
    seconds the key also holds a hash of its bytes."""
    root = tmp_path / "v"
    (root / "people").mkdir(parents=True)
    (root / "netnotes.toml").write_text("")
    path = root / "people/ada.md"
    path.write_text(note("Ada Lovelace", ["2026-01-05 call"]))
    st = os.stat(path)
    fixed = [NoteFile(path, "people/ada.md", "person", st)]
    monkeypatch.setattr(engine, "list_notes", lambda r, c: (fixed, []))
    before = engine.snapshot(root)
    path.write_text(note("Ada Lovelace", ["2026-01-05 walk"]))  # same size, stat replayed
    assert engine.snapshot(root).digest != before.digest
    # An old stat is trusted as it is: the listing alone decides.
    monkeypatch.setattr(engine.time, "time_ns", lambda: st.st_mtime_ns + 3600 * 10**9)
    one = engine.snapshot(root)
    path.write_text(note("Ada Lovelace", ["2026-01-05 call"]))
    assert engine.snapshot(root).digest == one.digest


def test_a_new_commit_makes_a_new_answer(vault, run):
    """Career moves come from the notes' git history, so the commit is part of the question."""
    root = small_vault(vault)
    git = ["git", "-C", str(root), "-c", "user.name=T", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    (root / "people/ada.md").write_text(note("Ada Lovelace", ["2026-01-05 call"],
                                             company="Analytical Engines"))
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "one", "--date", "2025-01-01T12:00"], check=True)
    same_as_without_cache(run, root, "show", "ada", "--format", "json")
    text = (root / "people/ada.md").read_text().replace("Analytical Engines", "Difference Ltd")
    (root / "people/ada.md").write_text(text)
    subprocess.run([*git, "commit", "-qam", "two", "--date", "2026-01-01T12:00"], check=True)
    same_as_without_cache(run, root, "show", "ada", "--format", "json")
    assert "Analytical Engines" in run(root, "show", "ada").stdout


@pytest.mark.parametrize("damage", [b"", b"{not json\n", b"garbage", None])
def test_a_damaged_answer_is_computed_again(vault, run, damage):
    root = small_vault(vault)
    first = run(root, "report").stdout
    (path,) = stored(root)
    data = path.read_bytes()
    path.write_bytes(data[:-10] + b"tampered!!" if damage is None else damage)
    assert run(root, "report").stdout == first
    assert path.read_bytes() == data  # and written again


def test_a_kept_answer_with_one_byte_flipped_is_computed_again(vault, run):
    """The answer's MAC covers every byte of what is printed: one flipped bit is a miss."""
    root = small_vault(vault)
    first = run(root, "report").stdout
    (path,) = stored(root)
    data = path.read_bytes()
    at = data.index(b"Ada")
    path.write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1:])
    assert run(root, "report").stdout == first
    assert path.read_bytes() == data


def test_a_forged_answer_is_never_printed(vault, run):
    """Someone who can write .netnotes/ but has not the user's key rewrites a kept answer whole,
    with a header that fits it (its size, and a checksum would fit too): it is never printed."""
    root = small_vault(vault)
    first = run(root, "report").stdout
    (path,) = stored(root)
    head, _ = path.read_bytes().split(b"\n", 1)
    meta = json.loads(head)
    forged = b"\x1b]0;owned\x07Everyone is overdue\n"
    meta["size"], meta["crc"] = len(forged), zlib.crc32(forged)
    path.write_bytes(json.dumps(meta).encode() + b"\n" + forged)
    again = run(root, "report").stdout
    assert again == first and "owned" not in again


def test_an_answer_moved_to_another_question_is_a_miss(vault, run):
    """The MAC covers which question an answer answers (its file's name): swapping two kept
    answers gives neither command the other's output."""
    root = small_vault(vault)
    report, overdue = run(root, "report").stdout, run(root, "overdue").stdout
    one, two = stored(root)
    a, b = one.read_bytes(), two.read_bytes()
    one.write_bytes(b)
    two.write_bytes(a)
    assert run(root, "report").stdout == report
    assert run(root, "overdue").stdout == overdue


def test_no_cache_keeps_no_answers_and_rebuild_forgets_them(vault, run):
    root = small_vault(vault)
    run(root, "--no-cache", "report")
    assert stored(root) == []
    run(root, "report")
    assert len(stored(root)) == 1
    run(root, "index", "--rebuild")
    assert stored(root) == []


def test_only_the_newest_answers_are_kept(vault, run, monkeypatch):
    monkeypatch.setattr(answers, "KEEP", 3)
    root = small_vault(vault)
    for day in range(1, 8):
        run(root, "report", "--today", f"2026-11-{day:02d}")
    assert len(stored(root)) == 3


def test_unwritable_answers_folder_still_answers(vault, run):
    root = small_vault(vault)
    (root / ".netnotes").mkdir()
    (root / ANSWERS).write_text("a file where the folder should be")
    result = run(root, "report")
    assert result.exit_code == 0 and "Ada Lovelace" in result.stdout
    same_as_without_cache(run, root, "report")


# --- a big stored answer is checked and printed in pieces -------------------------------------

@pytest.fixture
def small_pieces(monkeypatch):
    """Every answer of a tiny vault is "big": stored answers are checked and printed in pieces
    of 64 bytes, as the JSON report of a 100,000-contact vault is in pieces of a megabyte."""
    monkeypatch.setattr(answers, "PIECE", 64)


def test_a_big_answer_is_printed_in_pieces_with_the_same_bytes(vault, run, small_pieces,
                                                               monkeypatch):
    root = small_vault(vault)
    for args in (["report", "--format", "json"], ["report"], ["check"]):
        first = run(root, *args)
        monkeypatch.setattr("netnotes.store.session.Session.vault",
                            lambda self: pytest.fail("computed again"))
        again = run(root, *args)
        assert (again.stdout, again.stderr, again.exit_code) == \
            (first.stdout, first.stderr, first.exit_code)
        monkeypatch.undo()
        monkeypatch.setattr(answers, "PIECE", 64)


@pytest.mark.parametrize("damage", ["flip", "truncate", "grow"])
def test_a_damaged_big_answer_is_computed_again(vault, run, small_pieces, damage):
    root = small_vault(vault)
    first = run(root, "report").stdout
    (path,) = stored(root)
    data = path.read_bytes()
    middle = len(data) // 2
    path.write_bytes({"flip": data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1:],
                      "truncate": data[:middle], "grow": data + b"more"}[damage])
    assert run(root, "report").stdout == first
    assert path.read_bytes() == data  # and written again


def test_a_big_answer_prints_what_was_checked_even_if_replaced_meanwhile(vault, run,
                                                                        small_pieces):
    """Another netnotes may replace the file between the check and the printing (it writes a
    new file and renames it): the open file is the one that was checked."""
    root = small_vault(vault)
    first = run(root, "report").stdout.encode()
    snap = engine.snapshot(root)
    (path,) = stored(root)
    found = answers.lookup(snap, text_report(root))
    assert found is not None and isinstance(found.out, answers.Kept)
    other = path.with_name("other")
    other.write_bytes(b"{}\n")
    os.replace(other, path)
    assert b"".join(found.pieces()) == first
    assert found.out.file.closed  # and its file is closed once printed


def test_a_big_answer_saved_with_out_is_the_same_file(vault, run, small_pieces, tmp_path,
                                                      monkeypatch):
    root = small_vault(vault)
    out = tmp_path / "report.json"
    run(root, "report", "--format", "json", "--out", str(out))
    first = out.read_bytes()
    out.unlink()
    monkeypatch.setattr("netnotes.store.session.Session.vault",
                        lambda self: pytest.fail("computed again"))
    run(root, "report", "--format", "json", "--out", str(out))  # from the stored answer
    assert out.read_bytes() == first and len(first) > answers.PIECE


@pytest.mark.parametrize("out", ["", "short\n", "é" * 3000, b"bytes\n"])
def test_any_answer_stored_comes_back_whole(vault, out, monkeypatch):
    """Stored as written, header in front of the body: an empty body, text, text in pieces, a
    long stderr (its header is long too), bytes."""
    monkeypatch.setattr(answers, "PIECE", 1000)
    snap = engine.snapshot(small_vault(vault))
    made = answers.Answer(out, "w" * 5000, 1)
    answers.store(snap, ("q",), made)
    back = answers.lookup(snap, ("q",))
    assert back is not None and (back.data(), back.err, back.code) == \
        (made.data(), made.err, made.code)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.sampled_from("ab\né“漢"), max_size=40), max_size=12),
       st.integers(1, 30))
def test_a_text_in_pieces_prints_as_the_text_joined(texts: list[str], piece: int) -> None:
    """A JSON report comes in the pieces it is joined from (report.Text): they are printed
    and stored as the same UTF-8 as the joined text, a bounded piece at a time."""
    with pytest.MonkeyPatch.context() as m:
        m.setattr(answers, "PIECE", piece)
        made = list(answers.Answer.text(texts).pieces())
        whole = list(answers.Answer.text("".join(texts)).pieces())
    assert b"".join(made) == b"".join(whole) == "".join(texts).encode()
    assert all(len(p.decode()) < 2 * piece for p in made) and b"" not in made


def test_a_finished_answer_imports_neither_the_parser_nor_the_index_nor_the_report(vault):
    """A warm run costs what proving the vault unchanged costs: the modules that read notes,
    keep the index or the memo, analyse or render are not even imported for a kept answer."""
    root = small_vault(vault)
    heavy = ("netnotes.vault.parse", "netnotes.vault.interactions", "netnotes.store.cache",
             "netnotes.store.load", "netnotes.store.memo", "netnotes.analysis",
             "netnotes.render", "pickle", "sqlite3", "yaml", "jinja2")
    (first_out, first), (second_out, second) = (json_report_imports(root, heavy)
                                                for _ in range(2))
    assert first != "[]"  # the first run made the answer
    assert second == "[]"  # the second printed it
    assert second_out == first_out


def kept_report(root: Path) -> tuple[answers.Answer, bytes]:
    """The stored big answer of a text report (small_pieces), found, and what was printed."""
    first = subprocess.run([sys.executable, "-m", "netnotes", "--vault", str(root), "--today",
                            TODAY.isoformat(), "report"], capture_output=True, check=True,
                           env=os.environ | {"PYTHONPATH": str(REPO / "src")}).stdout
    found = answers.lookup(engine.snapshot(root), text_report(root))
    assert found is not None and isinstance(found.out, answers.Kept)
    return found, first


def test_a_big_answer_is_sent_from_its_file_to_a_real_output(vault, small_pieces, tmp_path,
                                                             monkeypatch):
    """Printed to a file or a pipe, a big answer goes from its file by os.sendfile, the same
    bytes; to a stream without a file (a test's, a script's), in pieces."""
    root = small_vault(vault)
    found, first = kept_report(root)
    sent = []
    real = os.sendfile
    monkeypatch.setattr(os, "sendfile", lambda *a: sent.append(a) or real(*a))
    with open(tmp_path / "out", "wb") as out:
        found.write(out)
    assert (tmp_path / "out").read_bytes() == first and sent
    assert found.out.file.closed
    found, _ = kept_report(root)
    memory = io.BytesIO()
    found.write(memory)
    assert memory.getvalue() == first and found.out.file.closed


def test_a_big_answer_sendfile_gives_up_on_is_finished_in_pieces(vault, small_pieces, tmp_path,
                                                                monkeypatch):
    root = small_vault(vault)
    found, first = kept_report(root)
    real, calls = os.sendfile, []

    def once(out: int, src: int, offset: int, count: int) -> int:
        calls.append(offset)
        if len(calls) > 1:
            raise OSError(22, "Invalid argument")
        return real(out, src, offset, 100)

    monkeypatch.setattr(os, "sendfile", once)
    with open(tmp_path / "out", "wb") as out:
        found.write(out)
    assert (tmp_path / "out").read_bytes() == first and len(calls) == 2


def test_a_big_answer_worked_out_is_printed_from_the_file_it_was_kept_in(vault, run,
                                                                        small_pieces,
                                                                        monkeypatch):
    """The first report of a big vault is kept as it is worked out, and printed from the file
    it was kept in: its pieces (a JSON report's rows read back from its spill file) are made
    once, not once for the file and again for the output; the bytes are the same."""
    root = small_vault(vault)
    want = run(root, "--no-cache", "report", "--format", "json").stdout
    made = []
    real = answers.Answer.pieces

    def pieces(self):
        made.append(type(self.out).__name__)
        return real(self)

    monkeypatch.setattr(answers.Answer, "pieces", pieces)
    assert run(root, "report", "--format", "json").stdout == want
    assert made == ["list"]  # for the kept file; printed from it (Kept.send)
    assert not list((root / ".netnotes/answers").glob(".*.tmp"))
