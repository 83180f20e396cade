"""Work shared with forked workers (parallel.shared): every piece done once, whatever happens
to the workers."""

import os
import threading

import pytest

from netnotes.vault import parallel

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


def squares(count, workers, there=None):
    done = dict(parallel.shared(count, lambda i: i * i, there or (lambda i: ("w", i * i)),
                                lambda i, v: v[1], workers))
    return [done[i] for i in range(count)]


@needs_fork
@pytest.mark.parametrize("workers", [0, 1, 2])
def test_every_piece_once_with_or_without_workers(workers):
    seen = []
    pieces = parallel.shared(40, lambda i: ("here", i), lambda i: os.getpid(),
                             lambda i, pid: ("there", i, pid), workers)
    for i, result in pieces:
        seen.append(i)
        assert result[1] == i
    assert sorted(seen) == list(range(40))


@needs_fork
def test_a_worker_really_takes_pieces_from_the_front():
    import time

    def slow_here(i):
        time.sleep(0.01)  # this process is busy: the worker must take its share
        return ("here", i)

    got = dict(parallel.shared(30, slow_here, lambda i: i, lambda i, v: ("there", v), 1))
    theirs = sorted(i for i, r in got.items() if r[0] == "there")
    assert theirs and theirs == list(range(len(theirs)))  # from piece 0 on
    assert sorted(got) == list(range(30))


@needs_fork
def test_a_dead_worker_leaves_its_pieces_to_this_process():
    parent = os.getpid()

    def dies(i):
        if os.getpid() != parent and i == 2:
            os._exit(9)
        return ("w", i * i)

    assert squares(20, 1, dies) == [i * i for i in range(20)]


@needs_fork
def test_a_worker_that_raises_is_a_dead_worker():
    def fails(i):
        raise RuntimeError("broken")

    assert squares(10, 2, fails) == [i * i for i in range(10)]


def test_no_fork_means_everything_here(monkeypatch):
    def refuse():
        raise OSError("no processes here")

    monkeypatch.setattr(os, "fork", refuse, raising=False)
    assert squares(10, 1) == [i * i for i in range(10)]


@needs_fork
def test_stopping_early_stops_the_workers():
    pieces = parallel.shared(1000, lambda i: i, lambda i: i, lambda i, v: v, 1)
    next(pieces)
    pieces.close()  # the finally block kills and reaps the worker
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_no_fork_while_threads_run():
    """A thread that holds a lock at the fork would leave the worker waiting forever."""
    assert parallel.can_fork() == hasattr(os, "fork")
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert not parallel.can_fork()
    finally:
        stop.set()
        t.join()


def test_spare_cores_leaves_this_process_its_own():
    assert 0 <= parallel.spare_cores() < (os.cpu_count() or 1)


def contacts_on_a_worker(monkeypatch) -> list[int]:
    """report_inputs shares even the example vault with a worker, in pieces of two contacts;
    the list returned grows by one each time it forks."""
    from netnotes.render import report

    monkeypatch.setattr(report, "PARALLEL_CONTACTS", 1)
    monkeypatch.setattr(report, "UNIT_PIECE", 2)
    monkeypatch.setattr(parallel, "spare_cores", lambda: 1)
    forks: list[int] = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    return forks


@needs_fork
@pytest.mark.parametrize("known", [False, True])
def test_contacts_worked_out_on_a_worker_give_the_same_report(monkeypatch, known):
    """report_inputs on a vault big enough to share (made so by the thresholds here): the
    same report, in every format, as worked out in one process; also with the shape and
    grounds known (the first report of a new day)."""
    import datetime as dt

    from conftest import EXAMPLE

    from netnotes.render import report
    from netnotes.store import load_vault

    vault = load_vault(EXAMPLE, use_cache=False)
    today = dt.date(2026, 11, 22)
    alone = report.report_inputs(vault, today)
    given = report.Known(alone.grounds, alone.parts.shape, alone.parts.brief) if known else None
    forks = contacts_on_a_worker(monkeypatch)
    shared = report.report_inputs(vault, today, given)
    assert forks
    assert shared == alone
    assert shared.data(vault, today) == alone.data(vault, today)


@needs_fork
def test_rows_rendered_on_a_worker_are_the_rows_rendered_here(monkeypatch):
    """With each row rendered as it is made (report.row_renderer), a worker's renderings and
    Facts are those this process makes alone."""
    import datetime as dt

    from conftest import EXAMPLE

    from netnotes.render import report
    from netnotes.render.fragments import Keeping
    from netnotes.store import load_vault

    vault = load_vault(EXAMPLE, use_cache=False)
    today = dt.date(2026, 11, 22)

    def inputs() -> report.Inputs:
        rows = report.row_renderer("text", EXAMPLE, vault.config, today, Keeping())
        return report.report_inputs(vault, today, render_rows=rows)

    alone = inputs()
    forks = contacts_on_a_worker(monkeypatch)
    shared = inputs()
    assert forks
    assert shared.rendered == alone.rendered and shared.rendered
    assert [u.facts for u in shared.units] == [u.facts for u in alone.units]
    assert (shared.grounds, shared.note_totals, shared.parts) == \
        (alone.grounds, alone.note_totals, alone.parts)


@pytest.mark.parametrize("spare", [0, 1])
def test_working_out_contacts_shows_progress(monkeypatch, spare):
    """A whole report of a big vault says how far it is (a bar on a terminal): every contact
    is counted once, whichever process worked it out."""
    import contextlib
    import datetime as dt

    from conftest import EXAMPLE

    from netnotes.render import report
    from netnotes.store import load_vault

    vault = load_vault(EXAMPLE, use_cache=False)
    monkeypatch.setattr(report, "PARALLEL_CONTACTS", 1)
    monkeypatch.setattr(report, "UNIT_PIECE", 3)
    monkeypatch.setattr(parallel, "spare_cores", lambda: spare)
    told = []

    class Bar:
        def update(self, n):
            told.append(n)

    def progress(total):
        told.append(("total", total))
        return contextlib.nullcontext(Bar())

    report.report_inputs(vault, dt.date(2026, 11, 22), progress=progress)
    assert told[0] == ("total", len(vault.contacts))
    assert sum(told[1:]) == len(vault.contacts) and all(0 < n <= 3 for n in told[1:])


def test_a_bar_only_on_a_terminal_and_only_for_long_work(monkeypatch):
    import io
    import sys

    import click

    from netnotes import cli

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    progress = cli.bar("Working out contacts", 2000)
    monkeypatch.setattr(sys, "stderr", Terminal())
    with progress(2001) as b:
        assert isinstance(b, click._termui_impl.ProgressBar)
        b.update(2001)
    assert "Working out contacts" in sys.stderr.getvalue()
    with progress(2000) as b:
        assert not isinstance(b, click._termui_impl.ProgressBar)
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # a pipe, a CI log
    with progress(10**6) as b:
        assert not isinstance(b, click._termui_impl.ProgressBar)


def test_pieces_are_small_enough_to_share_a_small_vault():
    """A big vault is shared in pieces of the largest size; a small one in about eight, so the
    worker and this process run out of work together; never an empty piece."""
    assert parallel.piece_size(10_500, 250) == 250
    assert parallel.piece_size(300, 250) == 38  # 8 pieces, the last of 34
    assert parallel.piece_size(7, 250) == 1
    assert parallel.piece_size(0, 250) == 1
    assert parallel.piece_size(16, 3) == 2
