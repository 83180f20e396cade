"""The way back out: vCard that round-trips, a calendar that updates instead of duplicating, and
CSV/JSON with every contact's figures — each also redacted."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import icalendar
import vobject
from conftest import TODAY, note

from netnotes.render import initials

ADA = """\
---
name: Ada Lovelace
tier: close
company: Analytical Engines; Research
role: Mathematician
location: London, United Kingdom
emails: [ada@engines.example, ada@home.example]
phones: ['+44 20 7946 0018']
links: ['https://www.linkedin.com/in/ada-lovelace']
aliases: [Countess]
tags: [math, 'poetry, science']
birthday: 1815-12-10
---

## Log
- 2026-10-01 coffee with [[grace]] #gave
- 2026-12-15 dinner at the Royal Society
"""
GRACE = note("Grace Hopper", ["2025-01-05 call"], birthday="--12-09", company="=HYPERLINK(1)")
OLD = note("Old Friend", [], birthday_text="circa 1800", tier="archive")


def test_vcard_round_trip_export_import_export(vault, run, tmp_path):
    root = vault({"people/ada-lovelace.md": ADA, "people/grace-hopper.md": GRACE,
                  "people/old-friend.md": OLD})
    first = run(root, "export", "vcard")
    assert first.exit_code == 0
    cards = list(vobject.readComponents(first.stdout))
    assert [c.fn.value for c in cards] == ["Ada Lovelace", "Grace Hopper", "Old Friend"]
    assert cards[0].version.value == "4.0" and cards[0].bday.value == "18151210"
    assert "BDAY;VALUE=text:circa 1800" in first.stdout
    (tmp_path / "out.vcf").write_bytes(first.stdout_bytes)
    empty = tmp_path / "empty"
    (empty / "people").mkdir(parents=True)
    (empty / "netnotes.toml").write_text("", encoding="utf-8")
    assert run(empty, "import", str(tmp_path / "out.vcf")).exit_code == 0
    assert run(empty, "export", "vcard").stdout_bytes == first.stdout_bytes


def test_export_vcard_of_some_people_and_lines_folded(vault, run):
    long = "x" * 200
    root = vault({"people/ada-lovelace.md": ADA, "people/grace-hopper.md": GRACE,
                  "people/long.md": note("Long Role", [], role=long)})
    result = run(root, "export", "vcard", "grace", "long")
    assert result.stdout.count("BEGIN:VCARD") == 2
    assert all(len(line) <= 75 for line in result.stdout_bytes.split(b"\r\n"))
    assert list(vobject.readComponents(result.stdout))[1].title.value == long
    assert run(root, "export", "vcard", "nobody").exit_code == 1


ALAN = note("Alan Turing", ["2026-10-01 lunch #gave"], tier="close")


def test_ics_due_dates_birthdays_and_plans(vault, run):
    root = vault({"people/ada-lovelace.md": ADA, "people/grace-hopper.md": GRACE,
                  "people/old-friend.md": OLD, "people/alan-turing.md": ALAN})
    result = run(root, "export", "ics")
    assert result.exit_code == 0
    cal = icalendar.Calendar.from_ical(result.stdout)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {
        "due-alan-turing@netnotes",  # due after the plan's weeks: on the due date
        "birthday-ada-lovelace@netnotes", "birthday-grace-hopper@netnotes",
        next(u for u in events if u.startswith("planned-2026-12-15-")),  # Ada: dinner planned
        "plan-grace-hopper-2026-11-23@netnotes"}  # netnotes plan: overdue, this week
    due = events["due-alan-turing@netnotes"]
    assert due["dtstart"].dt == dt.date(2027, 4, 1) and str(due["summary"]) == \
        "Reach out to Alan Turing"
    late = events["plan-grace-hopper-2026-11-23@netnotes"]  # overdue since 2026-01-05
    assert late["dtstart"].dt == dt.date(2026, 11, 23) and "overdue" in str(late["description"])
    assert str(late["summary"]) == "Reach out to Grace Hopper"
    bday = events["birthday-grace-hopper@netnotes"]
    assert bday["dtstart"].dt == dt.date(2026, 12, 9) and bday["rrule"]["FREQ"] == ["YEARLY"]
    plan = next(e for u, e in events.items() if u.startswith("planned-"))
    assert plan["dtstart"].dt == dt.date(2026, 12, 15)
    assert str(plan["summary"]) == "dinner at the Royal Society — Ada Lovelace"
    again = run(root, "export", "ics", "--today", "2026-11-23")
    assert {str(e["uid"]) for e in icalendar.Calendar.from_ical(again.stdout).walk("VEVENT")} \
        == set(events)  # the same UIDs another day: a subscription updates


def test_each_persons_next_contact_is_one_event_in_the_calendar(vault, run):
    """Sam subscribes to the calendar.  Ada and Grace are overdue and in this week's plan,
    and a coffee with Grace is already in her log for Thursday; Alan, overdue, is snoozed
    until January; the week holds two people (`[plan] per_week = 2`), so Edsger, overdue as
    well, waits.  Each of them is one event: Ada on the plan's Monday, Grace's coffee on
    Thursday (no reminder to reach out to someone Sam is already seeing), Alan when his snooze
    ends and Edsger today."""
    root = vault({
        "people/ada.md": note("Ada Lovelace", ["2025-01-05 call"], tier="close"),
        "people/edsger.md": note("Edsger Dijkstra", ["2025-06-05 call"], tier="close"),
        "people/grace.md": note("Grace Hopper", ["2025-01-05 call",
                                                 "2026-11-26 coffee at the harbour"],
                                tier="close"),
        "people/alan.md": note("Alan Turing", ["2025-01-05 call"], tier="close",
                               snooze_until="2027-01-10"),
    }, toml="[plan]\nper_week = 2\nweeks = 1\n")
    cal = icalendar.Calendar.from_ical(run(root, "export", "ics").stdout)
    by_person: dict[str, list[tuple[str, dt.date]]] = {}
    for e in cal.walk("VEVENT"):
        who = str(e["summary"]).removeprefix("Reach out to ").split(" — ")[-1]
        by_person.setdefault(who, []).append((str(e["summary"]), e["dtstart"].dt))
    assert by_person == {
        "Ada Lovelace": [("Reach out to Ada Lovelace", dt.date(2026, 11, 23))],
        "Grace Hopper": [("coffee at the harbour — Grace Hopper", dt.date(2026, 11, 26))],
        "Alan Turing": [("Reach out to Alan Turing", dt.date(2027, 1, 10))],
        "Edsger Dijkstra": [("Reach out to Edsger Dijkstra", TODAY)],
    }


def test_csv_has_every_contact_with_figures_and_is_spreadsheet_safe(vault, run):
    root = vault({"people/ada-lovelace.md": ADA, "people/grace-hopper.md": GRACE})
    result = run(root, "export", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == ["ada-lovelace", "grace-hopper"]
    ada, grace = rows
    assert ada["emails"] == "ada@engines.example; ada@home.example"
    assert ada["last_contact"] == "2026-10-01" and ada["due"] == "2027-04-01"
    assert int(ada["strength"]) > 0 and ada["overdue"] == "no"
    assert ada["phones"] == "'+44 20 7946 0018"
    assert grace["company"] == "'=HYPERLINK(1)" and grace["overdue"] == "yes"


def test_json_export_documented_keys(vault, run):
    root = vault({"people/ada-lovelace.md": ADA, "people/grace-hopper.md": GRACE})
    data = json.loads(run(root, "export", "json").stdout)
    assert data["netnotes_export"] == 1 and data["today"] == TODAY.isoformat()
    ada = data["contacts"][0]
    assert ada["tags"] == ["math", "poetry, science"] and ada["birthday"] == "1815-12-10"
    assert ada["last_contact"] == "2026-10-01" and ada["interactions_12m"] == 1
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs/import-export.md").read_text("utf-8")
    for key in ada:
        assert f"`{key}`" in doc, f"docs/import-export.md does not describe {key}"


def test_redact_on_every_export(vault, run):
    root = vault({"people/ada-lovelace.md": ADA, "people/grace-hopper.md": GRACE})
    secret = ("Ada", "Lovelace", "ada@", "7946", "linkedin", "London", "Countess", "1815",
              "Grace", "dinner", "coffee", "Analytical", "Mathematician", "HYPERLINK")
    for fmt in ("vcard", "ics", "csv", "json"):
        result = run(root, "export", fmt, "--redact")
        assert result.exit_code == 0
        for word in secret:
            assert word not in result.stdout, (fmt, word)
    assert "A. L." in run(root, "export", "csv", "--redact").stdout


def test_out_file_and_initials(vault, run, tmp_path):
    root = vault({"people/ada-lovelace.md": ADA})
    out = tmp_path / "contacts.vcf"
    result = run(root, "export", "vcard", "--out", str(out))
    assert result.stdout == "" and out.read_text(encoding="utf-8").startswith("BEGIN:VCARD")
    assert initials("Ada King Lovelace") == "A. K. L." and initials("최유림") == "최."
    assert initials("  ") == "?"


# Someone else's push: an escape sequence in a company (an OSC 8 link that fakes "Click me"), a
# C1 CSI and DEL in a role, a right-to-left override in a tag, a clear-screen in a planned dinner.
NASTY = """\
---
name: Mallory Example
company: "\\e]8;;https://evil.example\\e\\\\Click me\\e]8;;\\e\\\\"
role: "\\x9b31m engineer \\x7f"
tags: ["x\\u202egnirts"]
---
## Log
- 2026-12-05 dinner \x1b[2J\x1b[31mat the harbour
"""
RAW = ("\x1b", "\x9b", "\x7f", "\u202e")


def export_on_a_terminal(root, *args: str) -> bytes:
    """`netnotes export ARGS` with stdout a real terminal (a pseudo-terminal), as Sam types it."""
    import os
    import pty
    import subprocess
    import sys
    import termios

    main, child = pty.openpty()
    attrs = termios.tcgetattr(child)
    attrs[1] &= ~termios.ONLCR  # the terminal passes line ends as they are: bytes compared
    termios.tcsetattr(child, termios.TCSANOW, attrs)
    env = os.environ | {"PYTHONPATH": os.pathsep.join(sys.path), "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "netnotes", "--vault", str(root), "--today",
                           TODAY.isoformat(), "export", *args], stdout=child,
                          stderr=subprocess.PIPE, env=env, timeout=60)
    os.close(child)
    assert proc.returncode == 0, proc.stderr
    out = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal's other end is closed: all is read
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    return out


def test_an_export_to_the_terminal_shows_a_notes_escapes_and_a_pipe_keeps_them(vault, run,
                                                                               tmp_path):
    """Sam exports a contact someone else wrote to look at it: on the terminal the escape
    sequences are shown as ``\\x1b`` (as the report shows them), so nothing fakes a link or
    recolours the screen; piped or written with --out, the card is the exact vCard."""
    root = vault({"people/mallory.md": NASTY})
    for fmt in ("vcard", "ics", "csv", "json"):
        shown = export_on_a_terminal(root, fmt).decode("utf-8")
        assert not any(ch in shown for ch in RAW), (fmt, shown)
        if fmt == "json":  # JSON's own escapes, still JSON that reads back the same
            assert "\\u001b]8;;https://evil.example" in shown and "\\u202e" in shown
            assert json.loads(shown)["contacts"][0]["role"] == "\x9b31m engineer \x7f"
        elif fmt == "ics":  # the planned dinner
            assert "dinner \\x1b[2J\\x1b[31mat the harbour" in shown, shown
        else:
            assert "\\x1b]8" in shown and "Click me" in shown, (fmt, shown)
            assert "\\x9b31m engineer \\x7f" in shown, (fmt, shown)
        if fmt != "json":  # the format's own line ends are kept
            assert shown.endswith("\r\n") and "\\x0d" not in shown
        piped = run(root, "export", fmt)
        assert any(ch in piped.stdout for ch in RAW), fmt  # a pipe gets the format's bytes
    card = run(root, "export", "vcard").stdout_bytes
    assert b"ORG:\x1b]8\\;\\;https://evil.example\x1b\\\\Click me" in card
    out = tmp_path / "mallory.vcf"
    assert run(root, "export", "vcard", "--out", str(out)).exit_code == 0
    assert out.read_bytes() == card
    assert b"dinner \x1b[2J\x1b[31mat" in run(root, "export", "ics").stdout_bytes
