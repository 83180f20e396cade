"""Every editing command end to end with CliRunner, including every refusal and its exit code
(0 done, 1 refused or failed, 2 usage)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import note, snapshot

from netnotes.core import DEFAULT_CONFIG_TEXT, slugify
from netnotes.vault import parse_note

ADA = note("Ada Lovelace", ["2026-01-01 call", "2026-06-01 coffee"], tier="close")
GRACE = note("Grace Hopper", tier="critical", emails="[grace@example.org]")


def meta(root: Path, rel: str) -> dict:
    raw = parse_note((root / rel).read_bytes(), rel)
    assert not raw.problems, raw.problems
    return raw.meta


# --- init ------------------------------------------------------------------------------------


def test_init_creates_a_vault_that_works_at_once(tmp_path, run):
    target = tmp_path / "contacts"
    result = run(None, "init", str(target))
    assert result.exit_code == 0, result.output
    assert (target / "netnotes.toml").read_text() == DEFAULT_CONFIG_TEXT
    assert (target / "people").is_dir() and (target / "journal").is_dir()
    assert (target / ".gitignore").read_text() == ".netnotes/\n"
    if shutil.which("git"):
        assert (target / ".git").is_dir()
        assert "initialised a git repository" in result.stdout
        # the merge driver for notes is registered at once (netnotes git-setup)
        driver = subprocess.run(["git", "-C", str(target), "config", "merge.netnotes.driver"],
                                capture_output=True, text=True, check=True).stdout
        assert driver.strip().endswith("-m netnotes merge-driver %O %A %B %P")
        assert "people/**/*.md merge=netnotes" in (target / ".gitattributes").read_text()
    assert run(target, "add", "Ada Lovelace", "--tier", "close").exit_code == 0
    assert run(target, "log", "ada", "coffee").exit_code == 0
    report = run(target, "report")
    assert report.exit_code == 0 and "Ada Lovelace" in report.stdout


def test_init_refuses_an_existing_vault_and_changes_nothing(vault, run):
    root = vault({"people/ada.md": ADA})
    before = snapshot(root)
    result = run(None, "init", str(root))
    assert result.exit_code == 1
    assert "already a vault" in result.stderr
    assert snapshot(root) == before


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_init_inside_a_repository_keeps_its_gitignore_and_makes_no_nested_repo(tmp_path, run):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("*.pyc")
    result = run(None, "init", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "already inside a git repository" in result.stdout
    assert (tmp_path / ".gitignore").read_text() == "*.pyc\n.netnotes/\n"
    sub = tmp_path / "sub"
    assert run(None, "init", str(sub)).exit_code == 0
    assert not (sub / ".git").exists()


def test_init_without_git_still_makes_a_vault(tmp_path, run, monkeypatch):
    monkeypatch.setenv("PATH", "")
    result = run(None, "init", str(tmp_path / "v"))
    assert result.exit_code == 0
    assert "git not found" in result.stdout
    assert (tmp_path / "v/netnotes.toml").exists()


# --- add -------------------------------------------------------------------------------------


def test_add_writes_a_note_from_the_template(vault, run):
    root = vault({})
    result = run(root, "add", "Zoë O'Brien", "--tier", "critical", "--tag", "climate",
                 "--tag", "#chess", "--company", "NO", "--role", "12:30", "--field", "energy",
                 "--met", "2026-03-14", "--email", "zoe@example.org")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Created people/zoe-obrien.md\n"
    text = (root / "people/zoe-obrien.md").read_text()
    assert "company: 'NO'\n" in text and "role: '12:30'\n" in text and "met: 2026-03-14\n" in text
    assert meta(root, "people/zoe-obrien.md") == {
        "name": "Zoë O'Brien", "tier": "critical", "company": "NO", "role": "12:30",
        "field": "energy", "emails": ["zoe@example.org"], "tags": ["climate", "chess"],
        "met": "2026-03-14"}
    assert text.endswith("---\n\n## Log\n")


@pytest.mark.parametrize(("name", "file"), [
    ("../../etc/passwd", "etc-passwd.md"), ("CON", "contact-con.md"), (".hidden", "hidden.md"),
    ("a/b\\c", "a-b-c.md"), ("김민지", slugify("김민지") + ".md"), ("!!!", "contact.md"),
])
def test_add_derives_a_safe_file_name(vault, run, name, file):
    root = vault({})
    result = run(root, "add", name)
    assert result.exit_code == 0, result.output
    assert (root / "people" / file).is_file()
    assert sorted(p.name for p in (root / "people").iterdir()) == [file]
    assert meta(root, f"people/{file}")["name"] == name


def test_add_refuses_a_likely_duplicate_unless_forced_and_never_overwrites(vault, run):
    root = vault({"people/ada-lovelace.md": ADA, "people/grace.md": GRACE})
    before = snapshot(root)
    result = run(root, "add", "ada lovelace")  # not on a terminal: refused, nothing written
    assert result.exit_code == 1 and result.stdout == ""
    assert "ada lovelace may already have a note: ada-lovelace (people/ada-lovelace.md) is " \
        "also called 'ada lovelace'" in result.stderr and "--force" in result.stderr
    result = run(root, "add", "G. Hopper", "--email", "GRACE@example.org")
    assert result.exit_code == 1 and "grace (people/grace.md) has the same email" in result.stderr
    assert snapshot(root) == before
    result = run(root, "add", "ada lovelace", "--force")
    assert result.exit_code == 0
    assert result.stdout == "Created people/ada-lovelace-2.md\n"
    assert "possible duplicate: ada-lovelace" in result.stderr
    assert (root / "people/ada-lovelace.md").read_bytes() == before["people/ada-lovelace.md"]


def test_add_asks_about_a_likely_duplicate_on_a_terminal(vault, run, monkeypatch):
    root = vault({"people/ada-lovelace.md": ADA})
    monkeypatch.setattr("netnotes.cli.interactive", lambda: True)
    no = run(root, "add", "Ada Lovelace", input="n\n")
    assert no.exit_code == 1 and "Create a second note anyway?" in no.stderr
    assert not (root / "people/ada-lovelace-2.md").exists()
    yes = run(root, "add", "Ada Lovelace", input="y\n")
    assert yes.exit_code == 0 and (root / "people/ada-lovelace-2.md").exists()


def test_add_without_tags_writes_no_tags_key(vault, run):
    root = vault({})
    assert run(root, "add", "Ada Lovelace").exit_code == 0
    assert (root / "people/ada-lovelace.md").read_text() == \
        "---\nname: Ada Lovelace\n---\n\n## Log\n"


def test_add_links_the_introducer(vault, run):
    root = vault({"people/grace.md": GRACE})
    assert run(root, "add", "Ada", "--introduced-by", "Grace Hopper").exit_code == 0
    assert meta(root, "people/ada.md")["introduced_by"] == "[[grace]]"
    result = run(root, "show", "ada", "--format", "json")
    assert result.exit_code == 0


def test_add_refusals(vault, run):
    root = vault({"people/grace.md": GRACE})
    before = snapshot(root)
    assert run(root, "add", "Ada", "--tier", "vip").exit_code == 2
    assert run(root, "add", "Ada", "--met", "yesterday").exit_code == 2
    assert run(root, "add", "   ").exit_code == 2
    nobody = run(root, "add", "Ada", "--introduced-by", "nobody")
    assert nobody.exit_code == 1 and "no contact matches" in nobody.stderr
    assert snapshot(root) == before


def test_a_vault_template_overrides_the_built_in_one(vault, run):
    root = vault({"templates/person.md.j2":
                  "---\nname: {{ name|yaml }}\nsource: conference\n---\n\n# {{ name }}\n\n"
                  "## Log\n"})
    assert run(root, "add", "Ada").exit_code == 0
    assert (root / "people/ada.md").read_text() == (
        "---\nname: Ada\nsource: conference\n---\n\n# Ada\n\n## Log\n")


def test_a_template_that_writes_unsafe_yaml_is_refused(vault, run):
    root = vault({"templates/person.md.j2": "---\nname: {{ name }}\n---\n"})
    result = run(root, "add", "Ada: the first")
    assert result.exit_code == 1
    assert "|yaml" in result.stderr
    assert not (root / "people").exists() or not list((root / "people").iterdir())


# --- log -------------------------------------------------------------------------------------


def test_log_adds_the_line_in_date_order(vault, run):
    root = vault({"people/ada.md": ADA, "people/grace.md": GRACE})
    result = run(root, "log", "Ada Lovelace", "lunch", "at", "the", "café", "--date",
                 "2026-03-01", "--got", "--with", "grace")
    assert result.exit_code == 0, result.output
    assert result.stdout == "people/ada.md: logged 2026-03-01 for Ada Lovelace\n"
    assert (root / "people/ada.md").read_text() == ADA.replace(
        "- 2026-06-01", "- 2026-03-01 lunch at the café with [[grace]] #got\n- 2026-06-01")
    run(root, "log", "ada", "call", "--gave")  # today (2026-11-22): newest last
    assert (root / "people/ada.md").read_text().endswith("- 2026-11-22 call #gave\n")
    show = run(root, "show", "grace", "--format", "json")
    assert "lunch at the café" in show.stdout  # the --with link counts for Grace too


def test_log_creates_the_section_and_keeps_crlf_and_bom(vault, run):
    data = "\ufeff---\r\nname: Ada # first\r\n---\r\nSome notes.\r\n".encode()
    root = vault({"people/ada.md": data})
    assert run(root, "log", "ada", "coffee").exit_code == 0
    assert (root / "people/ada.md").read_bytes() == data + b"\r\n## Log\r\n- 2026-11-22 coffee\r\n"


def test_log_refusals(vault, run):
    root = vault({"people/ada-lovelace.md": ADA, "people/ada-byron.md": note("Ada Byron"),
                  "people/conflict.md": GRACE + "<<<<<<< HEAD\n- 2026-07-01 x\n=======\n"
                  "- 2026-07-02 y\n>>>>>>> other\n",
                  "people/broken.md": "---\nname: [Broken\n---\n"})
    before = snapshot(root)
    ambiguous = run(root, "log", "ada", "coffee")
    assert ambiguous.exit_code == 1
    assert "matches 2 contacts" in ambiguous.stderr and "ada-byron" in ambiguous.stderr
    conflict = run(root, "log", "conflict", "coffee")
    assert conflict.exit_code == 1
    assert "people/conflict.md:7: error: git merge-conflict marker" in conflict.stderr
    broken = run(root, "log", "broken", "coffee")
    assert broken.exit_code == 1
    assert "people/broken.md cannot be read as a contact" in broken.stderr
    assert "people/broken.md:3:1: error: front matter is not valid YAML" in broken.stderr
    assert run(root, "log", "nobody", "coffee").exit_code == 1
    assert run(root, "log", "ada-byron", "coffee", "--gave", "--got").exit_code == 2
    assert run(root, "log", "ada-byron", "coffee", "--date", "2026-02-30").exit_code == 2
    assert run(root, "log", "ada-byron", "  ").exit_code == 2
    assert run(root, "log", "ada-byron").exit_code == 2
    assert snapshot(root) == before


# --- set / unset -----------------------------------------------------------------------------


COMMENTED = (
    "---\n"
    "name: Ada Lovelace   # née Byron\n"
    "tier: close          # promoted in May\n"
    "tags:\n"
    "  - math   # the first\n"
    "  - poetry\n"
    "interests: [engines, 'looms']\n"
    "---\n"
    "Body stays.\n"
)


def test_set_changes_only_the_value(vault, run):
    root = vault({"people/ada.md": COMMENTED})
    assert run(root, "set", "ada", "tier", "critical").exit_code == 0
    assert run(root, "set", "ada", "company", "yes").exit_code == 0
    assert run(root, "set", "ada", "met", "2026-03-14").exit_code == 0
    assert (root / "people/ada.md").read_text() == COMMENTED.replace(
        "tier: close", "tier: critical").replace(
        "---\nBody", "company: 'yes'\nmet: 2026-03-14\n---\nBody")


def test_set_lists_keep_their_style(vault, run):
    root = vault({"people/ada.md": COMMENTED, "people/grace.md": GRACE})
    assert run(root, "set", "ada", "tags", "--add", "chess").exit_code == 0
    assert run(root, "set", "ada", "interests", "--add", "NO", "a, b").exit_code == 0
    assert run(root, "set", "ada", "tags", "--remove", "POETRY").exit_code == 0
    assert run(root, "set", "ada", "knows", "--add", "Grace Hopper").exit_code == 0
    text = (root / "people/ada.md").read_text()
    assert "tags:\n  - math   # the first\n  - chess\n" in text
    assert "interests: [engines, 'looms', 'NO', 'a, b']\n" in text
    assert "knows: ['[[grace]]']\n" in text
    assert run(root, "set", "ada", "knows", "--remove", "grace").exit_code == 0
    assert meta(root, "people/ada.md")["knows"] == []


def test_set_a_whole_list(vault, run):
    root = vault({"people/ada.md": COMMENTED})
    assert run(root, "set", "ada", "tags", "math", "chess").exit_code == 0
    assert meta(root, "people/ada.md")["tags"] == ["math", "chess"]
    assert "  - math   # the first\n" in (root / "people/ada.md").read_text()


def test_set_and_unset_that_change_nothing_write_nothing(vault, run):
    root = vault({"people/ada.md": COMMENTED})
    before = (root / "people/ada.md").stat()
    same = run(root, "set", "ada", "tier", "close")
    assert same.exit_code == 0 and "already so; nothing written" in same.stdout
    assert run(root, "set", "ada", "tags", "--add", "MATH").exit_code == 0
    absent = run(root, "unset", "ada", "company")
    assert absent.exit_code == 0 and "no company; nothing written" in absent.stdout
    after = (root / "people/ada.md").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_unset_removes_the_field_and_its_lines(vault, run):
    root = vault({"people/ada.md": COMMENTED})
    result = run(root, "unset", "ada", "tags")
    assert result.exit_code == 0 and result.stdout == "people/ada.md: removed tags\n"
    assert (root / "people/ada.md").read_text() == COMMENTED.replace(
        "tags:\n  - math   # the first\n  - poetry\n", "")


@pytest.mark.parametrize(("args", "code", "message"), [
    (("set", "ada", "tier", "vip"), 2, "tier 'vip' is not defined"),
    (("set", "ada", "met", "14/03/2026"), 2, "is not a date"),
    (("set", "ada", "birthday", "--", "--02-30"), 2, "not a real day"),
    (("set", "ada", "cadence", "3 parsecs"), 2, "unknown unit"),
    (("set", "ada", "tier", "--add", "x"), 2, "--add works on list fields"),
    (("set", "ada", "tier", "a", "b"), 2, "takes one value"),
    (("set", "ada", "bad key", "x"), 2, "not a usable front-matter key"),
    (("set", "ada", "history", "x"), 2, "netnotes edit"),
    (("set", "ada", "tags", "--add", "--remove", "x"), 2, "exclude each other"),
    (("set", "ada", "knows", "--add", "nobody"), 1, "no contact matches"),
    (("set", "nobody", "tier", "close"), 1, "no contact matches"),
    (("set", "ada", "tier"), 2, "Missing argument"),
    (("unset", "ada", "name"), 2, "name cannot be removed"),
])
def test_set_and_unset_refusals(vault, run, args, code, message):
    root = vault({"people/ada.md": COMMENTED})
    before = snapshot(root)
    result = run(root, *args)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert snapshot(root) == before


def test_set_refuses_a_note_with_a_duplicate_key(vault, run):
    root = vault({"people/ada.md": "---\nname: Ada\ntier: close\ntier: network\n---\n"})
    before = snapshot(root)
    result = run(root, "set", "ada", "tier", "critical")
    assert result.exit_code == 1 and "duplicate key 'tier'" in result.stderr
    assert snapshot(root) == before


def test_never_writes_through_a_symlinked_note(vault, run):
    root = vault({"archive/ada.md": ADA})
    (root / "people").mkdir()
    (root / "people/ada.md").symlink_to(Path("../archive/ada.md"))
    result = run(root, "set", "ada", "tier", "critical")
    assert result.exit_code == 1 and "symbolic link" in result.stderr
    assert (root / "archive/ada.md").read_text() == ADA


# --- snooze ----------------------------------------------------------------------------------


def test_snooze_until_a_date_or_for_a_while(vault, run):
    root = vault({"people/ada.md": ADA})
    result = run(root, "snooze", "ada", "2027-01-15")
    assert result.exit_code == 0
    assert result.stdout == "people/ada.md: snoozed Ada Lovelace until 2027-01-15\n"
    assert run(root, "snooze", "ada", "3 months").exit_code == 0
    assert meta(root, "people/ada.md")["snooze_until"] == "2027-02-22"
    assert run(root, "unset", "ada", "snooze_until").exit_code == 0
    assert (root / "people/ada.md").read_text() == ADA


@pytest.mark.parametrize("when", ["2026-11-22", "2020-01-01", "soon", "never", "2026-02-30"])
def test_snooze_refusals(vault, run, when):
    root = vault({"people/ada.md": ADA})
    before = snapshot(root)
    assert run(root, "snooze", "ada", when).exit_code == 2
    assert snapshot(root) == before


# --- edit ------------------------------------------------------------------------------------


def _editor(tmp_path: Path, monkeypatch, code: str) -> None:
    script = tmp_path / "fake_editor.py"
    script.write_text("import sys\nfrom pathlib import Path\np = Path(sys.argv[1])\n" + code)
    monkeypatch.setenv("VISUAL", f'"{sys.executable}" "{script}"')


def test_edit_opens_the_note_and_accepts_a_good_edit(vault, run, tmp_path, monkeypatch):
    root = vault({"people/ada.md": ADA})
    _editor(tmp_path, monkeypatch, "p.write_text(p.read_text() + '- 2026-11-20 dinner\\n')\n")
    result = run(root, "edit", "Ada")
    assert result.exit_code == 0, result.output
    assert result.stdout == "people/ada.md: saved\n"
    assert (root / "people/ada.md").read_text().endswith("- 2026-11-20 dinner\n")


def test_edit_reports_the_problems_it_introduced(vault, run, tmp_path, monkeypatch):
    root = vault({"people/ada.md": ADA})
    _editor(tmp_path, monkeypatch, "p.write_text(p.read_text().replace('tier: close', "
                                   "'tier: [close'))\n")
    result = run(root, "edit", "ada")
    assert result.exit_code == 1
    assert "people/ada.md:" in result.stderr and "not valid YAML" in result.stderr
    # …and the broken note can still be opened by its id to fix it
    _editor(tmp_path, monkeypatch, "p.write_text(p.read_text().replace('[close', 'close'))\n")
    fixed = run(root, "edit", "ada")
    assert fixed.exit_code == 0, fixed.output
    assert (root / "people/ada.md").read_text() == ADA


def test_edit_without_changes(vault, run, tmp_path, monkeypatch):
    root = vault({"people/ada.md": ADA})
    _editor(tmp_path, monkeypatch, "")
    result = run(root, "edit", "ada")
    assert result.exit_code == 0 and result.stdout == "people/ada.md: no changes\n"
    assert run(root, "edit", "nobody").exit_code == 1


@pytest.mark.parametrize("command", ["init", "add", "log", "set", "unset", "snooze", "edit"])
def test_every_editing_command_has_help(run, command):
    result = run(None, command, "--help", today=None)
    assert result.exit_code == 0
    assert "Usage: " in result.stdout and len(result.stdout.splitlines()) > 4


def test_log_uses_the_configured_section_name(vault, run):
    root = vault({"people/ada.md": note("Ada")},
                 toml='[vault]\nlog_headings = ["Interactions"]\n')
    assert run(root, "log", "ada", "call").exit_code == 0
    assert (root / "people/ada.md").read_text().endswith("\n## Interactions\n- 2026-11-22 call\n")
    show = run(root, "show", "ada", "--format", "json")
    assert "2026-11-22" in show.stdout


@pytest.mark.parametrize("typed, written", [
    (["--12-20"], "--12-20"), (["12-20"], "--12-20"), (["Dec", "20"], "--12-20"),
    (["20 December"], "--12-20"), (["Dec 20, 1990"], "1990-12-20"), (["1990-12-20"], "1990-12-20"),
    (["--", "--02-29"], "--02-29"),
])
def test_set_birthday_takes_the_forms_people_type(vault, run, typed, written):
    root = vault({"people/ada.md": ADA})
    result = run(root, "set", "ada", "birthday", *typed)
    assert result.exit_code == 0, result.output
    assert str(meta(root, "people/ada.md")["birthday"]) == written


def test_set_still_refuses_a_mistyped_option_and_a_day_that_is_not_one(vault, run):
    root = vault({"people/ada.md": ADA})
    before = snapshot(root)
    typo = run(root, "set", "ada", "tags", "--ad", "x")
    assert typo.exit_code == 2 and "No such option '--ad'" in typo.stderr
    wrong = run(root, "set", "ada", "birthday", "20-12")
    assert wrong.exit_code == 2 and "12-20 is 20 December" in wrong.stderr
    assert snapshot(root) == before


# --- me ---------------------------------------------------------------------------------------


def test_init_me_and_me_set_say_who_you_are_without_editing_toml(tmp_path, run):
    from netnotes.core import DEFAULT_CONFIG_TEXT, parse_config

    root = tmp_path / "v"
    assert run(None, "init", str(root), "--me", "Sam Okafor").exit_code == 0
    toml = root / "netnotes.toml"
    assert toml.read_text() == DEFAULT_CONFIG_TEXT.replace('name = ""', 'name = "Sam Okafor"', 1)
    said = run(root, "me", "set", "field", "software")
    assert said.stdout == 'netnotes.toml: [me] field = "software"\n'
    assert run(root, "me", "set", "interests", "chess", 'climate "tech"').exit_code == 0
    assert run(root, "me", "set", "name", "Sam", "O.").exit_code == 0  # one value, unquoted
    me = parse_config(toml.read_text())[0].me
    assert (me.name, me.field, me.interests) == ("Sam O.", "software",
                                                 ("chess", 'climate "tech"'))
    assert run(root, "me").stdout.startswith("name: Sam O.\nfield: software\n")
    before = toml.read_bytes()
    assert run(root, "me", "set", "age", "3").exit_code == 2
    assert toml.read_bytes() == before


def test_me_set_changes_only_its_line_and_adds_what_is_missing(vault, run):
    root = vault({}, toml="# mine\r\n[tiers]\r\nclose = \"3 months\"  # keep\r\n")
    assert run(root, "me", "set", "tags", "a", "b").exit_code == 0
    assert (root / "netnotes.toml").read_bytes() == (
        b'# mine\r\n[tiers]\r\nclose = "3 months"  # keep\r\n\r\n[me]\r\ntags = ["a", "b"]\r\n')
    root = vault({}, toml='[me]\nname = "A"\ninterests = [\n  "x",\n  "y",\n]\n\n[report]\n')
    assert run(root, "me", "set", "interests", "z").exit_code == 0
    assert run(root, "me", "set", "field", "art").exit_code == 0
    assert (root / "netnotes.toml").read_text() == (
        '[me]\nname = "A"\ninterests = ["z"]\nfield = "art"\n\n[report]\n')
