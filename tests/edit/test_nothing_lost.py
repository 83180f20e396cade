"""Accidents and hostile input lose nothing and never end in a traceback: an editor that empties,
breaks or deletes a note; links where the vault's folders should be; settings out of range; names
too long for a file name."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import DEFAULT_TOML, note

from netnotes.core.config import parse_config
from netnotes.core.names import MAX_SLUG_BYTES, slugify

ADA = note("Ada Lovelace", ["2026-01-01 call", "2026-06-01 coffee"], tier="close")


def _editor(tmp_path: Path, monkeypatch, code: str) -> None:
    script = tmp_path / "fake_editor.py"
    script.write_text("import sys, os\nfrom pathlib import Path\np = Path(sys.argv[1])\n" + code)
    monkeypatch.setenv("VISUAL", f'"{sys.executable}" "{script}"')


def _kept(root: Path) -> list[Path]:
    return sorted((root / ".netnotes/rescue").glob("*.md"))


# --- edit keeps the original until the saved note is good --------------------------------------

BAD_SAVES = {
    "empty": ("p.write_bytes(b'')\n", "it is empty"),
    "broken YAML": ("p.write_text(p.read_text().replace('tier: close', 'tier: [close'))\n",
                    "cannot be read as a note"),
    "name lost": ("p.write_text(p.read_text().replace('name: Ada Lovelace\\n', ''))\n",
                  "lost its name"),
    "deleted": ("p.unlink()\n", "the editor deleted it"),
}


@pytest.mark.parametrize("case", sorted(BAD_SAVES))
def test_a_bad_save_off_a_terminal_keeps_the_original_and_says_where(vault, run, tmp_path,
                                                                     monkeypatch, case):
    code, said = BAD_SAVES[case]
    root = vault({"people/ada.md": ADA})
    _editor(tmp_path, monkeypatch, code)
    result = run(root, "edit", "ada")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and said in lines[0]  # one line, no traceback
    (kept,) = _kept(root)
    assert kept.read_text() == ADA
    assert kept.relative_to(root).as_posix() in lines[0]


@pytest.mark.parametrize("case", sorted(BAD_SAVES))
def test_on_a_terminal_the_original_can_be_restored(vault, run, tmp_path, monkeypatch, case):
    from netnotes.cli import writing as cli

    monkeypatch.setattr(cli, "_on_terminal", lambda: True)
    code, said = BAD_SAVES[case]
    root = vault({"people/ada.md": ADA})
    _editor(tmp_path, monkeypatch, code)
    result = run(root, "edit", "ada", input="r\n")
    assert result.exit_code == 0, result.output
    assert said in result.stderr
    assert (root / "people/ada.md").read_text() == ADA
    assert _kept(root) == []


def test_on_a_terminal_edit_again_then_keep_as_saved(vault, run, tmp_path, monkeypatch):
    from netnotes.cli import writing as cli

    monkeypatch.setattr(cli, "_on_terminal", lambda: True)
    root = vault({"people/ada.md": ADA})
    # the first save empties the note; the editor opened again (on what was saved) writes a good
    # one
    good = ADA + "- 2026-11-20 dinner\n"
    _editor(tmp_path, monkeypatch, "n = Path(str(p) + '.count')\n"
            "k = int(n.read_text()) if n.exists() else 0\nn.write_text(str(k + 1))\n"
            f"p.write_text('' if k == 0 else {good!r})\n")
    result = run(root, "edit", "ada", input="e\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("people/ada.md: saved\n")
    assert (root / "people/ada.md").read_text() == ADA + "- 2026-11-20 dinner\n"
    # keep a bad save on purpose: the original still goes somewhere safe
    _editor(tmp_path, monkeypatch, "p.write_bytes(b'')\n")
    result = run(root, "edit", "ada", input="k\n")
    assert result.exit_code == 1
    assert (root / "people/ada.md").read_bytes() == b""
    (kept,) = _kept(root)
    assert kept.read_text() == ADA + "- 2026-11-20 dinner\n"


def test_with_no_usable_cache_folder_the_original_is_kept_beside_the_note(vault, run, tmp_path,
                                                                           monkeypatch):
    root = vault({"people/ada.md": ADA})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / ".netnotes").symlink_to(elsewhere)
    _editor(tmp_path, monkeypatch, "p.write_bytes(b'')\n")
    result = run(root, "edit", "ada")
    assert result.exit_code == 1
    assert "people/ada.md.orig" in result.stderr
    assert (root / "people/ada.md.orig").read_text() == ADA
    assert list(elsewhere.iterdir()) == []


# --- never write through a link -----------------------------------------------------------------

COMMANDS = [("report", "--format", "html"), ("report", "--format", "json"),
            ("report", "--format", "text"), ("overdue",), ("check",), ("show", "ada"),
            ("list",), ("index",), ("index", "--rebuild"), ("log", "ada", "coffee"),
            ("set", "ada", "tier", "critical"), ("add", "Grace Hopper")]


def test_a_cache_folder_that_is_a_link_is_never_written_through(vault, run, tmp_path):
    root = vault({"people/ada.md": ADA})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "answers").mkdir()
    (elsewhere / "answers" / "keep.txt").write_text("theirs")
    (elsewhere / "memo.sqlite").write_text("theirs")
    (root / ".netnotes").symlink_to(elsewhere)
    for args in COMMANDS:
        result = run(root, *args)
        assert result.exit_code in (0, 1), (args, result.output)
        for line in result.stderr.strip().splitlines():  # the index's notice, a writer's refusal
            assert ".netnotes is a symbolic link" in line
        if result.exit_code == 1:  # writers refuse, saying what to do
            assert "nothing was written" in result.stderr
    assert sorted(p.relative_to(elsewhere).as_posix() for p in elsewhere.rglob("*")) == \
        ["answers", "answers/keep.txt", "memo.sqlite"]
    assert (elsewhere / "memo.sqlite").read_text() == "theirs"


def test_links_inside_the_cache_folder_are_replaced_not_followed(vault, run, tmp_path):
    root = vault({"people/ada.md": ADA})
    outside = tmp_path / "outside.db"
    outside.write_text("theirs")
    (root / ".netnotes").mkdir()
    for name in ("index.sqlite", "memo.sqlite", "write.lock"):
        (root / ".netnotes" / name).symlink_to(outside)
    (root / ".netnotes" / "answers").symlink_to(tmp_path)
    assert run(root, "report", "--format", "json").exit_code == 0
    assert run(root, "log", "ada", "coffee").exit_code == 0
    assert outside.read_text() == "theirs"
    assert not any(p.is_symlink() for p in (root / ".netnotes").iterdir())


@pytest.mark.parametrize("folder", ["people", "journal"])
def test_a_folder_linking_out_of_the_vault_is_not_read_and_check_names_it(vault, run, tmp_path,
                                                                           folder):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "ada.md").write_text(ADA if folder == "people" else "- 2026-02-01 met [[grace]]\n")
    root = vault({"people/grace.md": note("Grace Hopper")} if folder == "journal" else {})
    if folder == "journal":
        (root / "journal").symlink_to(outside)
    else:
        (root / "people").symlink_to(outside)
    result = run(root, "check")
    assert f"{folder}: warning: {folder}/ is a symbolic link to a folder outside the vault" \
        in result.stdout + result.stderr
    shown = run(root, "report", "--format", "json")
    assert "Ada" not in shown.stdout and "2026-02-01" not in shown.stdout
    assert run(root, "log", "ada", "coffee").exit_code == 1
    assert (outside / "ada.md").read_text() in (ADA, "- 2026-02-01 met [[grace]]\n")


def test_a_people_folder_linking_inside_the_vault_is_read_but_not_written_through(vault, run):
    root = vault({"contacts/ada.md": ADA})
    (root / "people").symlink_to(root / "contacts")
    assert "Ada Lovelace" in run(root, "show", "ada").stdout
    result = run(root, "log", "ada", "coffee")
    assert result.exit_code == 1 and "symbolic link" in result.stderr
    assert (root / "contacts/ada.md").read_text() == ADA


# --- every setting bounded, the same check everywhere ------------------------------------------

HOSTILE = [
    "[report]\ndue_soon_days = 10000000000\n",
    "[report]\nbirthday_days = 1000000000000000000000000000000\n",
    "[report]\ndue_soon_days = -1\n",
    "[report]\nbirthday_days = 367\n",
    "[report]\ndue_soon_days = 1.5\n",
    '[report]\ndefault_tier = "nope"\n',
    "[tiers]\ncritical = -5\n",
    "[tiers]\ncritical = 0\n",
    "[tiers]\ncritical = 5\n",
    '[tiers]\ncritical = "100000000000000000000 days"\n',
    '[tiers]\ncritical = "1000000 years"\n',
    '[tiers]\ncritical = "101 years"\n',
    '[tiers]\ncritical = "4 fortnights"\n',
    "[tiers]\ncritical = true\n",
    '[vault]\npeople = "a\\u0000b"\n',
    f'[vault]\npeople = "{"x" * 300}"\n',
    '[vault]\npeople = "../outside"\n',
    '[vault]\njournal = "/etc"\n',
    "[vault]\npeople = 5\n",
    "[vault]\nlog_headings = 5\n",
    "[me]\nname = 5\n",
    "[me]\ninterests = 5\n",
    '[sync]\npull = "sideways"\n',
]


def _toml(hostile: str) -> str:
    return hostile if hostile.startswith("[me]") else DEFAULT_TOML + hostile


@pytest.mark.parametrize("toml", HOSTILE)
def test_no_setting_gives_a_traceback_and_check_reports_its_line(vault, run, toml):
    root = vault({"people/ada.md": ADA, "journal/2026-02-01.md": "- met [[ada]]\n"},
                 toml=_toml(toml))
    checked = run(root, "check")
    assert checked.exit_code == 1
    assert re.search(r"^netnotes\.toml:\d+: error", checked.stdout + checked.stderr, re.M)
    for args in [("report", "--format", f) for f in ("html", "json", "text", "markdown")] + \
            [("overdue",), ("show", "ada"), ("list",), ("log", "ada", "coffee"),
             ("snooze", "ada", "3 weeks"), ("add", "Grace Hopper")]:
        result = run(root, *args)  # catch_exceptions=False: a traceback fails the test
        assert result.exit_code in (0, 1, 2), args


_SUGGESTION = re.compile(r'e\.g\. (?:(?P<key>[\w"-]+) = (?P<v1>.+)|(?P<v2>"[^"]*"))$')


@pytest.mark.parametrize("toml", HOSTILE)
def test_every_suggested_value_is_accepted(toml):
    text = _toml(toml)
    _, problems = parse_config(text)
    errors = [p for p in problems if p.severity == "error"]
    assert errors
    for p in errors:
        found = _SUGGESTION.search(p.hint or "") or _SUGGESTION.search(p.message)
        if found is None:
            continue  # a hint that names no value ("tiers are: …")
        lines = text.splitlines()
        key = lines[p.source.line - 1].split("=", 1)[0].strip()
        value = found.group("v1") or found.group("v2")
        lines[p.source.line - 1] = f"{found.group('key') or key} = {value}"
        _, again = parse_config("\n".join(lines) + "\n")
        assert [q for q in again if q.severity == "error"] == [], (toml, p)


def test_every_error_that_can_suggest_a_value_does():
    for toml in HOSTILE:
        for p in parse_config(_toml(toml))[1]:
            if p.severity == "error" and "default_tier" not in toml:
                assert "e.g." in p.hint + p.message, p


# --- names capped in bytes ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["\U00020000" * 70, "é" * 200, "a" * 500, "Zoë " * 90,
                                  "\U0001F600" * 100 + " Ada"])
def test_long_names_make_file_names_that_fit(vault, run, name):
    root = vault({})
    slug = slugify(name)
    assert len(slug.encode()) <= MAX_SLUG_BYTES
    for _ in range(3):  # the second and third get -2, -3: still under 255 bytes
        result = run(root, "add", name, "--force")  # the same name again: on purpose
        assert result.exit_code == 0, result.output
    for p in (root / "people").iterdir():
        assert len(p.name.encode()) <= 255


def test_a_name_that_cannot_become_a_file_name_is_a_one_line_error(vault, run, monkeypatch):
    import errno

    from netnotes.edit import notes

    root = vault({})

    def refuse(path, data):
        raise OSError(errno.EILSEQ, "Invalid or incomplete multibyte or wide character")

    monkeypatch.setattr(notes, "create_bytes_atomic", refuse)
    result = run(root, "add", "Ada Lovelace")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "cannot be a file name" in result.stderr
