"""A vault full of broken notes still works: the bad-input corpus.

Each case puts one broken note (a file from tests/bad_inputs/, or one made here: FIFOs, symlinks,
huge files, editor artefacts) into a vault beside a good note, and proves three things:
`netnotes check` reports exactly the expected problems at the expected path and line, `report`
still shows the good contact (and the broken one too, when only a field is wrong), and no file in
the vault changed by a single byte.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import note, snapshot

CORPUS = Path(__file__).parents[1] / "bad_inputs"
GOOD = "people/grace-hopper.md"
GOOD_NOTE = note("Grace Hopper", ["2026-11-01 call"], tier="close")

# file in tests/bad_inputs → every problem check reports for people/<file>, without the hint.
# A case listed in SKIPPED is left out of the report; every other one is still a contact.
EXPECTED: dict[str, list[str]] = {
    "alias-bomb.md": ["4: error: front matter expands to more than 20000 values (an alias bomb?)"],
    "birthday-feb-30.md": ['3:11: error: birthday: "2026-02-30" is not a real date (day is out '
                           "of range for month)"],
    "birthday-future.md": ["3: error: birthday: 2815-12-10 is after today (2026-11-22)"],
    "blank-name.md": ["2:1: error: the note has no name, so it is not a contact"],
    "bom-crlf.md": [],
    "cadence-banana.md": ['3:10: error: cadence: "banana" is not a duration'],
    "cadence-no-unit.md": ["3:10: error: cadence: 3 has no unit"],
    "company-boolean.md": ["3:10: error: company: expected text, got true/false"],
    "cr-only.md": ['3:10: error: cadence: "banana" is not a duration'],
    "custom-tag.md": ["3:9: warning: YAML tag !secret ignored; the value is read as plain text"],
    "duplicate-key.md": ["4:1: error: duplicate key 'tier' (first on line 3)"],
    "emails-nested.md": ["4:3: error: emails: expected a list of text, found a list inside"],
    "empty-front-matter.md": ["1: error: the note has no name, so it is not a contact"],
    "empty.md": ["1: error: empty note"],
    "front-matter-list.md": ["2: error: front matter is not a list of `key: value` lines"],
    "front-matter-text.md": ["2: error: front matter is not a list of `key: value` lines"],
    "history-not-a-list.md": ["3:10: error: history: expected a list of {company, role, until} "
                              "entries"],
    "knows-mapping.md": ["3:8: error: knows: expected text, got a mapping"],
    "latin1.md": ["3:12: error: not UTF-8: byte 0xfc at offset 34"],
    "line-separator.md": ["2:10: error: front matter contains the invisible line separator "
                          "U+2028, which YAML reads as a line break"],
    "log-feb-30.md": ["6:3: error: log line starts with 2026-02-30, which is not a real date, so "
                      "it is not counted"],
    "log-month-13.md": ["6:3: error: log line starts with 2026-13-01, which is not a real date, "
                        "so it is not counted"],
    "merge-conflict-body.md": ["6: error: git merge-conflict marker '<<<<<<<'",
                               "8: error: git merge-conflict marker '======='",
                               "10: error: git merge-conflict marker '>>>>>>>'"],
    "merge-conflict-front-matter.md": ["3: error: git merge-conflict marker '<<<<<<<'",
                                       "3: warning: skipped: unresolved conflict, so this "
                                       "contact and the links to it are left out of every "
                                       "report until it is resolved",
                                       "5: error: git merge-conflict marker '======='",
                                       "7: error: git merge-conflict marker '>>>>>>>'"],
    "merge-conflict-half-resolved.md": ["7: error: git merge-conflict marker '======='",
                                        "9: error: git merge-conflict marker '>>>>>>>'"],
    "met-future.md": ["3: error: met: 2027-03-01 is after today (2026-11-22)"],
    "met-not-a-date.md": ['3:6: error: met: "last spring" is not a date'],
    "name-is-list.md": ["2:1: error: the note has no name, so it is not a contact",
                        "2:7: error: name: expected text, got a list"],
    "no-front-matter.md": ["1: error: no front matter: the note must start with a line `---`"],
    "no-name.md": ["1: error: the note has no name, so it is not a contact"],
    "nul-byte.md": ["2:10: error: front matter contains the control character U+0000"],
    "only-fence.md": ["1: error: front matter opened on line 1 is never closed"],
    "python-object.md": ["2:1: error: the note has no name, so it is not a contact",
                         "2:7: error: name: expected text, got a list",
                         "2:7: warning: YAML tag !!python/object/apply:os.system ignored; the "
                         "value is read as plain text"],
    "recursive-alias.md": ["3: error: front matter expands to more than 20000 values (an alias "
                           "bomb?)"],
    "setext-heading.md": [],
    "snooze-not-a-date.md": ['3:15: error: snooze_until: "soon" is not a date'],
    "tab-indent.md": ["4:1: error: front matter is not valid YAML: a tab indents this line"],
    "tags-string.md": ["3:7: warning: tags: is text, not a list"],
    "template-text.md": [],
    "tier-unknown.md": ["3:1: error: tier 'vip' is not defined in netnotes.toml"],
    "typo-cadance.md": ["3:1: warning: unknown key 'cadance': did you mean 'cadence'?"],
    "typo-capital-name.md": ["1: error: the note has no name, so it is not a contact",
                             "2:1: warning: unknown key 'Name': did you mean 'name'?"],
    "typo-first-name.md": ["2:1: warning: unknown key 'frist_name': did you mean 'first_name'?"],
    "typo-emials.md": ["3:1: warning: unknown key 'emials': did you mean 'emails'?"],
    "unhashable-key.md": ["3:3: error: a front-matter key must be a plain word"],
    "unknown-link.md": ["3: warning: [[charles-babbage]] does not name a contact",
                        "7: warning: [[Mary Somerville]] does not name a contact"],
    "unterminated.md": ["1: error: front matter opened on line 1 is never closed"],
    "utf16.md": ["1:1: error: not UTF-8: byte 0xff at offset 0 (it looks like UTF-16)"],
    "whitespace-only.md": ["1: error: empty note"],
    "yaml-bad-indent.md": ["3:10: error: front matter is not valid YAML: mapping values are not "
                           "allowed in this context"],
    "yaml-colon-in-value.md": ["3:10: error: front matter is not valid YAML: mapping values are "
                               "not allowed in this context"],
    "yaml-directive.md": ["3:1: error: front matter is not valid YAML: did not find expected "
                          "<document start>"],
    "yaml-unclosed-bracket.md": ["4:5: error: front matter is not valid YAML: while parsing a flow "
                                 "sequence, did not find expected ',' or ']' (it starts on line "
                                 "3)"],
    "yaml-unclosed-quote.md": ["4:1: error: front matter is not valid YAML: while scanning a "
                               "quoted scalar, found unexpected end of stream (it starts on line "
                               "2)"],
    "yaml11-values.md": [],
}
SKIPPED = {
    "alias-bomb.md", "blank-name.md", "empty-front-matter.md", "empty.md", "front-matter-list.md",
    "front-matter-text.md", "latin1.md", "line-separator.md", "merge-conflict-front-matter.md",
    "name-is-list.md",
    "no-front-matter.md", "no-name.md", "nul-byte.md", "only-fence.md", "python-object.md",
    "recursive-alias.md", "tab-indent.md", "typo-capital-name.md", "unhashable-key.md",
    "unterminated.md", "utf16.md",
    "whitespace-only.md", "yaml-bad-indent.md", "yaml-colon-in-value.md", "yaml-directive.md",
    "yaml-unclosed-bracket.md", "yaml-unclosed-quote.md",
}


def survives(root: Path, run: Callable, expected: dict[str, list[str]]) -> set[str]:
    """Check and report the vault; assert the exact problems of each path in ``expected``, the
    exit code, and that nothing was written.  Returns the ids the report still shows."""
    before = snapshot(root)
    result = run(root, "check", "--format", "json")
    problems = json.loads(result.stdout)["problems"]
    for path, lines in expected.items():
        got = [p["text"].split(" — ")[0] for p in problems if p["path"] == path]
        assert got == [f"{path}:{line}" if line[0].isdigit() else f"{path}: {line}"
                       for line in lines]
    assert result.exit_code == (1 if any(p["severity"] == "error" for p in problems) else 0)
    report = run(root, "report", "--format", "json")
    assert report.exit_code == 0, report.output
    ids = {c["id"] for c in json.loads(report.stdout)["contacts"]}
    assert "grace-hopper" in ids  # the other notes are still reported
    assert snapshot(root) == before  # and not one byte of any file changed
    return ids


def test_the_corpus_is_complete():
    assert sorted(p.name for p in CORPUS.glob("*.md")) == sorted(EXPECTED)
    assert SKIPPED <= set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_note_from_corpus(name, vault, run):
    root = vault({GOOD: GOOD_NOTE, f"people/{name}": (CORPUS / name).read_bytes()})
    ids = survives(root, run, {f"people/{name}": EXPECTED[name]})
    assert (name.removesuffix(".md") in ids) == (name not in SKIPPED)


# --- cases a text file cannot hold: made by the test itself -------------------------------------

def _fifo(root: Path) -> None:
    os.mkfifo(root / "people/pipe.md")  # opening it would block forever


def _dangling(root: Path) -> None:
    os.symlink("../nowhere/ada.md", root / "people/gone.md")


def _loop(root: Path) -> None:
    os.symlink("loop-b.md", root / "people/loop-a.md")
    os.symlink("loop-a.md", root / "people/loop-b.md")


def _outside_file(root: Path) -> None:
    (root.parent / "secret.md").write_text(note("Outsider"))
    os.symlink(root.parent / "secret.md", root / "people/outsider.md")


def _outside_folder(root: Path) -> None:
    (root.parent / "elsewhere").mkdir()
    (root.parent / "elsewhere/outsider.md").write_text(note("Outsider"))
    os.symlink(root.parent / "elsewhere", root / "people/elsewhere")


def _folder_loop(root: Path) -> None:
    os.symlink(".", root / "people/again")


def _second_name(root: Path) -> None:
    os.symlink("grace-hopper.md", root / "people/amazing-grace.md")


def _fifty_mb(root: Path) -> None:
    with open(root / "people/huge.md", "wb") as f:  # sparse: costs no disk
        f.write(b"---\nname: Huge\n---\n")
        f.truncate(50_000_000)


def _big_front_matter(root: Path) -> None:
    (root / "people/big.md").write_text("---\nname: Big\nbio: " + "a" * 1_100_000 + "\n---\n")


def _deep_flow(root: Path) -> None:
    (root / "people/deep.md").write_text("---\nname: Deep\nx: " + "[" * 50_000 + "]" * 50_000
                                         + "\n---\n")


def _deep_block(root: Path) -> None:
    lines = [" " * (2 * i) + f"k{i}:" for i in range(150)]
    (root / "people/deep.md").write_text("---\nname: Deep\n" + "\n".join(lines) + " x\n---\n")


def _deep_dashes(root: Path) -> None:
    (root / "people/deep.md").write_text("---\nname: Deep\nx:\n" + "- " * 30_000 + "x\n---\n")


def _long_line(root: Path) -> None:
    (root / "people/long.md").write_text(note("Long", ["2026-10-01 call " + "blah " * 390_000]))


def _editor_artefacts(root: Path) -> None:
    os.symlink("sam@laptop.4242:1700000000", root / "people/.#grace-hopper.md")  # emacs lock
    for name in ("grace-hopper.md~", ".grace-hopper.md.swp", "#grace-hopper.md#",
                 "~$grace-hopper.md", ".DS_Store"):
        (root / "people" / name).write_text(GOOD_NOTE)


def _conflict_copies(root: Path) -> None:
    for name in ("grace-hopper (Sam's conflicted copy 2026-11-20).md",
                 "grace-hopper.sync-conflict-20261120-101010-ABCDEFG.md",
                 "grace-hopper_BACKUP_4242.md", "grace-hopper.md.orig"):
        (root / "people" / name).write_text(GOOD_NOTE)


def _not_notes(root: Path) -> None:
    (root / "people/photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (root / "people/todo.txt").write_text("call Grace\n")


def _duplicate_email(root: Path) -> None:
    (root / "people/ada-lovelace.md").write_text(note("Ada Lovelace", emails="[ada@example.org]"))
    (root / "people/ada.md").write_text(note("Ada King", email="ADA@example.org"))


def _namesakes(root: Path) -> None:
    (root / "people/john-smith.md").write_text(note("John Smith", company="Acme"))
    (root / "people/john-smith-2.md").write_text(note("John Smith", company="Globex"))


def _same_file_name(root: Path) -> None:
    (root / "people/work").mkdir()
    (root / "people/friends").mkdir()
    (root / "people/work/ada.md").write_text(note("Ada Lovelace"))
    (root / "people/friends/ada.md").write_text(note("Ada Byron"))


def _journal(root: Path) -> None:
    (root / "journal").mkdir()
    (root / "journal/2026-01-05.md").write_text(
        "- 2026-02-30 lunch with [[grace-hopper]]\n- 2026-01-05 call with [[nobody-known]]\n")
    (root / "journal/2026-01-06.md").write_bytes(b"- tea with [[grace-hopper]] \xe9\n")


def _config_value(root: Path) -> None:
    (root / "netnotes.toml").write_text('[tiers]\nclose = "banana"\nnetwork = "1 year"\n')


GENERATED: list[tuple[str, Callable[[Path], None], dict[str, list[str]], set[str]]] = [
    ("fifo", _fifo, {"people/pipe.md": [
        "warning: not a regular file (a FIFO, socket or device); not read"]}, set()),
    ("dangling-symlink", _dangling, {"people/gone.md": [
        "warning: symbolic link to nothing (dangling or a loop)"]}, set()),
    ("symlink-loop", _loop, {
        "people/loop-a.md": ["warning: symbolic link to nothing (dangling or a loop)"],
        "people/loop-b.md": ["warning: symbolic link to nothing (dangling or a loop)"]}, set()),
    ("symlink-outside", _outside_file, {"people/outsider.md": [
        "warning: symbolic link points outside the vault; not read"]}, set()),
    ("folder-symlink-outside", _outside_folder, {"people/elsewhere": [
        "warning: symbolic link points outside the vault; not read"]}, set()),
    ("folder-symlink-loop", _folder_loop, {"people/again": [
        "warning: symbolic link to a folder; not followed"]}, set()),
    ("symlink-second-name", _second_name, {"people/amazing-grace.md": [
        "warning: symbolic link to people/grace-hopper.md, which is already read"]}, set()),
    ("fifty-megabytes", _fifty_mb, {"people/huge.md": [
        "error: 50,000,000 bytes is too large for a note (the limit is 2 MB); not read"]}, set()),
    ("front-matter-over-1mb", _big_front_matter, {"people/big.md": [
        "1: error: front matter is larger than 1 MB"]}, set()),
    ("nested-50000-brackets", _deep_flow, {"people/deep.md": [
        "3: error: front matter is nested too deeply (the limit is about 50 levels)"]}, set()),
    ("nested-150-mappings", _deep_block, {"people/deep.md": [
        "104: error: front matter is nested too deeply (the limit is about 50 levels)"]}, set()),
    ("nested-30000-dashes", _deep_dashes, {"people/deep.md": [
        "4: error: front matter is nested too deeply (the limit is about 50 levels)"]}, set()),
    ("two-megabyte-line", _long_line, {"people/long.md": []}, {"long"}),
    ("editor-artefacts", _editor_artefacts, {}, set()),
    ("conflict-copies", _conflict_copies, {
        "people/grace-hopper (Sam's conflicted copy 2026-11-20).md": [
            "warning: a sync tool's conflicted copy; not read as a contact"],
        "people/grace-hopper.sync-conflict-20261120-101010-ABCDEFG.md": [
            "warning: a sync tool's conflicted copy; not read as a contact"],
        "people/grace-hopper_BACKUP_4242.md": [
            "warning: a sync tool's conflicted copy; not read as a contact"],
        "people/grace-hopper.md.orig": [
            "warning: a sync tool's conflicted copy; not read as a contact"]}, set()),
    ("not-notes", _not_notes, {
        "people/photo.jpg": ["warning: photo.jpg is not a note (notes end in .md); ignored"],
        "people/todo.txt": ["warning: todo.txt is not a note (notes end in .md); ignored"]}, set()),
    ("duplicate-email", _duplicate_email, {
        "people/ada-lovelace.md": [],
        "people/ada.md": ["3: error: email ADA@example.org is also in people/ada-lovelace.md"]},
     {"ada", "ada-lovelace"}),
    ("namesakes", _namesakes, {
        "people/john-smith-2.md": [],
        "people/john-smith.md": ["2: warning: name 'John Smith' is also used by "
                                 "people/john-smith-2.md"]}, {"john-smith", "john-smith-2"}),
    ("same-file-name", _same_file_name, {"people/work/ada.md": [
        "1: error: another note has the same file name (people/friends/ada.md), so this one is "
        "skipped"]}, {"ada"}),
    ("journal", _journal, {
        "journal/2026-01-05.md": [
            "1:3: error: log line starts with 2026-02-30, which is not a real date, so it is not "
            "counted",
            "2: warning: [[nobody-known]] does not name a contact"],
        "journal/2026-01-06.md": ["1:29: error: not UTF-8: byte 0xe9 at offset 28"]}, set()),
    ("config-value", _config_value, {"netnotes.toml": [
        '2: error: tier close: "banana" is not a duration']}, set()),
]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and symlinks as on POSIX")
@pytest.mark.parametrize("make, expected, also", [g[1:] for g in GENERATED],
                         ids=[g[0] for g in GENERATED])
def test_generated_bad_input(make, expected, also, vault, run):
    root = vault({GOOD: GOOD_NOTE})
    make(root)
    ids = survives(root, run, expected)
    assert ids == {"grace-hopper"} | also  # nothing counted twice, nothing from outside


def test_at_least_forty_cases():
    assert len(EXPECTED) + len(GENERATED) >= 40


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs as on POSIX")
def test_note_replaced_by_a_fifo_after_listing_does_not_block(vault, monkeypatch):
    """Between listing and reading, a sync tool may swap a note for a FIFO: reading must not
    wait forever for a writer (checked in a thread, so a regression fails instead of hanging)."""
    import threading

    import netnotes.store.load as index

    root = vault({GOOD: GOOD_NOTE, "people/swapped.md": note("Swapped")})
    real_list = index.list_notes

    def list_then_swap(*args):
        found = real_list(*args)
        (root / "people/swapped.md").unlink()
        os.mkfifo(root / "people/swapped.md")
        return found

    monkeypatch.setattr(index, "list_notes", list_then_swap)
    out: list = []
    reader = threading.Thread(target=lambda: out.append(index.load_vault(root)), daemon=True)
    reader.start()
    reader.join(timeout=20)
    assert out, "load_vault blocked on a FIFO"
    loaded = out[0]
    assert [c.id for c in loaded.contacts] == ["grace-hopper"]
    assert [str(p) for p in loaded.problems] == [
        "people/swapped.md: error: cannot read: not a regular file"]
