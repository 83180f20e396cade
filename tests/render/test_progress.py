"""Long work says how far it is: a bar on a terminal, never in a pipe or a CI log."""

def test_working_out_contacts_shows_progress(monkeypatch):
    """A whole report of a big vault says how far it is (a bar on a terminal): every contact
    is counted once."""
    import contextlib
    import datetime as dt

    from conftest import EXAMPLE

    from netnotes.render import report
    from netnotes.store import load_vault

    vault = load_vault(EXAMPLE, use_cache=False)
    monkeypatch.setattr(report, "UNIT_PIECE", 3)
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
