"""`netnotes watch` with real file-system events: every way editors save leads to a new report.

The watcher runs in a thread with a stop event; every wait is bounded, so a missed event fails
the test instead of hanging it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import TODAY, note

from netnotes.watch import Rendered, Watcher

WAIT = 10.0  # seconds: generous for a busy CI machine; a passing test takes a fraction


class Running:
    def __init__(self, watcher: Watcher, out: Path):
        self.watcher, self.out = watcher, out
        self.results: list[Rendered] = []

    def page(self) -> str:
        return self.out.read_text(encoding="utf-8") if self.out.exists() else ""

    def wait_until(self, check: Callable[[str], bool]) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            page = self.page()
            if check(page):
                return page
            time.sleep(0.05)
        raise AssertionError(f"report did not change as expected within {WAIT}s:\n{self.page()}")


@pytest.fixture
def watching(vault, tmp_path) -> Iterator[Callable[..., Running]]:
    stops: list[tuple[threading.Event, threading.Thread]] = []

    def start(files: dict[str, str], fmt: str = "text") -> Running:
        root = vault(files)
        out = tmp_path / f"report.{fmt}"
        running: Running

        def on_render(result: Rendered, text: str) -> None:
            running.results.append(result)

        watcher = Watcher(root, fmt, out, today=lambda: TODAY, debounce=0.05,
                          on_render=on_render)
        running = Running(watcher, out)
        stop, ready = threading.Event(), threading.Event()
        thread = threading.Thread(target=watcher.run, args=(stop, ready), daemon=True)
        thread.start()
        stops.append((stop, thread))
        assert ready.wait(WAIT), "the watcher did not start"
        return running

    yield start
    for stop, thread in stops:
        stop.set()
        thread.join(WAIT)
        assert not thread.is_alive(), "the watcher did not stop"


ADA = note("Ada Lovelace", ["2026-01-10 call"], tier="close")


def test_write_in_place(watching):
    w = watching({"people/ada.md": ADA, "people/bob.md": note("Bob")})
    path = w.watcher.root / "people/ada.md"
    assert "Ada Lovelace" in w.page()
    with path.open("a", encoding="utf-8") as f:
        f.write("- 2026-11-20 coffee in place\n")
    w.wait_until(lambda p: "2026-11-20 coffee" in p)
    # The page is written before the rebuild's result is reported: wait for the report too (on
    # a busy machine the test thread can read the page first, and used to see the first render)
    deadline = time.monotonic() + WAIT
    while not any(r.changed and r.read == 1 for r in w.results[1:]):
        assert time.monotonic() < deadline, w.results
        time.sleep(0.02)
    assert [r.read for r in w.results[1:] if r.changed] == [1]  # only the changed note was read


def test_write_temp_then_rename(watching):
    w = watching({"people/ada.md": ADA})
    folder = w.watcher.root / "people"
    tmp = folder / "ada.md___jb_tmp___"
    tmp.write_text(ADA.replace("Ada Lovelace", "Ada King"), encoding="utf-8")
    os.replace(tmp, folder / "ada.md")
    w.wait_until(lambda p: "Ada King" in p)


def test_delete_then_create(watching):
    w = watching({"people/ada.md": ADA})
    path = w.watcher.root / "people/ada.md"
    path.unlink()
    path.write_text(ADA.replace("tier: close", "tier: critical"), encoding="utf-8")
    w.wait_until(lambda p: "1 in your critical few" in p)


def test_files_created_and_removed(watching):
    w = watching({"people/ada.md": ADA})
    root = w.watcher.root
    (root / "people/grace.md").write_text(note("Grace Hopper"), encoding="utf-8")
    w.wait_until(lambda p: "Grace Hopper" in p)
    (root / "people/ada.md").unlink()
    w.wait_until(lambda p: "Ada Lovelace" not in p and "Grace Hopper" in p)


def test_folder_renamed(watching):
    w = watching({"people/team/ada.md": ADA}, fmt="html")
    root = w.watcher.root
    w.wait_until(lambda p: "people/team/ada.md" in p)
    (root / "people/team").rename(root / "people/crew")
    page = w.wait_until(lambda p: "people/crew/ada.md" in p)
    assert "Ada Lovelace" in page


def test_broken_note_keeps_last_good_version_and_shows_the_problem(watching):
    w = watching({"people/ada.md": ADA})
    path = w.watcher.root / "people/ada.md"
    path.write_text("---\nname: [Ada\n---\n", encoding="utf-8")
    page = w.wait_until(lambda p: "last good version" in p)
    assert "Ada Lovelace" in page and "2026-01-10 call" in page
    assert "people/ada.md:3:1: error: front matter is not valid YAML" in page  # and where
    path.write_text(ADA.replace("2026-01-10 call", "2026-11-01 walk"), encoding="utf-8")
    page = w.wait_until(lambda p: "last good version" not in p and "2026-11-01 walk" in p)


def test_journal_and_settings_changes_rerender(watching):
    w = watching({"people/ada.md": ADA})
    root = w.watcher.root
    (root / "journal").mkdir()
    (root / "journal/2026-11-21.md").write_text("- lunch with [[ada]]\n", encoding="utf-8")
    w.wait_until(lambda p: "2026-11-21 lunch" in p)
    (root / "netnotes.toml").write_text('[tiers]\ninner = "1 month"\nclose = "6 months"\n',
                                        encoding="utf-8")
    w.wait_until(lambda p: "in your top tier (inner)" in p)


def test_our_own_output_does_not_trigger_a_loop(vault):
    root = vault({"people/ada.md": ADA})
    out = root / "report.html"
    renders: list[Rendered] = []
    watcher = Watcher(root, "html", out, today=lambda: TODAY, debounce=0.05,
                      on_render=lambda r, t: renders.append(r))
    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(target=watcher.run, args=(stop, ready), daemon=True)
    thread.start()
    try:
        assert ready.wait(WAIT)
        time.sleep(0.5)
        assert len(renders) == 1 and out.exists()
    finally:
        stop.set()
        thread.join(WAIT)
    assert not thread.is_alive()


def test_bad_settings_keep_the_last_page(vault, tmp_path):
    root = vault({"people/ada.md": ADA})
    out = tmp_path / "r.txt"
    w = Watcher(root, "text", out, today=lambda: TODAY)
    assert w.rebuild().ok
    (root / "netnotes.toml").write_text("[tiers\n", encoding="utf-8")
    w.notify(str(root / "netnotes.toml"))
    result = w.rebuild()
    assert not result.ok and "netnotes.toml" in result.error
    assert "Ada Lovelace" in out.read_text(encoding="utf-8")


@pytest.mark.enable_socket  # the one test that needs a socket: the loopback preview server
def test_serve_on_loopback_reloads_when_the_report_changes(watching):
    import urllib.request

    from netnotes.watch import serve

    w = watching({"people/ada.md": ADA}, fmt="html")
    server = serve(w.watcher, port=0)
    try:
        host, port = server.server_address[:2]
        assert host == "127.0.0.1"
        base = f"http://127.0.0.1:{port}"
        page = urllib.request.urlopen(base + "/", timeout=WAIT).read().decode()
        assert "Ada Lovelace" in page and "/__version" in page
        assert "<script" not in w.page()  # the file itself stays script-free
        version = urllib.request.urlopen(base + "/__version", timeout=WAIT).read()
        (w.watcher.root / "people/grace.md").write_text(note("Grace Hopper"), encoding="utf-8")
        w.wait_until(lambda p: "Grace Hopper" in p)
        # the version moves on just after the page is written: a poll between the two sees
        # the old one, as a browser would, and its next poll the new one
        deadline = time.monotonic() + WAIT
        while urllib.request.urlopen(base + "/__version", timeout=WAIT).read() == version:
            assert time.monotonic() < deadline, "the page changed but its version did not"
            time.sleep(0.05)
    finally:
        server.shutdown()
        server.server_close()


def test_cli_watch_stops_cleanly_on_ctrl_c(vault, run, tmp_path, monkeypatch):
    from netnotes.core import gcpause

    def interrupted(self, stop, ready=None):
        # a process that renders again and again must not freeze each run's garbage
        assert gcpause.freezing is False
        self.rebuild()
        raise KeyboardInterrupt

    monkeypatch.setattr(gcpause, "freezing", True)  # as cli.main sets it

    monkeypatch.setattr(Watcher, "run", interrupted)
    root = vault({"people/ada.md": ADA})
    out = tmp_path / "r.md"
    result = run(root, "watch", "--format", "markdown", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "stopped" in result.stderr and "wrote" in result.stderr
    assert out.read_text(encoding="utf-8").startswith("# netnotes report — 2026-11-22")


def test_the_terminal_hears_of_each_problem_once_and_of_its_fix(vault):
    """What `netnotes watch` prints after each render (the same lines as check)."""
    from netnotes import load_vault
    from netnotes.cli.reading import WATCH_PROBLEMS, problem_news

    root = vault({"people/ada.md": ADA})
    shown: set[str] = set()
    assert problem_news(load_vault(root, use_cache=False).problems, shown) == []
    (root / "people/ada.md").write_text(ADA.replace("tier: close", "tier: vip"))
    problems = load_vault(root, use_cache=False).problems
    said = problem_news(problems, shown)
    assert said == [str(p) for p in problems] and len(said) == 1
    assert said[0].startswith("people/ada.md:3:1: error: tier 'vip' is not defined")
    assert problem_news(problems, shown) == []  # said once, not at every render
    (root / "people/ada.md").write_text(ADA)
    assert problem_news(load_vault(root, use_cache=False).problems, shown) == [
        "fixed: people/ada.md:3:1: error: tier 'vip' is not defined in netnotes.toml"]
    many = {f"people/p{i}.md": f"---\nname: P{i}\ntier: vip\n---\n" for i in range(30)}
    lines = problem_news(load_vault(vault(many), use_cache=False).problems, set())
    assert len(lines) == WATCH_PROBLEMS + 1
    assert lines[-1] == "… and 10 more — run `netnotes check`"


def test_cli_watch_says_what_each_refresh_read(vault, run, tmp_path, monkeypatch):
    """The first report says how many contacts it shows (it may come whole from the index);
    each refresh after it says how many notes it read again."""

    def edited_once(self, stop, ready=None):
        self.rebuild()
        with (self.root / "people/ada.md").open("a", encoding="utf-8") as f:
            f.write("- 2026-11-20 call about the engine\n")
        self.notify(str(self.root / "people/ada.md"))
        self.rebuild()
        raise KeyboardInterrupt

    monkeypatch.setattr(Watcher, "run", edited_once)
    root = vault({"people/ada.md": ADA})
    run(root, "report")  # the index is warm, as after a first day's report
    result = run(root, "watch", "--format", "markdown", "--out", str(tmp_path / "r.md"))
    assert result.exit_code == 0, result.output
    wrote = [line.split(" wrote ", 1)[1] for line in result.stderr.splitlines()
             if " wrote " in line]
    out = tmp_path / "r.md"
    assert wrote == [f"{out} (1 contact)", f"{out} (1 contact, 1 note read)"]


GRACE = note("Grace Hopper", ["2026-03-02 coffee about compilers #got"], tier="critical",
             company="Navy", emails="[grace@navy.example]")


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_watch_redact_shows_what_report_redact_shows_after_every_change(vault, run, tmp_path,
                                                                        fmt):
    """Sam shows the live report on a projector with --redact: every page the watcher writes
    is the page `report --redact` prints for the vault as it is then — initials, the figures,
    no name, company, email or log text — first, after an edit, and while a note is broken
    mid-edit (its last good version, redacted too)."""
    root = vault({"people/ada.md": ADA, "people/grace.md": GRACE})
    out = tmp_path / f"shared.{fmt}"
    w = Watcher(root, fmt, out, today=lambda: TODAY, redact=True)

    def same_as_report_redact() -> str:
        page = out.read_text(encoding="utf-8")
        said = run(root, "report", "--redact", "--format", fmt, "--out", str(tmp_path / "r"))
        assert said.exit_code == 0
        assert page == (tmp_path / "r").read_text(encoding="utf-8")
        for secret in ("Ada", "Lovelace", "Grace", "Hopper", "Navy", "grace@", "compilers",
                       "ada.md", "Barbara"):
            assert secret not in page, secret
        return page

    assert w.rebuild().ok
    assert "A. L." in same_as_report_redact()
    (root / "people/barbara.md").write_text(note("Barbara Liskov", ["2026-11-01 lunch"]),
                                            encoding="utf-8")
    w.notify(str(root / "people/barbara.md"))
    assert w.rebuild().changed
    assert "B. L." in same_as_report_redact()
    (root / "people/grace.md").write_text("---\nname: [Grace\n", encoding="utf-8")
    w.notify(str(root / "people/grace.md"))
    result = w.rebuild()
    assert result.kept == ("people/grace.md",)
    assert "G. H." in out.read_text(encoding="utf-8")  # her last good version, redacted
    assert "Grace" not in out.read_text(encoding="utf-8")


def test_cli_watch_redact_names_nobody_on_the_terminal_either(vault, run, tmp_path,
                                                              monkeypatch):
    """Printed to the terminal (no --out), the redacted report is on screen, and so are the
    watcher's messages: a note that cannot be read, a new problem, a fixed one are counted,
    never named (a note's file name is its person's name)."""

    def broken_then_fixed(self, stop, ready=None):
        self.rebuild()
        grace = self.root / "people/grace.md"
        grace.write_text("---\nname: [Grace\n", encoding="utf-8")
        self.notify(str(grace))
        self.rebuild()
        grace.write_text(GRACE, encoding="utf-8")
        self.notify(str(grace))
        self.rebuild()
        raise KeyboardInterrupt

    monkeypatch.setattr(Watcher, "run", broken_then_fixed)
    root = vault({"people/ada.md": ADA, "people/grace.md": GRACE})
    result = run(root, "watch", "--format", "text", "--redact")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(run(root, "report", "--redact").stdout)
    shown = result.stdout + result.stderr
    assert "Grace" not in shown and "grace.md" not in shown and "Ada" not in shown
    assert "1 note cannot be read; showing the last good version" in result.stderr
    assert f"1 new problem — run `netnotes --vault {root} check`" in result.stderr
    assert f"1 fixed — run `netnotes --vault {root} check`" in result.stderr
    assert "--redact" in run(None, "watch", "--help").stdout
