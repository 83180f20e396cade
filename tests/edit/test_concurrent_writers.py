"""Writers take turns: many netnotes commands writing one note at the same moment all succeed, and
every change a command reported is in the note, whole and in date order.

Each worker is a separate process (the vault's lock is between processes) that runs the real
commands through the click group, started together on a signal; twenty of them run at once, and
each runs its command twenty times.  The workers skip fsync, so that the test takes seconds, not
the disk's time for 400 flushes: what a crash leaves is proved in test_edit_safety.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, note

from netnotes.core import NetnotesError
from netnotes.store import load_vault
from netnotes.vault import LockTimeout, parse_note, scan, vault_lock

WORKERS = 20
ROUNDS = 20

WORKER = r"""
import datetime as dt, json, os, sys, time
from pathlib import Path
from click.testing import CliRunner
from netnotes.cli import cli
from netnotes.edit.notes import log_interaction
from netnotes.store import load_vault

vault, go, plan = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
os.fsync = lambda fd: None  # durability has its own tests; here only the turns are tested
runner = CliRunner()
model = load_vault(Path(vault), use_cache=False)  # read once: stale by the time it writes
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.002)
done = []
for args in plan:
    if args[0] == "lib-log":  # the library call the command makes, without loading the vault
        try:
            log_interaction(model, args[1], args[2], dt.date.fromisoformat(args[4]))
            done.append([args, 0, ""])
        except Exception as exc:
            done.append([args, 1, repr(exc)])
        continue
    result = runner.invoke(cli, ["--vault", vault, "--today", "2026-11-22", *args])
    done.append([args, result.exit_code, result.output[-300:]])
print(json.dumps(done), flush=True)
"""


def _run_together(root: Path, plans: list[list[list[str]]]) -> list[tuple[list[str], int, str]]:
    """Run one worker process per plan, all released at the same moment; every command run."""
    go = root.parent / "go"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(root), str(go), json.dumps(p)],
                              env=env, stdout=subprocess.PIPE, text=True) for p in plans]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline() == "ready\n"
    go.touch()
    out = []
    for p in procs:
        stdout, _ = p.communicate(timeout=120)
        assert p.returncode == 0
        out.extend((args, code, text) for args, code, text in json.loads(stdout))
    return out


def _log_lines(data: bytes) -> list[tuple[dt.date, str]]:
    raw = parse_note(data, "people/ada.md")
    assert not [p for p in raw.problems if p.severity == "error"]  # no torn or broken file
    found, _ = scan(raw.body, "people/ada.md", raw.body_line, log_headings=None)
    return [(ln.date, ln.text) for ln in found]


def _day(i: int, j: int) -> str:
    return (dt.date(2026, 1, 1) + dt.timedelta(days=(i * 7 + j * 13) % 300)).isoformat()


def test_twenty_concurrent_logs_twenty_times_all_land_in_date_order(vault):
    root = vault({"people/ada.md": note("Ada Lovelace", ["2025-12-31 first coffee"])})
    # The first round goes through the command; the other rounds call the library function the
    # command calls, so that the test spends its time on the writes, not on starting commands.
    plans = [[["log" if j == 0 else "lib-log", "ada", f"call w{i} r{j}", "--date", _day(i, j)]
              for j in range(ROUNDS)] for i in range(WORKERS)]
    results = _run_together(root, plans)
    assert len(results) == WORKERS * ROUNDS
    failed = [(args, text) for args, code, text in results if code != 0]
    assert failed == []  # nobody is refused: they take turns
    lines = _log_lines((root / "people/ada.md").read_bytes())
    texts = [text for _, text in lines]
    for args, _code, _ in results:  # every reported success is in the note, exactly once
        assert texts.count(args[2]) == 1
    assert len(lines) == WORKERS * ROUNDS + 1
    assert [d for d, _ in lines] == sorted(d for d, _ in lines)  # in date order


def test_concurrent_log_set_and_snooze_keep_every_reported_change(vault):
    root = vault({"people/ada.md": note("Ada Lovelace", ["2025-12-31 first coffee"],
                                        tags="[math]")})
    plans = []
    for i in range(WORKERS):
        plan = []
        for j in range(3):
            kind = (i + j) % 3
            if kind == 0:
                plan.append(["log", "ada", f"lunch w{i} r{j}", "--date", _day(i, j)])
            elif kind == 1:
                plan.append(["set", "ada", "tags", "--add", f"t{i}x{j}"])
            else:
                plan.append(["snooze", "ada", f"2027-{1 + i % 12:02d}-{1 + j:02d}"])
        plans.append(plan)
    results = _run_together(root, plans)
    assert [(a, t) for a, c, t in results if c != 0] == []
    data = (root / "people/ada.md").read_bytes()
    texts = [text for _, text in _log_lines(data)]
    meta = parse_note(data, "people/ada.md").meta
    logged = [a[2] for a, _, _ in results if a[0] == "log"]
    tagged = [a[4] for a, _, _ in results if a[0] == "set"]
    snoozed = {a[2] for a, _, _ in results if a[0] == "snooze"}
    assert all(texts.count(t) == 1 for t in logged)
    assert sorted(meta["tags"]) == sorted(["math", *tagged])
    assert meta["snooze_until"] in snoozed  # one of the values set, written whole


HOLDER = r"""
import sys, time
from pathlib import Path
from netnotes.edit.notes import lock_vault
with lock_vault(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(60)
"""


def test_a_killed_lock_holder_never_blocks_the_next_writer(vault):
    root = vault({"people/ada.md": note("Ada Lovelace", ["2026-01-01 call"])})
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(root)], env=env,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    v = load_vault(root)
    from netnotes.edit import notes

    with pytest.raises(LockTimeout, match="another netnotes command"):
        with notes.lock_vault(root, timeout=0.2):
            pass  # pragma: no cover - the holder has it
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    start = time.monotonic()
    notes.log_interaction(v, "ada", "coffee after the crash", dt.date(2026, 11, 22))
    assert time.monotonic() - start < 2
    assert b"coffee after the crash" in (root / "people/ada.md").read_bytes()


def test_the_lock_is_re_entrant_and_bounded(tmp_path):
    with vault_lock(tmp_path, timeout=0.1):
        with vault_lock(tmp_path, timeout=0.1):  # add: choose a name, then write, one lock
            pass
    assert issubclass(LockTimeout, NetnotesError)  # a one-line refusal, never a traceback


def test_without_a_lockable_file_system_a_lock_folder_serves(tmp_path, monkeypatch):
    from netnotes.vault import locking

    monkeypatch.setattr(locking, "_lock_fd", lambda *a: False)  # as on a mount without flock
    with vault_lock(tmp_path, timeout=0.1):
        assert (tmp_path / "write.lock.d" / "holder").read_text().split()[1] == str(os.getpid())
    assert not (tmp_path / "write.lock.d").exists()
    # a folder left by a process that no longer runs is stale: taken over at once
    (tmp_path / "write.lock.d").mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / "write.lock.d" / "holder").write_text(f"{locking.socket.gethostname()} "
                                                      f"{dead.pid}\n")
    with vault_lock(tmp_path, timeout=0.1):
        pass


def test_the_merge_driver_merges_under_the_vault_lock_and_waits_for_a_writer(vault, tmp_path):
    """The driver reads the three versions and writes its result while holding the lock, so a
    netnotes writer and a merge take turns; a writer holding it makes the driver wait."""
    from netnotes.edit.sync import run_merge_driver

    root = vault({"people/ada.md": note("Ada Lovelace", ["2026-01-01 call"])})
    base = note("Ada Lovelace", ["2026-01-01 call"])
    files = {}
    for name, extra in (("base", ""), ("ours", "- 2026-02-01 ours\n"),
                        ("theirs", "- 2026-02-02 theirs\n")):
        files[name] = tmp_path / name
        files[name].write_text(base + extra)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER.replace("time.sleep(60)",
                                                                    "time.sleep(1.0)"),
                               str(root)], env=env, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    start = time.monotonic()
    result = run_merge_driver(files["base"], files["ours"], files["theirs"], "people/ada.md",
                              cwd=root)
    waited = time.monotonic() - start
    holder.wait()
    assert result.clean and waited >= 0.5  # it waited for the writer to finish
    text = files["ours"].read_text()
    assert "- 2026-02-01 ours" in text and "- 2026-02-02 theirs" in text
