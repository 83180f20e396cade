"""Reading a vault — finding it and its note files, reading and writing bytes safely, front matter,
fields and interactions — into the model; it imports core only.

Public names (what other packages import from here; each is loaded on first use,
so importing the package stays cheap):

- fields: FIELDS, contact_from_note, link, link_list, text, text_list, word_list
- fileio: TEMP_PREFIX, create_bytes_atomic, create_many_atomic, write_bytes_atomic
- files: CACHE_DIR, MAX_NOTE_BYTES, NoteFile, RACY_NS, cache_folder, content_digest, find_vault,
  is_note_name, list_notes, load_config, needs_digest, note_kind, Progress, read_note_bytes,
  user_cache, real_cache_folder, CacheFolderLink, TEMPLATE_FOLDERS
- locking: LOCK_WAIT_SECONDS, LockTimeout, vault_lock
- gitcareer: Changes, career_changes, git_commit, steps_from_changes, with_git_careers
- interactions: LogLine, BULLET, FENCE, HEADING, describe, journal_date, other_date,
  outside_fences, scan
- mapping: SCALAR_FIELDS, empty, first_title, inline_fields, map_note
- package: builtin_templates, fingerprint
- parse: CONFLICT_MARKER, RawNote, decode, note_loader, parse_note
- records: NoteRecord, Resolver, assemble, note_interactions, read_note, read_one,
  resolve_links, unique_names
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netnotes.core.lazy import lazy_attributes

if TYPE_CHECKING:
    from netnotes.vault.fields import FIELDS as FIELDS
    from netnotes.vault.fields import contact_from_note as contact_from_note
    from netnotes.vault.fields import link as link
    from netnotes.vault.fields import link_list as link_list
    from netnotes.vault.fields import text as text
    from netnotes.vault.fields import text_list as text_list
    from netnotes.vault.fields import word_list as word_list
    from netnotes.vault.fileio import TEMP_PREFIX as TEMP_PREFIX
    from netnotes.vault.fileio import create_bytes_atomic as create_bytes_atomic
    from netnotes.vault.fileio import create_many_atomic as create_many_atomic
    from netnotes.vault.fileio import write_bytes_atomic as write_bytes_atomic
    from netnotes.vault.files import CACHE_DIR as CACHE_DIR
    from netnotes.vault.files import MAX_NOTE_BYTES as MAX_NOTE_BYTES
    from netnotes.vault.files import RACY_NS as RACY_NS
    from netnotes.vault.files import TEMPLATE_FOLDERS as TEMPLATE_FOLDERS
    from netnotes.vault.files import CacheFolderLink as CacheFolderLink
    from netnotes.vault.files import NoteFile as NoteFile
    from netnotes.vault.files import Progress as Progress
    from netnotes.vault.files import cache_folder as cache_folder
    from netnotes.vault.files import content_digest as content_digest
    from netnotes.vault.files import find_vault as find_vault
    from netnotes.vault.files import is_note_name as is_note_name
    from netnotes.vault.files import list_notes as list_notes
    from netnotes.vault.files import load_config as load_config
    from netnotes.vault.files import needs_digest as needs_digest
    from netnotes.vault.files import note_kind as note_kind
    from netnotes.vault.files import read_note_bytes as read_note_bytes
    from netnotes.vault.files import real_cache_folder as real_cache_folder
    from netnotes.vault.files import user_cache as user_cache
    from netnotes.vault.gitcareer import Changes as Changes
    from netnotes.vault.gitcareer import career_changes as career_changes
    from netnotes.vault.gitcareer import git_commit as git_commit
    from netnotes.vault.gitcareer import steps_from_changes as steps_from_changes
    from netnotes.vault.gitcareer import with_git_careers as with_git_careers
    from netnotes.vault.interactions import BULLET as BULLET
    from netnotes.vault.interactions import FENCE as FENCE
    from netnotes.vault.interactions import HEADING as HEADING
    from netnotes.vault.interactions import LogLine as LogLine
    from netnotes.vault.interactions import describe as describe
    from netnotes.vault.interactions import journal_date as journal_date
    from netnotes.vault.interactions import other_date as other_date
    from netnotes.vault.interactions import outside_fences as outside_fences
    from netnotes.vault.interactions import scan as scan
    from netnotes.vault.locking import LOCK_WAIT_SECONDS as LOCK_WAIT_SECONDS
    from netnotes.vault.locking import LockTimeout as LockTimeout
    from netnotes.vault.locking import vault_lock as vault_lock
    from netnotes.vault.mapping import SCALAR_FIELDS as SCALAR_FIELDS
    from netnotes.vault.mapping import empty as empty
    from netnotes.vault.mapping import first_title as first_title
    from netnotes.vault.mapping import inline_fields as inline_fields
    from netnotes.vault.mapping import map_note as map_note
    from netnotes.vault.package import builtin_templates as builtin_templates
    from netnotes.vault.package import fingerprint as fingerprint
    from netnotes.vault.parse import CONFLICT_MARKER as CONFLICT_MARKER
    from netnotes.vault.parse import decode as decode
    from netnotes.vault.parse import note_loader as note_loader
    from netnotes.vault.parse import parse_note as parse_note
    from netnotes.vault.rawnote import RawNote as RawNote
    from netnotes.vault.records import NoteRecord as NoteRecord
    from netnotes.vault.records import Resolver as Resolver
    from netnotes.vault.records import assemble as assemble
    from netnotes.vault.records import note_interactions as note_interactions
    from netnotes.vault.records import read_note as read_note
    from netnotes.vault.records import read_one as read_one
    from netnotes.vault.records import resolve_links as resolve_links
    from netnotes.vault.records import unique_names as unique_names

_PUBLIC = {
    "user_cache": "netnotes.vault.files",
    "real_cache_folder": "netnotes.vault.files",
    "CacheFolderLink": "netnotes.vault.files",
    "LOCK_WAIT_SECONDS": "netnotes.vault.locking",
    "LockTimeout": "netnotes.vault.locking",
    "vault_lock": "netnotes.vault.locking",
    "CACHE_DIR": "netnotes.vault.files",
    "CONFLICT_MARKER": "netnotes.vault.parse",
    "FIELDS": "netnotes.vault.fields",
    "LogLine": "netnotes.vault.interactions",
    "MAX_NOTE_BYTES": "netnotes.vault.files",
    "NoteFile": "netnotes.vault.files",
    "NoteRecord": "netnotes.vault.records",
    "Progress": "netnotes.vault.files",
    "RACY_NS": "netnotes.vault.files",
    "RawNote": "netnotes.vault.rawnote",
    "Resolver": "netnotes.vault.records",
    "SCALAR_FIELDS": "netnotes.vault.mapping",
    "TEMP_PREFIX": "netnotes.vault.fileio",
    "BULLET": "netnotes.vault.interactions",
    "FENCE": "netnotes.vault.interactions",
    "HEADING": "netnotes.vault.interactions",
    "assemble": "netnotes.vault.records",
    "builtin_templates": "netnotes.vault.package",
    "cache_folder": "netnotes.vault.files",
    "career_changes": "netnotes.vault.gitcareer",
    "Changes": "netnotes.vault.gitcareer",
    "git_commit": "netnotes.vault.gitcareer",
    "contact_from_note": "netnotes.vault.fields",
    "content_digest": "netnotes.vault.files",
    "create_bytes_atomic": "netnotes.vault.fileio",
    "create_many_atomic": "netnotes.vault.fileio",
    "decode": "netnotes.vault.parse",
    "describe": "netnotes.vault.interactions",
    "empty": "netnotes.vault.mapping",
    "find_vault": "netnotes.vault.files",
    "fingerprint": "netnotes.vault.package",
    "first_title": "netnotes.vault.mapping",
    "inline_fields": "netnotes.vault.mapping",
    "is_note_name": "netnotes.vault.files",
    "journal_date": "netnotes.vault.interactions",
    "link": "netnotes.vault.fields",
    "link_list": "netnotes.vault.fields",
    "list_notes": "netnotes.vault.files",
    "note_kind": "netnotes.vault.files",
    "TEMPLATE_FOLDERS": "netnotes.vault.files",
    "load_config": "netnotes.vault.files",
    "map_note": "netnotes.vault.mapping",
    "needs_digest": "netnotes.vault.files",
    "note_interactions": "netnotes.vault.records",
    "note_loader": "netnotes.vault.parse",
    "other_date": "netnotes.vault.interactions",
    "outside_fences": "netnotes.vault.interactions",
    "parse_note": "netnotes.vault.parse",
    "read_note": "netnotes.vault.records",
    "read_note_bytes": "netnotes.vault.files",
    "read_one": "netnotes.vault.records",
    "resolve_links": "netnotes.vault.records",
    "scan": "netnotes.vault.interactions",
    "steps_from_changes": "netnotes.vault.gitcareer",
    "text": "netnotes.vault.fields",
    "text_list": "netnotes.vault.fields",
    "unique_names": "netnotes.vault.records",
    "with_git_careers": "netnotes.vault.gitcareer",
    "word_list": "netnotes.vault.fields",
    "write_bytes_atomic": "netnotes.vault.fileio",
}

__all__ = sorted(_PUBLIC)


__getattr__ = lazy_attributes(__name__, _PUBLIC)
