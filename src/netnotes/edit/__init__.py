"""Changing notes on disk — byte-exact edits, atomic writes under a lock, the merge driver, sync
through git; it imports render, analysis, store, vault and core.

Public names (what other packages import from here; each is loaded on first use,
so importing the package stays cheap):

- yamlvalue: BadValue
- notes: LINK_KEYS, change_note, clean_orphans, init_vault, log_interaction,
  new_problems, note_path, set_field, set_in_note, skipped_note, snooze, unset_field, written_key
- newcontact: LikelyDuplicate, add_contact
- sync: git_setup, run_merge_driver
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netnotes.core.lazy import lazy_attributes

if TYPE_CHECKING:
    from netnotes.edit.newcontact import LikelyDuplicate as LikelyDuplicate
    from netnotes.edit.newcontact import add_contact as add_contact
    from netnotes.edit.newcontact import skipped_note as skipped_note
    from netnotes.edit.newvault import init_vault as init_vault
    from netnotes.edit.notes import LINK_KEYS as LINK_KEYS
    from netnotes.edit.notes import change_note as change_note
    from netnotes.edit.notes import clean_orphans as clean_orphans
    from netnotes.edit.notes import lock_vault as lock_vault
    from netnotes.edit.notes import log_interaction as log_interaction
    from netnotes.edit.notes import new_problems as new_problems
    from netnotes.edit.notes import note_path as note_path
    from netnotes.edit.notes import set_field as set_field
    from netnotes.edit.notes import set_in_note as set_in_note
    from netnotes.edit.notes import snooze as snooze
    from netnotes.edit.notes import unset_field as unset_field
    from netnotes.edit.notes import write_note as write_note
    from netnotes.edit.notes import written_key as written_key
    from netnotes.edit.rescue import keep_original as keep_original
    from netnotes.edit.rescue import read_if_there as read_if_there
    from netnotes.edit.rescue import restore_original as restore_original
    from netnotes.edit.rescue import saved_note_trouble as saved_note_trouble
    from netnotes.edit.sync import git_setup as git_setup
    from netnotes.edit.sync import run_merge_driver as run_merge_driver
    from netnotes.edit.yamlvalue import BadValue as BadValue

_PUBLIC = {
    "keep_original": "netnotes.edit.rescue",
    "lock_vault": "netnotes.edit.notes",
    "read_if_there": "netnotes.edit.rescue",
    "restore_original": "netnotes.edit.rescue",
    "saved_note_trouble": "netnotes.edit.rescue",
    "write_note": "netnotes.edit.notes",
    "BadValue": "netnotes.edit.yamlvalue",
    "LINK_KEYS": "netnotes.edit.notes",
    "LikelyDuplicate": "netnotes.edit.newcontact",
    "add_contact": "netnotes.edit.newcontact",
    "change_note": "netnotes.edit.notes",
    "clean_orphans": "netnotes.edit.notes",
    "git_setup": "netnotes.edit.sync",
    "init_vault": "netnotes.edit.newvault",
    "log_interaction": "netnotes.edit.notes",
    "new_problems": "netnotes.edit.notes",
    "note_path": "netnotes.edit.notes",
    "run_merge_driver": "netnotes.edit.sync",
    "set_field": "netnotes.edit.notes",
    "set_in_note": "netnotes.edit.notes",
    "skipped_note": "netnotes.edit.newcontact",
    "snooze": "netnotes.edit.notes",
    "unset_field": "netnotes.edit.notes",
    "written_key": "netnotes.edit.notes",
}

__all__ = sorted(_PUBLIC)


__getattr__ = lazy_attributes(__name__, _PUBLIC)
