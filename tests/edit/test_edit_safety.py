"""The write path keeps its promises: atomic under crashes, no lost update under races, never
outside the vault or through a symlink, no write for a no-op, orphaned temp files swept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import REPO, note

from netnotes.edit import newcontact, notes
from netnotes.edit.changes import EditRefused
from netnotes.store import load_vault
from netnotes.vault import fileio

ADA = note("Ada Lovelace", ["2026-01-01 call"], tier="close")


class Crash(BaseException):
    """What a power cut looks like to the code: nothing after it runs (not even `except
    Exception`)."""


def _temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(fileio.TEMP_PREFIX))


STEPS = ["mkstemp", "write", "fsync", "chmod", "check", "replace", "fsync_dir"]


@pytest.mark.parametrize("step", STEPS)
def test_a_crash_at_any_step_of_the_write_leaves_the_old_or_the_new_note(vault, monkeypatch,
                                                                          step):
    root = vault({"people/ada.md": ADA})
    path = root / "people/ada.md"
    old = path.read_bytes()
    real = {"mkstemp": tempfile.mkstemp, "fdopen": os.fdopen, "fsync": os.fsync,
            "chmod": os.chmod, "replace": os.replace, "fsync_dir": fileio.fsync_dir,
            "check": notes._unchanged}

    def crash_at(name, fn):
        def wrapper(*args, **kwargs):
            if name == step:
                raise Crash(step)
            return fn(*args, **kwargs)
        return wrapper

    class CrashingFile:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def write(self, data):
            if step == "write":
                self.f.write(data[: len(data) // 2])  # half the bytes made it to disk
                raise Crash(step)
            return self.f.write(data)

        def __getattr__(self, name):
            return getattr(self.f, name)

    monkeypatch.setattr(tempfile, "mkstemp", crash_at("mkstemp", real["mkstemp"]))
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: CrashingFile(real["fdopen"](*a, **k)))
    monkeypatch.setattr(os, "fsync", crash_at("fsync", real["fsync"]))
    monkeypatch.setattr(os, "chmod", crash_at("chmod", real["chmod"]))
    monkeypatch.setattr(os, "replace", crash_at("replace", real["replace"]))
    monkeypatch.setattr(fileio, "fsync_dir", crash_at("fsync_dir", real["fsync_dir"]))
    monkeypatch.setattr(notes, "_unchanged", crash_at("check", real["check"]))
    v = load_vault(root)
    with pytest.raises(Crash):
        notes.set_field(v, "ada", "tier", ["critical"])
    monkeypatch.undo()
    now = path.read_bytes()
    if STEPS.index(step) <= STEPS.index("replace"):
        assert now == old
    else:
        assert now == old.replace(b"tier: close", b"tier: critical")
    assert _temp_files(root / "people") == []  # the interrupted write cleaned up after itself


CHILD = """
import sys
from pathlib import Path
from netnotes.vault.fileio import write_bytes_atomic
path = Path(sys.argv[1])
versions = [b"---\\nname: Ada\\n---\\n" + bytes([65 + i]) * 100_000 for i in range(3)]
print("ready", flush=True)
i = 0
while True:
    write_bytes_atomic(path, versions[i % 3])
    i += 1
"""


def test_a_process_killed_mid_write_never_leaves_a_partial_note(tmp_path):
    path = tmp_path / "ada.md"
    versions = [b"---\nname: Ada\n---\n" + bytes([65 + i]) * 100_000 for i in range(3)]
    path.write_bytes(versions[0])
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    for delay in (0.0, 0.01, 0.03, 0.06, 0.1):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], env=env,
                                 stdout=subprocess.PIPE)
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert path.read_bytes() in versions  # whole: one version or another, never a mix
    # temp files a kill left behind are ignored by reading and swept by the next edit
    notes.clean_orphans(tmp_path, now=time.time() + 3600)
    assert _temp_files(tmp_path) == []


def test_a_note_changed_between_read_and_write_is_not_overwritten(vault):
    root = vault({"people/ada.md": ADA})
    path = root / "people/ada.md"
    snap = notes.read_snapshot(path, "people/ada.md")
    path.write_text(ADA + "- 2026-02-02 their editor saved this\n")
    theirs = path.read_bytes()
    with pytest.raises(EditRefused, match="changed while netnotes was editing it"):
        notes.write_if_unchanged(snap, b"---\nname: Ada\n---\n")
    assert path.read_bytes() == theirs


def test_a_change_with_the_same_size_and_time_is_still_noticed(vault):
    root = vault({"people/ada.md": ADA})
    path = root / "people/ada.md"
    snap = notes.read_snapshot(path, "people/ada.md")
    st = path.stat()
    path.write_bytes(ADA.replace("close", "CLOSE").encode())
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    with pytest.raises(EditRefused):
        notes.write_if_unchanged(snap, b"x")
    assert b"CLOSE" in path.read_bytes()


def test_a_change_just_before_the_rename_is_noticed_too(vault, monkeypatch):
    """The last check runs after the temp file is on disk, right before it replaces the note."""
    root = vault({"people/ada.md": ADA})
    path = root / "people/ada.md"
    real_chmod = os.chmod

    def editor_saves_now(p, mode):
        real_chmod(p, mode)
        if str(p).endswith(".tmp"):
            path.write_bytes(ADA.encode() + b"- 2026-02-02 saved at the worst moment\n")

    monkeypatch.setattr(os, "chmod", editor_saves_now)
    v = load_vault(root)
    with pytest.raises(EditRefused, match="changed while"):
        notes.log_interaction(v, "ada", "coffee", TODAY_)
    monkeypatch.undo()
    assert path.read_bytes().endswith(b"saved at the worst moment\n")
    assert _temp_files(root / "people") == []


TODAY_ = __import__("datetime").date(2026, 11, 22)


def test_a_change_while_the_edit_is_computed_is_refused(vault):
    root = vault({"people/ada.md": ADA})
    path = root / "people/ada.md"
    v = load_vault(root)

    def slow_change(data: bytes, rel: str) -> bytes:
        path.write_bytes(data + b"- 2026-03-03 from another machine\n")  # a git pull, say
        return data.replace(b"close", b"critical")

    with pytest.raises(EditRefused):
        notes.change_note(v, "ada", slow_change)
    assert path.read_bytes().endswith(b"from another machine\n")


def test_permissions_survive_an_edit(vault):
    root = vault({"people/ada.md": ADA})
    path = root / "people/ada.md"
    path.chmod(0o640)
    notes.set_field(load_vault(root), "ada", "tier", ["critical"])
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_no_op_writes_nothing(vault):
    root = vault({"people/ada.md": ADA})
    path = root / "people/ada.md"
    before = path.stat()
    result = notes.set_field(load_vault(root), "ada", "tier", ["close"])
    assert result.changed is False
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_paths_never_leave_the_vault(vault, tmp_path):
    root = vault({"people/ada.md": ADA})
    for bad in ("../outside.md", "/etc/passwd", "people/../../x.md", "", "people\\..\\x.md"):
        with pytest.raises(EditRefused):
            notes.note_path(root, bad)
    assert notes.note_path(root, "people/ada.md") == root.resolve() / "people/ada.md"


def test_never_writes_through_a_symlink(vault, tmp_path):
    root = vault({"archive/ada.md": ADA})
    (root / "people").mkdir()
    (root / "people/ada.md").symlink_to(root / "archive/ada.md")
    v = load_vault(root)
    assert "ada" in v.by_id  # reading follows a link that stays inside the vault
    with pytest.raises(EditRefused, match="symbolic link"):
        notes.set_field(v, "ada", "tier", ["critical"])
    assert (root / "archive/ada.md").read_text() == ADA


def test_a_people_folder_that_is_a_symlink_out_of_the_vault_is_refused(vault, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "ada.md").write_text(ADA)
    root = vault({})
    (root / "people").symlink_to(outside)
    v = load_vault(root)
    assert "ada" not in v.by_id  # not read, like a single note linking out of the vault
    assert any(p.code == "symlink-outside" and p.source.path == "people" for p in v.problems)
    with pytest.raises(EditRefused, match="symbolic link"):
        newcontact.add_contact(v, "Grace Hopper")
    assert sorted(p.name for p in outside.iterdir()) == ["ada.md"]
    assert (outside / "ada.md").read_text() == ADA


def test_orphan_temp_files_are_swept_by_the_next_edit(vault):
    root = vault({"people/ada.md": ADA})
    old = root / "people" / f"{fileio.TEMP_PREFIX}crashed.tmp"
    fresh = root / "people" / f"{fileio.TEMP_PREFIX}writing-now.tmp"
    old.write_bytes(b"half a no")
    fresh.write_bytes(b"being written by another process")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    v = load_vault(root)
    assert v.notes_read == 1  # reading ignores them
    notes.log_interaction(v, "ada", "coffee", TODAY_)
    assert not old.exists()
    assert fresh.exists()  # too young: it may belong to a write in progress


def test_add_never_overwrites_even_when_a_file_appears_meanwhile(vault, monkeypatch):
    root = vault({})
    v = load_vault(root)
    real = notes.create_bytes_atomic

    def someone_was_faster(path, data):
        path.write_text("theirs")
        return real(path, data)

    monkeypatch.setattr(notes, "create_bytes_atomic", someone_was_faster)
    with pytest.raises(EditRefused, match="nothing was overwritten"):
        newcontact.add_contact(v, "Ada Lovelace")
    assert (root / "people/ada-lovelace.md").read_text() == "theirs"
