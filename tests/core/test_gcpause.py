"""The cyclic collector is paused while big acyclic structures are built, and a one-command
process freezes them instead of having the collector walk them all once more."""

from __future__ import annotations

import gc

import pytest

from netnotes.core import gcpause, one_shot, paused_gc


@pytest.fixture(autouse=True)
def _restore():
    gc.unfreeze()  # what earlier tests froze (the CLI freezes a loaded vault) is not counted
    yield
    one_shot(False)
    gc.unfreeze()
    gc.enable()


def test_the_collector_is_off_inside_and_as_it_was_after():
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    with paused_gc():
        pass
    assert not gc.isenabled()


def test_a_one_command_process_freezes_what_a_paused_section_built():
    one_shot()
    before = gc.get_freeze_count()
    with paused_gc():
        built = [{"id": k} for k in range(1000)]
    assert gc.get_freeze_count() - before >= len(built)
    assert gc.isenabled()


def test_a_long_running_process_freezes_nothing():
    one_shot()
    one_shot(False)  # watch says so before it starts
    assert gcpause.freezing is False
    before = gc.get_freeze_count()
    with paused_gc():
        built = [{"id": k} for k in range(1000)]
    assert gc.get_freeze_count() == before and built
