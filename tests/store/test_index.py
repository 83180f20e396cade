"""The index in .netnotes/: invisible (same answers with and without it), refreshed by every
command, and never a wrong answer or a traceback whatever happened to the cache file."""

from __future__ import annotations

import os
import pickle
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE, REPO, TODAY, json_report_imports, note, small_vault

from netnotes.render import build_report
from netnotes.store import cache, engine, indexer, read_vault

DB = Path(".netnotes") / cache.DB_NAME


def report(root: Path, **kw: object) -> str:
    vault, _ = read_vault(root, **kw)  # type: ignore[arg-type]
    return build_report(vault, TODAY, "json")


def assert_same_as_without_cache(root: Path) -> cache.IndexStats:
    vault, stats = read_vault(root)
    assert build_report(vault, TODAY, "json") == report(root, use_cache=False)
    return stats


def test_index_command_says_what_it_did(vault, run):
    root = small_vault(vault)
    assert run(root, "index").stdout == "4 notes: 4 parsed, 0 cached, 0 removed\n"
    assert run(root, "index").stdout == "4 notes: 0 parsed, 4 cached, 0 removed\n"
    (root / "people/alan.md").write_text(note("Alan Turing", ["2026-11-01 call"]))
    (root / "journal/2026-02-01.md").unlink()
    result = run(root, "index")
    assert result.stdout == "3 notes: 1 parsed, 2 cached, 1 removed\n"
    assert result.stderr == ""  # no progress bar when not on a terminal
    assert run(root, "index", "--rebuild").stdout == "3 notes: 3 parsed, 0 cached, 0 removed\n"
    assert run(root, "index", "--quiet").stdout == ""
    assert (root / ".netnotes/.gitignore").read_text().strip().endswith("*")


def test_no_cache_option_reads_everything_and_writes_nothing(vault, run):
    root = small_vault(vault)
    result = run(root, "--no-cache", "report", "--format", "json")
    assert result.exit_code == 0
    assert not (root / ".netnotes").exists()
    assert result.stdout == run(root, "report", "--format", "json").stdout
    assert (root / DB).exists()


def test_cache_is_invisible_under_random_edits(vault):
    """A seeded random walk of edits, same-size rewrites, mtime restores, renames, deletions,
    new notes and config changes: after every step the cached report equals a fresh one."""
    rng = random.Random(5)
    root = small_vault(vault)
    names = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Barbara Liskov", "Edsger Dijkstra",
             "Katherine Johnson", "Hedy Lamarr", "Radia Perlman"]
    tomls = ["", '[report]\ndefault_tier = "close"\n',
             '[tiers]\nvip = "2 months"\nrest = "1 year"\n']

    def random_note() -> str:
        log = [f"2026-{rng.randint(1, 11):02d}-{rng.randint(10, 28)} "
               f"{rng.choice(['call', 'coffee', 'email'])} with [[{rng.choice(names)}]]"
               for _ in range(rng.randint(0, 3))]
        fields = {"tier": rng.choice(["close", "network", "vip", "nope"])} if rng.random() < .5 \
            else {}
        return note(rng.choice(names), log, **fields)

    served = 0
    for _step in range(60):
        people = sorted((root / "people").glob("*.md"))
        action = rng.choice(["edit", "same-size", "keep-mtime", "rename", "delete", "new", "new",
                             "journal", "config", "nothing"])
        target = rng.choice(people) if people else None
        if action == "edit" and target:
            target.write_text(random_note())
        elif action == "same-size" and target:  # same size, within the same mtime tick
            data = bytearray(target.read_bytes())
            i = data.index(b"name: ") + 6
            data[i] = ord("Q") if data[i] != ord("Q") else ord("Z")
            target.write_bytes(bytes(data))
        elif action == "keep-mtime" and target:  # a tool that restores the old mtime
            st = target.stat()
            data = target.read_bytes().replace(b"2026", b"2025", 1)
            target.write_bytes(data)
            os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
        elif action == "rename" and target:
            target.rename(root / "people" / f"p{rng.randrange(1000)}.md")
        elif action == "delete" and target:
            target.unlink()
        elif action == "new":
            (root / "people" / f"n{rng.randrange(1000)}.md").write_text(random_note())
        elif action == "journal":
            (root / "journal" / f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}.md").write_text(
                f"- met [[{rng.choice(names)}]]\n")
        elif action == "config":
            (root / "netnotes.toml").write_text(rng.choice(tomls))
        served += assert_same_as_without_cache(root).cached
    assert served > 100  # the walk really went through the cache


def test_unchanged_notes_come_from_the_cache_and_survive_restarts(vault):
    root = small_vault(vault)
    assert read_vault(root)[1].parsed == 4
    stats = assert_same_as_without_cache(root)
    assert (stats.parsed, stats.cached, stats.removed, stats.notice) == (0, 4, 0, None)


def test_changed_config_reparses_everything(vault):
    root = small_vault(vault)
    read_vault(root)
    (root / "netnotes.toml").write_text('[report]\ndefault_tier = "close"\n')
    stats = assert_same_as_without_cache(root)
    assert stats.parsed == 4


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty-header", "zeroed-page"])
def test_damaged_cache_file_is_rebuilt(vault, run, damage):
    root = small_vault(vault)
    read_vault(root)
    db = root / DB
    data = db.read_bytes()
    if damage == "garbage":
        db.write_bytes(b"this is not a database\n" * 100)
    elif damage == "truncated":
        db.write_bytes(data[: len(data) // 3])
    elif damage == "empty-header":
        db.write_bytes(b"\0" * 100 + data[100:])
    else:
        db.write_bytes(data[:4096] + b"\xff" * 4096 + data[8192:])
    result = run(root, "report", "--format", "json")
    assert result.exit_code == 0
    assert result.stdout == report(root, use_cache=False)
    assert result.stderr.startswith("netnotes: the index is damaged (")
    assert result.stderr.endswith("; rebuilt it\n") and result.stderr.count("\n") == 1
    again = run(root, "index")
    assert (again.stdout, again.stderr) == ("4 notes: 0 parsed, 4 cached, 0 removed\n", "")


def test_cache_of_an_older_schema_is_rebuilt_with_a_notice(vault, run):
    root = small_vault(vault)
    read_vault(root)
    with sqlite3.connect(root / DB) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
        conn.execute("ALTER TABLE notes RENAME COLUMN record TO old_record")
    result = run(root, "report", "--format", "json")
    assert result.stdout == report(root, use_cache=False)
    assert "another netnotes version" in result.stderr
    assert run(root, "index").stdout == "4 notes: 0 parsed, 4 cached, 0 removed\n"


def test_rows_not_written_by_us_are_never_unpickled(vault, tmp_path):
    """A row planted by someone else (a sync tool, a colleague) fails its MAC and is re-parsed."""
    root = small_vault(vault)
    read_vault(root)
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    with sqlite3.connect(root / DB) as conn:
        conn.execute("UPDATE notes SET record = ?", (pickle.dumps(Evil()),))
    stats = assert_same_as_without_cache(root)
    assert not marker.exists()
    assert stats.parsed == 4


def test_cache_written_by_a_killed_process_gives_correct_results(vault):
    """A process killed in the middle of writing the cache (SIGKILL, no cleanup) leaves the file
    in a state the next run either uses correctly or rebuilds."""
    root = small_vault(vault)
    read_vault(root)
    (root / "people/ada.md").write_text(note("Ada Lovelace", ["2026-11-20 dinner"]))
    (root / "people/new.md").write_text(note("Hedy Lamarr", ["2026-10-01 call"]))
    child = (
        "import os, signal, sys\n"
        "from netnotes.store import cache\n"
        "from netnotes.store.load import read_vault\n"
        "real = cache.NoteCache._values\n"
        "def dying(self, entries):\n"
        "    for i, v in enumerate(real(self, entries)):\n"
        "        if i == 1:\n"
        "            os.kill(os.getpid(), signal.SIGKILL)\n"
        "        yield v\n"
        "cache.NoteCache._values = dying\n"
        "read_vault(sys.argv[1])\n"
    )
    env = os.environ | {"PYTHONPATH": str(REPO / "src")}
    proc = subprocess.run([sys.executable, "-c", child, str(root)], env=env)
    assert proc.returncode == -9
    assert_same_as_without_cache(root)
    assert_same_as_without_cache(root)


def test_two_processes_at_once_never_corrupt_the_cache(vault):
    root = small_vault(vault)
    for i in range(30):
        (root / f"people/p{i}.md").write_text(note(f"Person {i}", [f"2026-01-{i + 1:02d} call"]))
    env = os.environ | {"PYTHONPATH": str(REPO / "src")}
    cmd = [sys.executable, "-m", "netnotes", "--vault", str(root), "index", "--rebuild"]
    for _ in range(2):
        procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(2)]
        (root / "people/p3.md").write_text(note("Person Three", ["2026-11-01 lunch"]))
        for p in procs:
            out, err = p.communicate(timeout=60)
            assert p.returncode == 0, err
            assert "Traceback" not in err
    assert_same_as_without_cache(root)


def test_unwritable_cache_folder_runs_without_it(vault, run):
    root = small_vault(vault)
    (root / ".netnotes").write_text("a file where the cache folder should be")
    result = run(root, "report", "--format", "json")
    assert result.exit_code == 0
    assert result.stdout == report(root, use_cache=False)
    assert result.stderr.startswith("netnotes: cannot write .netnotes/")
    assert result.stderr.count("\n") == 1


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs a user that file permissions apply to")
def test_read_only_vault_runs_without_cache(vault, run):
    root = small_vault(vault)
    read_vault(root)
    os.chmod(root / ".netnotes", 0o500)
    os.chmod(root / DB, 0o400)
    try:
        (root / "people/alan.md").write_text(note("Alan Turing", ["2026-11-01 call"]))
        result = run(root, "report", "--format", "json")
        assert result.stdout == report(root, use_cache=False)
    finally:
        os.chmod(root / ".netnotes", 0o700)
        os.chmod(root / DB, 0o600)


@pytest.mark.parametrize("error", ["attempt to write a readonly database",
                                   "database or disk is full", "database is locked"])
def test_failed_write_is_one_notice_and_the_same_answer(vault, run, monkeypatch, error):
    root = small_vault(vault)

    def fail(*args, **kwargs):
        raise sqlite3.OperationalError(error)

    monkeypatch.setattr(cache.NoteCache, "save", fail)
    result = run(root, "report", "--format", "json")
    assert result.exit_code == 0
    assert result.stdout == report(root, use_cache=False)
    assert result.stderr.count("\n") == 1 and "the answer is not affected" in result.stderr


def test_locked_cache_on_read_runs_without_it(vault, run, monkeypatch):
    root = small_vault(vault)

    def locked(self):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(cache.NoteCache, "load", locked)
    result = run(root, "report", "--format", "json")
    assert result.stdout == report(root, use_cache=False)
    assert result.stderr == "netnotes: the index is busy (another netnotes is writing it); " \
                            "read every note\n"


def test_stats_summary_uses_thousands_separators():
    assert cache.IndexStats(10_000, 3, 9_997, 1).summary() == \
        "10,000 notes: 3 parsed, 9,997 cached, 1 removed"
    assert cache.IndexStats(1, 1, 0, 0).summary() == "1 note: 1 parsed, 0 cached, 0 removed"


def benchmark(name: str):
    """A script of benchmarks/ (not a package) imported as a module."""
    import importlib

    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.pop(0)


def test_benchmark_vault_generator_is_deterministic(tmp_path):
    gen_vault = benchmark("gen_vault")
    gen_vault.generate(40, tmp_path / "a")
    gen_vault.generate(40, tmp_path / "b")
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.md"))
    assert len(files) == 42
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
               for f in files)
    vault, _ = read_vault(tmp_path / "a", use_cache=False)
    assert len(vault.contacts) == 40
    assert not [p for p in vault.problems if p.severity == "error"]


def test_fresh_mtime_is_not_trusted_content_is_compared(vault, monkeypatch):
    """Two writes in one timestamp tick leave size and mtime alike; a row written while the
    mtime was that fresh keeps a hash of the bytes, and the next run compares it."""
    def without_ctime(st):
        return (st.st_size, st.st_mtime_ns, 0, st.st_ino)

    monkeypatch.setattr(indexer, "stat_key", without_ctime)
    monkeypatch.setattr(engine, "stat_key", without_ctime)
    root = small_vault(vault)
    ada = root / "people/ada.md"
    read_vault(root)
    st = ada.stat()
    ada.write_bytes(ada.read_bytes().replace(b"Ada Lovelace", b"Ada Byron-Lo"))
    os.utime(ada, ns=(st.st_atime_ns, st.st_mtime_ns))
    vault_, stats = read_vault(root)
    assert "Ada Byron-Lo" in [c.name for c in vault_.contacts]
    assert stats.parsed == 1


def test_json_report_never_imports_jinja2_or_watchdog(vault):
    """Start-up time is part of every run: what a command does not use is not imported."""
    root = small_vault(vault)
    out, imported = json_report_imports(root, ("jinja2", "watchdog"))
    assert imported == "[]"
    assert '"netnotes_report": 1' in out


@pytest.mark.parametrize("sql", [
    "UPDATE meta SET value = 'not a number' WHERE key = 'schema'",
    "UPDATE notes SET mac = 'text, not bytes', digest = 'also text'",
    "UPDATE notes SET record = 42, kind = 7",
    "DROP TABLE notes",
])
def test_cache_edited_by_hand_is_never_trusted(vault, run, sql):
    root = small_vault(vault)
    read_vault(root)
    with sqlite3.connect(root / DB) as conn:
        conn.execute(sql)
    result = run(root, "report", "--format", "json")
    assert result.exit_code == 0
    assert result.stdout == report(root, use_cache=False)
    assert result.stderr.count("\n") <= 1
    assert run(root, "index").stdout == "4 notes: 0 parsed, 4 cached, 0 removed\n"


def test_damage_found_halfway_through_the_rows(vault, run):
    """Rows before a damaged page are used, the rest parsed, and the file started afresh."""
    root = small_vault(vault)
    for i in range(60):  # enough rows for several pages
        (root / f"people/p{i:02d}.md").write_text(note(f"Person {i}", ["2026-01-02 call"]))
    read_vault(root)
    db = root / DB
    data = db.read_bytes()
    cut = len(data) // 2 // 4096 * 4096
    db.write_bytes(data[:cut] + b"\x13" * 4096 + data[cut + 4096:])
    vault_, stats = read_vault(root)
    assert build_report(vault_, TODAY, "json") == report(root, use_cache=False)
    assert 0 < stats.cached < 64 and stats.notice.endswith("; rebuilt it")
    assert_same_as_without_cache(root)
    assert read_vault(root)[1].cached == 64


def test_file_name_that_is_not_utf8_is_read_every_time(vault):
    root = small_vault(vault)
    odd = os.path.join(os.fsencode(root), b"people/caf\xe9.md")
    with open(odd, "w") as f:
        f.write(note("Cafe Owner", ["2026-01-01 call"]))
    read_vault(root)
    stats = assert_same_as_without_cache(root)
    assert (stats.parsed, stats.cached, stats.notice) == (1, 4, None)


def test_json_report_of_a_file_name_that_is_not_utf8_is_utf8_json(vault, run):
    """A file name that is not UTF-8 (its byte kept as a lone surrogate) is written in the JSON
    report as JSON escapes it (``\\udce9``): the report is UTF-8 and reads back to the same
    name; stored and printed again, narrowed too (it stopped with a traceback)."""
    import json

    root = small_vault(vault)
    with open(os.path.join(os.fsencode(root), b"people/caf\xe9.md"), "w") as f:
        f.write(note("Cafe Owner", ["2026-01-01 call"]))
    for args in ([], [], ["--fields", "name,path"]):
        result = run(root, "report", "--format", "json", *args)
        assert result.exit_code == 0
        data = json.loads(result.stdout_bytes.decode("utf-8"))
        assert "people/caf\udce9.md" in {c["path"] for c in data["contacts"]}
        assert b"caf\\udce9" in result.stdout_bytes


def test_the_python_floor_reads_the_same_lines_as_netnotes(tmp_path):
    """benchmarks/floor.py is only a floor if it does no less than netnotes must: every note,
    every log line of contacts and journal alike, with the same date and kind (in one process
    and in workers alike), and every contact's front matter."""
    floor = benchmark("floor")
    benchmark("gen_vault").generate(40, tmp_path)
    vault, _ = read_vault(tmp_path, use_cache=False)
    lines = sorted((i.path, i.date, i.kind) for i in vault.interactions)
    assert any(path.startswith("journal/") for path, _, _ in lines)
    paths = [Path(p).relative_to(tmp_path).as_posix() for p in floor.note_paths(str(tmp_path))]
    for jobs in (1, 2):
        parsed = floor.read_vault(str(tmp_path), jobs)
        assert len(parsed) == vault.notes_read
        assert sorted((rel, day, kind or None) for rel, (_, log) in zip(paths, parsed, strict=True)
                      for day, kind, _ in log) == lines
        names = {rel: meta.get("name") for rel, (meta, _) in zip(paths, parsed, strict=True)}
        assert all(names[c.path] == c.name for c in vault.contacts)


def test_the_yaml_comparison_reads_what_netnotes_reads():
    """benchmarks/yaml_loaders.py compares other libraries against netnotes' own reading, so its
    "netnotes" and "pyyaml-c" ways must be that reading: on every hostile input and every note
    of the example vault both give the same values, or an error on the same line, and the
    values a whole note's parse gives."""
    y = benchmark("yaml_loaders")
    notes = y.front_matters(REPO / "tests" / "bad_inputs") + y.front_matters(EXAMPLE)
    assert len(notes) > 60
    from netnotes.vault import parse_note

    for path, text in notes:
        now = y.netnotes_now(text)
        assert y.pyyaml_c(text) == now, path
        whole = parse_note(f"---\n{text}\n---\n".encode(), path)
        if not any(p.severity == "error" for p in whole.problems):
            assert now == ("values", whole.meta), path
