"""A new user's way in: an address book, LinkedIn and Google exports become notes, merged, never
duplicated, and a second run of the same import changes nothing."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path

import pytest
from conftest import REALWORLD, TODAY, note, snapshot

from netnotes.interop.importer import ImportOptions, import_files
from netnotes.interop.vcard import read_vcards, split_escaped
from netnotes.store import read_vault
from netnotes.vault import parse_note

CRLF = "\r\n"


def vcf(*cards: str, newline: str = CRLF) -> str:
    return "".join(newline.join(["BEGIN:VCARD", *c.strip("\n").split("\n"), "END:VCARD"])
                   + newline for c in cards)


def meta(root: Path, rel: str) -> dict:
    return parse_note((root / rel).read_bytes(), rel).meta


def people(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "people").glob("*.md"))


@pytest.fixture
def empty(vault):
    return vault({"people/.keep": ""})


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


# ---------------------------------------------------------------------------------------------
# vCard


V30 = vcf("""VERSION:3.0
FN:Ada Lovelace
N:Lovelace;Ada;King;;
NICKNAME:Ada,Countess
ORG:Analytical Engines Ltd;Research
TITLE:Mathematician
item1.EMAIL;TYPE=INTERNET,WORK:ada@engines.example
item1.X-ABLabel:Work
EMAIL;TYPE=HOME:ada@home.example
TEL;TYPE=CELL:+44 20 7946 0018
TEL;TYPE=WORK:+44 20 7946 0019
URL:https://www.linkedin.com/in/Ada-Lovelace/
BDAY:1815-12-10
CATEGORIES:math,poetry\\, science
ADR;TYPE=HOME:;;12 St James's Square;London;;SW1Y 4JH;United Kingdom
NOTE:Wrote the first program.\\nLikes poetry\\; and engines. This line is long enough to be f
 olded by the exporting program.
PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEx
 8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDQ==
""")


def test_a_vcard_30_becomes_a_note_with_every_field(empty, run, tmp_path):
    result = run(empty, "import", str(write(tmp_path, "ada.vcf", V30)))
    assert result.exit_code == 0, result.output
    assert "people/ada-lovelace.md" in result.stdout
    m = meta(empty, "people/ada-lovelace.md")
    assert m["name"] == "Ada Lovelace" and m["company"] == "Analytical Engines Ltd"
    assert m["role"] == "Mathematician" and m["location"] == "London, United Kingdom"
    assert m["emails"] == ["ada@engines.example", "ada@home.example"]
    assert m["phones"] == ["+44 20 7946 0018", "+44 20 7946 0019"]
    assert m["links"] == ["https://www.linkedin.com/in/ada-lovelace"]
    assert m["aliases"] == ["Ada", "Countess"] and m["tags"] == ["math", "poetry, science"]
    assert m["birthday"] == "1815-12-10" and m["tier"] == "network"
    text = (empty / "people/ada-lovelace.md").read_text(encoding="utf-8")
    assert "Wrote the first program.\nLikes poetry; and engines. This line is long enough to " \
           "be folded by the exporting program." in text
    assert "9j" not in text and len(text) < 1000  # the photo stays in the address book


def test_vcard_21_quoted_printable_charset_and_bare_types(empty, run, tmp_path):
    card = vcf("""VERSION:2.1
N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen;;;
TEL;CELL;PREF:+49 30 1234567
NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Caf=C3=A9 owner,=0D=0Amet in Berl=
in
EMAIL;INTERNET:jm@example.de""")
    result = run(empty, "import", str(write(tmp_path, "old.vcf", card)))
    assert result.exit_code == 0, result.output
    m = meta(empty, "people/jurgen-muller.md")
    assert m["name"] == "Jürgen Müller" and m["phones"] == ["+49 30 1234567"]
    assert m["emails"] == ["jm@example.de"]
    text = (empty / "people/jurgen-muller.md").read_text(encoding="utf-8")
    assert "Café owner,\nmet in Berlin" in text


def test_vcard_40_cases_org_text_birthday_altid_fn_only_n_only(empty, run, tmp_path):
    cards = vcf(
        "VERSION:4.0\nKIND:org\nFN:ACME Inc.\nORG:ACME Inc.;",
        "VERSION:4.0\nFN:최유림",
        "VERSION:4.0\nN:Hopper;Grace;;;\nBDAY:--1209",
        "VERSION:4.0\nFN:Old Friend\nBDAY;VALUE=text:circa 1800",
        "VERSION:4.0\nFN:Alt Id\nN;ALTID=1:Id;Alt;;;\nN;ALTID=1:Identifiant;Alt;;;",
        "VERSION:4.0\nFN:\nN:;;;;\nNICKNAME:Johnny\nADR:;;1 High St;Southampton;;;UK",
        "VERSION:4.0\nEMAIL:nobody@example.com",
        newline="\n")
    result = run(empty, "import", str(write(tmp_path, "four.vcf", cards)))
    assert result.exit_code == 0, result.output
    assert [unicodedata.normalize("NFC", p) for p in people(empty)] == [
        "alt-id.md", "grace-hopper.md", "johnny.md", "old-friend.md", "최유림.md"]
    assert "card 1 (ACME Inc.): skipped, an organisation (KIND:org)" in result.stdout
    assert "card 7: skipped, it has no name" in result.stdout
    assert meta(empty, "people/grace-hopper.md")["birthday"] == "--12-09"
    assert meta(empty, "people/old-friend.md")["birthday_text"] == "circa 1800"
    assert meta(empty, "people/johnny.md")["location"] == "Southampton, UK"


def test_a_broken_card_names_its_line_and_the_rest_still_import(empty, run, tmp_path):
    cards = vcf("VERSION:3.0\nFN:First Person", "VERSION:3.0\nFN:Broken\nthis line has no colon",
                "VERSION:3.0\nFN:Third Person") + "BEGIN:VCARD\r\nFN:Cut Short\r\n"
    path = write(tmp_path, "broken.vcf", cards)
    result = run(empty, "import", str(path))
    assert result.exit_code == 1
    assert people(empty) == ["first-person.md", "third-person.md"]
    assert f"{path}:8: error: card 2: cannot read 'this line has no colon'" in result.stderr
    assert f"{path}:14: error: card 4 has no END:VCARD" in result.stderr
    assert "2 records could not be imported" in result.stderr


def test_split_escaped_keeps_escaped_separators():
    assert split_escaped("a\\, b;c\\nd\\;e;", ";") == ["a, b", "c\nd;e", ""]
    assert split_escaped("x\\\\;y", ";") == ["x\\", "y"]


def test_every_card_of_a_file_is_read_in_order():
    text = vcf("VERSION:3.0\nFN:A", "VERSION:3.0\nFN:B", "VERSION:3.0\nFN:C", newline="\n")
    assert [p.name for p in read_vcards(text, "x.vcf")] == ["A", "B", "C"]


# ---------------------------------------------------------------------------------------------
# CSV


LINKEDIN = """\
Notes:
"When exporting your connection data, you may notice that some of the email addresses are missing."

First Name,Last Name,URL,Email Address,Company,Position,Connected On
Priya,Shah,https://www.linkedin.com/in/priya-shah-1,,Orbit Labs,Engineer,12 Mar 2021
Priya,Shah,https://www.linkedin.com/in/priya-shah-2?trk=export,,Orbit Labs,Manager,01 Feb 2022
Ravi,Iyer,linkedin.com/in/ravi-iyer,ravi@example.com,"Nimbus, Inc.",CTO,05 Jan 2020
,,,,,,01 Jan 2023
Mina,Oda,https://www.linkedin.com/in/mina-oda,,,,not a date
"""


def test_linkedin_connections(empty, run, tmp_path):
    path = write(tmp_path, "Connections.csv", LINKEDIN)
    result = run(empty, "import", str(path))
    assert result.exit_code == 0, result.output
    assert people(empty) == ["mina-oda.md", "priya-shah-2.md", "priya-shah.md", "ravi-iyer.md"]
    assert f"{path}:8: warning: skipped, the row has no name" in result.stdout
    assert "Connected On 'not a date' is not a date; left out" in result.stdout
    assert meta(empty, "people/priya-shah-2.md")["links"] == [
        "https://www.linkedin.com/in/priya-shah-2"]
    assert meta(empty, "people/ravi-iyer.md")["company"] == "Nimbus, Inc."
    text = (empty / "people/ravi-iyer.md").read_text(encoding="utf-8")
    assert text.endswith("## Log\n- 2020-01-05 connected on LinkedIn\n")
    shown = run(empty, "show", "ravi-iyer", "--format", "json")
    data = json.loads(shown.stdout)
    assert data["last_contact"] is None  # connecting is not contact


def test_linkedin_preamble_without_blank_line_and_the_header_first(empty, run, tmp_path):
    for i, text in enumerate(["Notes:\nThis file contains your LinkedIn connections.\n"
                              "First Name,Last Name,URL,Email Address,Company,Position,"
                              "Connected On\nAl,Ng,linkedin.com/in/al-ng,,,,15 Jun 2026\n\n",
                              "First Name,Last Name,URL,Email Address,Company,Position,"
                              "Connected On\nBo,Ek,linkedin.com/in/bo-ek,,,,15 Jun 2026\n"]):
        result = run(empty, "import", str(write(tmp_path, f"c{i}.csv", text)))
        assert result.exit_code == 0 and "(linkedin-csv, utf-8)" in result.stdout
    assert people(empty) == ["al-ng.md", "bo-ek.md"]


def test_linkedin_connection_date_does_not_reset_the_cadence(vault, run, tmp_path):
    root = vault({"people/ravi.md": note("Ravi Iyer", ["2024-01-10 lunch"],
                                         emails="[ravi@example.com]")})
    run(root, "import", str(write(tmp_path, "c.csv", LINKEDIN)))
    text = (root / "people/ravi.md").read_text(encoding="utf-8")
    assert "- 2020-01-05 connected on LinkedIn\n- 2024-01-10 lunch" in text
    data = json.loads(run(root, "show", "ravi", "--format", "json").stdout)
    assert data["last_contact"]["date"] == "2024-01-10"


GOOGLE_OLD = """\
Name,Given Name,Additional Name,Family Name,Nickname,Birthday,Notes,Group Membership,\
E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Organization 1 - Name,\
Organization 1 - Title,Website 1 - Type,Website 1 - Value
Jo Park,Jo,,Park,JP,1990-04-01,Met at PyCon,* myContacts ::: Friends,Work,\
jo@example.com ::: jo.park@example.org,Mobile,+1 202 555 0143,Park & Co,Owner,,https://jo.example
"""
GOOGLE_NEW = """\
First Name,Middle Name,Last Name,Nickname,Birthday,Notes,Labels,E-mail 1 - Label,\
E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Organization Name,Organization Title
Lee,,Chan,,--07-14,,* starred ::: Climbing,Home,lee@example.com,Mobile,+61 2 9876 5432,\
Harbour Labs,Analyst
"""


def test_google_contacts_old_and_new_columns(empty, run, tmp_path):
    result = run(empty, "import", str(write(tmp_path, "g1.csv", GOOGLE_OLD)),
                 str(write(tmp_path, "g2.csv", GOOGLE_NEW)))
    assert result.exit_code == 0, result.output
    assert result.stdout.count("(google-csv, utf-8)") == 2
    jo = meta(empty, "people/jo-park.md")
    assert jo["emails"] == ["jo@example.com", "jo.park@example.org"]
    assert jo["tags"] == ["Friends"] and jo["aliases"] == ["JP"]
    assert jo["company"] == "Park & Co" and jo["role"] == "Owner"
    assert jo["phones"] == ["+1 202-555-0143"] and jo["links"] == ["https://jo.example"]
    lee = meta(empty, "people/lee-chan.md")
    assert lee["birthday"] == "--07-14" and lee["tags"] == ["starred", "Climbing"]
    assert lee["company"] == "Harbour Labs" and lee["phones"] == ["+61 2 9876 5432"]


def test_generic_csv_with_map_bom_sep_and_formula_cells(empty, run, tmp_path):
    data = (b"sep=;\r\nFull Name;Org;Mail;Remarks\r\n"
            b"Kim Lind;=cmd|' /C calc'!A0;kim@example.com;@SUM(1+1)\r\n")
    path = write(tmp_path, "plain.csv", b"\xef\xbb\xbf" + data)
    result = run(empty, "import", str(path), "--map", "Full Name=name,Org=company,Mail=email,"
                 "Remarks=note")
    assert result.exit_code == 0, result.output
    m = meta(empty, "people/kim-lind.md")
    assert m["company"] == "=cmd|' /C calc'!A0" and m["emails"] == ["kim@example.com"]
    assert "@SUM(1+1)" in (empty / "people/kim-lind.md").read_text(encoding="utf-8")


def test_encoding_is_detected_or_forced(empty, run, tmp_path):
    text = "Name,Company\nRenée Fåhraeus,Société Générale d'Études\n"
    path = write(tmp_path, "cp.csv", text.encode("cp1252"))
    assert run(empty, "import", str(path), "--dry-run").exit_code == 0
    forced = run(empty, "import", str(path), "--encoding", "cp1252")
    assert forced.exit_code == 0 and "(csv, cp1252)" in forced.stdout
    assert meta(empty, "people/renee-fahraeus.md")["company"] == "Société Générale d'Études"


def test_a_csv_row_that_cannot_be_read_is_named_and_the_rest_imported(empty, run, tmp_path):
    path = write(tmp_path, "x.csv", "Name,Email\nAda,a@example.com\nBad,b@x.com,extra,cells\n"
                 "Cy,c@example.com\n")
    result = run(empty, "import", str(path))
    assert result.exit_code == 1
    assert f"{path}:3: error: the row has 4 cells, the header 2" in result.stderr
    assert people(empty) == ["ada.md", "cy.md"]


def test_bad_map_is_a_usage_error(empty, run, tmp_path):
    path = write(tmp_path, "x.csv", "Name\nAda\n")
    result = run(empty, "import", str(path), "--map", "Name=nom")
    assert result.exit_code == 2 and "'nom' is not a field" in result.stderr


# ---------------------------------------------------------------------------------------------
# Merging, re-running, dry runs, tiers


EXISTING = """\
---
name: Ada Lovelace   # the Countess
company: Babbage & Co
emails:
  - ada@engines.example
tier: close
---

Some words about Ada.

## Log
- 2026-01-05 coffee
"""


def test_merge_adds_only_what_is_missing_and_keeps_every_other_byte(vault, run, tmp_path):
    root = vault({"people/ada.md": EXISTING})
    result = run(root, "import", str(write(tmp_path, "ada.vcf", V30)))
    assert result.exit_code == 0, result.output
    assert people(root) == ["ada.md"]
    assert "people/ada.md (role, location, birthday, emails, phones, links, aliases, tags)" \
        in result.stdout
    assert "people/ada.md: company" in result.stdout  # differs: kept, said so
    after = (root / "people/ada.md").read_text(encoding="utf-8")
    assert after.startswith("---\nname: Ada Lovelace   # the Countess\ncompany: Babbage & Co\n"
                            "emails:\n  - ada@engines.example\n  - ada@home.example\n")
    assert after.endswith("---\n\nSome words about Ada.\n\n## Log\n- 2026-01-05 coffee\n")
    assert "tier: close" in after and "snooze_until" not in after
    again = run(root, "import", str(write(tmp_path, "ada.vcf", V30)), "--overwrite")
    assert "people/ada.md (company)" in again.stdout
    assert meta(root, "people/ada.md")["company"] == "Analytical Engines Ltd"


def test_matching_by_email_profile_or_name_and_company(vault, run, tmp_path):
    root = vault({
        "people/a.md": note("A Person", emails="[same@example.com]"),
        "people/b.md": note("B Person", links="[https://linkedin.com/in/b-person/]"),
        "people/c.md": note("Cee Person", company="Acme"),
        "people/d.md": note("Dee Person", company="Acme",
                            links="[https://www.linkedin.com/in/dee-1]"),
    })
    csv_text = ("Name,Email,URL,Company,Title\n"
                "Someone Else,SAME@example.com,,,Boss\n"
                "Bee,,https://www.linkedin.com/in/B-Person?trk=x,,Chef\n"
                "CEE PERSON,,,ACME,Cook\n"
                "Dee Person,,https://www.linkedin.com/in/dee-2,Acme,Twin\n")
    result = run(root, "import", str(write(tmp_path, "m.csv", csv_text)))
    assert result.exit_code == 0, result.output
    assert meta(root, "people/a.md")["role"] == "Boss"
    assert meta(root, "people/b.md")["role"] == "Chef"
    assert meta(root, "people/c.md")["role"] == "Cook"
    assert people(root) == ["a.md", "b.md", "c.md", "d.md", "dee-person.md"]


def test_rerunning_an_import_changes_nothing(empty, run, tmp_path):
    files = [write(tmp_path, "ada.vcf", V30), write(tmp_path, "c.csv", LINKEDIN),
             write(tmp_path, "g.csv", GOOGLE_OLD)]
    first = run(empty, "import", *map(str, files))
    assert first.exit_code == 0
    before = snapshot(empty)
    second = run(empty, "import", *map(str, files))
    assert second.exit_code == 0 and snapshot(empty) == before
    assert "new                  0" in second.stdout and "merged               0" in second.stdout
    assert "unchanged            6" in second.stdout


def test_dry_run_writes_nothing(vault, run, tmp_path):
    root = vault({"people/ada.md": EXISTING})
    before = snapshot(root)
    result = run(root, "import", "--dry-run", str(write(tmp_path, "c.csv", LINKEDIN)),
                 str(write(tmp_path, "ada.vcf", V30)))
    assert result.exit_code == 0 and snapshot(root) == before
    assert "new would be         4" in result.stdout and "Dry run: nothing was written." \
        in result.stdout


def test_new_people_go_to_the_lowest_tier_with_first_due_dates_spread(vault, tmp_path):
    root = vault({"people/.keep": ""})
    rows = "".join(f"Person{i},Number{i},https://www.linkedin.com/in/p{i},,,,01 Jan 2020\n"
                   for i in range(120))
    path = write(tmp_path, "c.csv", "First Name,Last Name,URL,Email Address,Company,Position,"
                 "Connected On\n" + rows)
    v, _ = read_vault(root, use_cache=False)
    result = import_files(v, [path], today=TODAY)
    assert len(result.of("new")) == 120 and result.tier == "network" and result.ok
    v, _ = read_vault(root, use_cache=False)
    snoozes = sorted(c.snooze_until for c in v.contacts)
    assert snoozes[0] == TODAY + dt.timedelta(days=1)
    assert snoozes[-1] <= TODAY + dt.timedelta(days=365)
    assert max(snoozes.count(d) for d in set(snoozes)) == 1  # one a day at most: 120 in a year
    from netnotes.analysis import overdue

    assert overdue(v, TODAY) == [] and len(overdue(v, TODAY + dt.timedelta(days=40))) <= 14


def test_tier_option_and_json_summary(empty, run, tmp_path):
    result = run(empty, "import", "--tier", "close", "--json",
                 str(write(tmp_path, "ada.vcf", V30)))
    data = json.loads(result.stdout)
    assert data["counts"] == {"new": 1, "merged": 0, "unchanged": 0, "skipped": 0, "failed": 0}
    assert data["contacts"][0]["path"] == "people/ada-lovelace.md" and data["tier"] == "close"
    assert meta(empty, "people/ada-lovelace.md")["tier"] == "close"
    assert run(empty, "import", "--tier", "vip", str(tmp_path / "ada.vcf")).exit_code == 1


def test_summary_suggests_choosing_the_critical_few(empty, run, tmp_path):
    result = run(empty, "import", str(write(tmp_path, "ada.vcf", V30)))
    assert "choose the critical few" in result.stdout
    assert "netnotes set ada-lovelace tier critical" in result.stdout


def test_imported_free_text_cannot_become_headings_or_log_lines(empty, run, tmp_path):
    card = vcf("VERSION:3.0\nFN:Tricky\nNOTE:## Log\\n- 2026-01-01 lunch\\n```\\n# title")
    run(empty, "import", str(write(tmp_path, "t.vcf", card)))
    data = json.loads(run(empty, "show", "tricky", "--format", "json").stdout)
    assert data["last_contact"] is None and data["history"] == []
    assert meta(empty, "people/tricky.md")["name"] == "Tricky"


# ---------------------------------------------------------------------------------------------
# Real exports from other tools (never copied into the repository)


EXPECTED = {  # file -> (people it gives, records skipped)
    "khard_altid_folded_note.vcf": (["altid"], 0),
    "khard_contact_with_multiple_values.vcf": (["Dr. Mark Schröder II"], 0),
    "khard_fn_only_korean.vcf": (["최유림"], 0),
    "khard_labels_itemgroup.vcf": (["labeled guy"], 0),
    "khard_org_kind.vcf": ([], 1),
    "khard_text_birthday_circa.vcf": (["text birthday"], 0),
    "monica_vcard_stub_multi_contact.vcf": (["Bono", "John Doe", "Johnny"], 0),
    "google_contacts_export_constellation.csv": (["Jerry Mathis", "Zoë, Smith"], 0),
    "khard_csv_import_neat.csv": (["Bruce Wayne", "Clark Kent", "Lois Lane"], 0),
    "linkedin_connections_constellation.csv": (["Alex Johnson", "Jerry Mathis"], 0),
    "linkedin_connections_people-sync.csv": (["Jane Sample", "Test Person"], 1),
    "linkedin_connections_six-hops.csv": (
        ["Anita Rao", "Priya Sharma", "Priya Sharma", "Rahul Iyer"], 1),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_world_exports_import(name, vault, tmp_path):
    path = REALWORLD / name
    if not path.exists():
        pytest.skip(f"{name}: the shared folder of real exports is not next to this checkout")
    root = vault({"people/.keep": ""})
    v, _ = read_vault(root, use_cache=False)
    result = import_files(v, [path], today=TODAY)
    want, skipped = EXPECTED[name]
    assert result.ok and len(result.skipped) == skipped
    v, _ = read_vault(root, use_cache=False)
    assert sorted(c.name for c in v.contacts) == want
    assert not [p for p in v.problems if p.severity == "error"]
    before = snapshot(root)
    again = import_files(v, [path], today=TODAY)
    assert snapshot(root) == before and not again.of("new") and not again.of("merged")


def test_real_world_details(vault, tmp_path):
    if not REALWORLD.exists():
        pytest.skip("the shared folder of real exports is not next to this checkout")
    root = vault({"people/.keep": ""})
    v, _ = read_vault(root, use_cache=False)
    files = [REALWORLD / n for n in ("khard_contact_with_multiple_values.vcf",
                                     "khard_text_birthday_circa.vcf",
                                     "linkedin_connections_constellation.csv",
                                     "google_contacts_export_constellation.csv")]
    import_files(v, files, ImportOptions(region="US"), today=TODAY)
    mark = meta(root, "people/dr-mark-schroder-ii.md")
    assert mark["company"] == "Company1" and mark["role"] == "Manager"
    assert mark["tags"] == ["cat1", "cat2", "cät3", "one more"]
    assert mark["birthday"] == "1992-12-21" and len(mark["phones"]) == 4
    assert meta(root, "people/text-birthday.md")["birthday_text"] == "circa 1800"
    jerry = meta(root, "people/jerry-mathis.md")  # in the LinkedIn and the Google file: one note
    assert jerry["links"] == ["https://www.linkedin.com/in/jerry-mathis"]
    assert jerry["phones"] == ["+1 757-555-0101"]


def test_create_many_atomic_creates_each_file_whole_and_never_replaces(tmp_path):
    from netnotes.vault import TEMP_PREFIX, create_many_atomic

    (tmp_path / "taken.md").write_bytes(b"mine")
    files = [(tmp_path / f"n{i}.md", f"note {i}".encode()) for i in range(20)]
    errors = create_many_atomic([*files, (tmp_path / "taken.md", b"theirs")], workers=4)
    assert errors[:20] == [None] * 20 and isinstance(errors[20], FileExistsError)
    assert all(p.read_bytes() == data for p, data in files)
    assert (tmp_path / "taken.md").read_bytes() == b"mine"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_a_name_alone_matches_when_one_side_has_no_company_and_the_name_is_unique(vault, run,
                                                                                  tmp_path):
    root = vault({"people/ada.md": note("Ada Lovelace"),
                  "people/al.md": note("Al Twin", company="North"),
                  "people/al2.md": note("Al Twin", company="South")})
    result = run(root, "import", str(write(tmp_path, "a.csv", "Name,Company,Title\n"
                                            "Ada Lovelace,Engines,Countess\nAl Twin,,Pilot\n")))
    assert result.exit_code == 0, result.output
    assert meta(root, "people/ada.md")["company"] == "Engines"
    assert people(root) == ["ada.md", "al-twin.md", "al.md", "al2.md"]  # two Als: not guessed


ADOPTED_TOML = """\
[fields]
company = "organization"
role = ["title"]
emails = "email"
"""


def test_an_adopted_vault_is_written_in_its_own_keys(vault, run, tmp_path):
    root = vault({"people/ada.md": "---\nname: Ada Lovelace\nemail: ada@engines.example\n---\n"},
                 toml=ADOPTED_TOML)
    csv_text = ("Name,Email,Company,Title\nAda Lovelace,ada@engines.example,Engines,Countess\n"
                "Bo Berg,bo@example.com,Fjord,Skipper\n")
    result = run(root, "import", str(write(tmp_path, "a.csv", csv_text)))
    assert result.exit_code == 0, result.output
    ada = meta(root, "people/ada.md")
    assert ada["organization"] == "Engines" and ada["title"] == "Countess"
    assert "company" not in ada and "role" not in ada
    bo = meta(root, "people/bo-berg.md")
    assert bo["organization"] == "Fjord" and bo["email"] == ["bo@example.com"]
    again = run(root, "import", str(tmp_path / "a.csv"))
    assert "unchanged            2" in again.stdout


def test_line_numbers_are_the_file_lines_around_blank_lines(empty, run, tmp_path):
    text = ("BEGIN:VCARD\nVERSION:3.0\nbroken line\nEND:VCARD\n\n\n"
            "BEGIN:VCARD\nVERSION:3.0\nFN:Fine\nEND:VCARD\n\nBEGIN:VCARD\nFN:Cut\n")
    path = write(tmp_path, "b.vcf", text)
    result = run(empty, "import", str(path))
    assert f"{path}:3: error: card 1: cannot read 'broken line'" in result.stderr
    assert f"{path}:12: error: card 3 has no END:VCARD" in result.stderr
    assert people(empty) == ["fine.md"]


def test_the_progress_bar_counts_every_record_once(empty, tmp_path):
    """A long import shows how far it is: the bar it is given (click's, on a terminal) is sized
    to the records and stepped once for each, merged and new alike, and ends full."""
    path = write(tmp_path, "many.vcf", vcf(*(f"VERSION:3.0\nFN:Person Number{i}\n"
                                             f"EMAIL:p{i}@example.org" for i in range(30))))
    steps: list[int] = []
    sizes: list[int] = []

    class Bar:
        def __init__(self, total: int) -> None:
            sizes.append(total)

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            return None

        def update(self, n: int) -> None:
            steps.append(n)

    v, _ = read_vault(empty, use_cache=False)
    import_files(v, [path], today=TODAY, progress=Bar)
    assert sizes == [30] and sum(steps) == 30
    v, _ = read_vault(empty, use_cache=False)  # again: every record merges, and still counts
    steps.clear()
    import_files(v, [path], today=TODAY, progress=Bar)
    assert sizes == [30, 30] and sum(steps) == 30
