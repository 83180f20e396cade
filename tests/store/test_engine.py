"""The cache engine's seal: what every store relies on to never load what it did not write."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from netnotes.store import engine


@pytest.fixture
def seal() -> engine.Seal:
    return engine.Seal(b"k" * 32, "memo")


def test_a_sealed_value_comes_back_as_it_was(seal):
    assert seal.unseal("hot", seal.seal("hot", b"value")) == b"value"
    assert seal.unseal("empty", seal.seal("empty", b"")) == b""


@pytest.mark.parametrize("what", ["flipped", "truncated", "other place", "other store",
                                  "other key", "not bytes", "missing"])
def test_anything_but_the_sealed_value_at_its_place_is_a_miss(seal, what):
    data = seal.seal("hot", b"value")
    place, reader = "hot", seal
    if what == "flipped":
        data = data[:-1] + bytes([data[-1] ^ 1])
    elif what == "truncated":
        data = data[: engine.MAC_SIZE - 1]
    elif what == "other place":
        place = "cold"
    elif what == "other store":
        reader = engine.Seal(b"k" * 32, "index")
    elif what == "other key":
        reader = engine.Seal(os.urandom(32), "memo")
    elif what == "not bytes":
        data = "text"  # type: ignore[assignment]
    else:
        data = None  # type: ignore[assignment]
    with pytest.raises(engine.Miss):
        reader.unseal(place, data)


def test_a_value_sealed_in_pieces_is_the_value_sealed_whole(seal):
    h = seal.hasher("answer")
    for piece in (b"one ", b"two ", b"three"):
        h.update(piece)
    assert h.digest() == seal.mac("answer", b"one two three")


def test_a_file_replaced_whole_or_not_at_all(tmp_path):
    path = tmp_path / "kept"
    path.write_bytes(b"old")

    def dies(f):
        f.write(b"half of the new")
        raise OSError("disk full")

    assert not engine.replace_file(path, dies)
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["kept"]
    assert engine.replace_file(path, lambda f: f.write(b"new"))
    assert path.read_bytes() == b"new" and os.listdir(tmp_path) == ["kept"]


def test_a_racy_stat_is_backed_by_the_content_or_not_trusted(tmp_path):
    path = tmp_path / "note.md"
    path.write_bytes(b"hello")
    st = path.stat()
    now, later = st.st_mtime_ns, st.st_mtime_ns + 3600 * 10**9
    assert engine.note_state(st, now, path.read_bytes)[1] is not None
    assert engine.trusted_stat(st, now) is None
    assert engine.note_state(st, later, lambda: pytest.fail("read")) == (engine.stat_key(st), None)
    assert engine.trusted_stat(st, later) == engine.stat_key(st)


def test_the_notes_state_written_out_is_each_files_state(tmp_path):
    """snapshot writes a settled note's state without a call (_notes_state): the same lines as
    _file_state gives, for settled notes, racy ones (their bytes' hash too) and unstat-able."""
    from netnotes.vault import RACY_NS, NoteFile

    notes = []
    for k, age in enumerate((-2 * RACY_NS, RACY_NS, 10**12)):  # the first: racy
        path = tmp_path / f"n{k}.md"
        path.write_text(f"note {k}\n")
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - age))
        notes.append(NoteFile(path, f"people/n{k}.md", "person", path.stat()))
    notes.append(NoteFile(tmp_path / "gone.md", "people/gone.md", "person", None))
    scan_ns = max(n.stat.st_ctime_ns for n in notes if n.stat) + 2 * RACY_NS
    expected = "\n".join(engine._file_state(f"{n.rel}\0{n.kind}", n.stat, n, scan_ns)
                         for n in notes)
    assert engine._notes_state(notes, scan_ns) == expected
    assert [len(line.split("\0")) for line in expected.split("\n")] == [7, 6, 6, 3]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_commit_read_from_the_repository_files_is_what_git_says(tmp_path):
    """A warm run of a vault in git reads HEAD from the repository's files instead of starting
    git: in every usual layout the answer must be git's own, or a new commit could go unseen."""
    repo = tmp_path / "repo"
    vault = repo / "vaults" / "mine"
    (vault / "people").mkdir(parents=True)

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@x",
                        *args], check=True, capture_output=True)

    def same(where: Path) -> str:
        read = engine.git_head(where)
        assert read == engine._ask_git(where)
        return read

    git("init", "-q")
    assert same(vault) == "git: 1 "  # no commit yet
    (vault / "people" / "ada.md").write_text("---\nname: Ada\n---\n", encoding="utf-8")
    git("add", "-A")
    git("commit", "-qm", "one")
    first = same(vault)
    assert first.startswith("git: 0 ")
    git("pack-refs", "--all")  # the branch now only in packed-refs
    assert "refs/heads/" in (repo / ".git" / "packed-refs").read_text(encoding="utf-8")
    assert same(vault) == first
    (vault / "people" / "bo.md").write_text("---\nname: Bo\n---\n", encoding="utf-8")
    git("add", "-A")
    git("commit", "-qm", "two")
    second = same(vault)
    assert second != first
    git("checkout", "-q", "--detach", "HEAD~1")  # a detached HEAD
    assert same(vault) == first
    git("checkout", "-q", "-")
    git("worktree", "add", "-q", str(tmp_path / "other"), "HEAD~1")  # a linked worktree
    assert same(tmp_path / "other" / "vaults" / "mine") == first
    assert same(vault) == second
