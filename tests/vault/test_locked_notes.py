"""Locked notes are named, not misparsed: a note that is ciphertext is reported once as
"encrypted: unlock the vault first", never edited, never shown as broken YAML, and the rest of the
vault reports as usual."""

from __future__ import annotations

import json

import pytest
from conftest import note

from netnotes.vault.parse import encrypted

CIPHERTEXTS = {
    "git-crypt": b"\x00GITCRYPT\x00\x8f\x12\xa0\xff\x00\x01binary",
    "age binary": b"age-encryption.org/v1\n-> X25519 abc\nxyz\n--- hmac\n\x8a\xff\x00",
    "age armored": b"-----BEGIN AGE ENCRYPTED FILE-----\nYWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+\n"
                   b"-----END AGE ENCRYPTED FILE-----\n",
    "openssl": b"Salted__\x8e\x02\xf1\xaa\x00\x13\xff\xfe",
    "openssl base64": b"U2FsdGVkX1+vupppZksvRf5pq5g5XjFRlipRkwB0K1Y=\n",
    "openpgp armored": b"-----BEGIN PGP MESSAGE-----\n\nhQEMA8J1...\n-----END PGP MESSAGE-----\n",
    "openpgp binary, old packets": b"\x85\x01\x0c\x03\xc2u\x9a\xff\xfe\x00",
    "openpgp binary, new packets": b"\xc1\xc0\x4c\x03\x8a\xff\xfe\x00\x01",
    "openpgp symmetric": b"\x8c\x0d\x04\x09\x03\x02\xff\xfe\x80\x00",
}


@pytest.fixture
def locked_vault(vault):
    files: dict[str, str | bytes] = {f"people/locked-{i}.md": data
                                     for i, data in enumerate(CIPHERTEXTS.values())}
    files["people/ada.md"] = note("Ada Lovelace", ["2025-01-05 coffee"], tier="close")
    files["journal/2026-01-02.md"] = CIPHERTEXTS["age armored"]
    return vault(files)


@pytest.mark.parametrize("data", CIPHERTEXTS.values(), ids=CIPHERTEXTS.keys())
def test_each_kind_is_recognised(data):
    assert encrypted(data) is not None


@pytest.mark.parametrize("data", [
    b"---\nname: Ada\n---\n", "---\nname: Émile\n---\n".encode(), "Ünïcode".encode(),
    b"Salt and pepper\n", b"age: 42\n", b"\xc3\xa9t\xc3\xa9\n",
])
def test_notes_are_not_mistaken_for_ciphertext(data):
    assert encrypted(data) is None


def test_check_names_each_locked_note_once(locked_vault, run):
    result = run(locked_vault, "check", "--format", "json")
    problems = json.loads(result.stdout)["problems"]
    by_path: dict[str, list[dict]] = {}
    for p in problems:
        by_path.setdefault(p["path"], []).append(p)
    locked = [f"people/locked-{i}.md" for i in range(len(CIPHERTEXTS))] + ["journal/2026-01-02.md"]
    for rel in locked:
        assert [p["code"] for p in by_path[rel]] == ["encrypted"], by_path.get(rel)
        assert by_path[rel][0]["line"] == 1
        assert "unlock the vault first" in by_path[rel][0]["message"]
    assert set(by_path) == set(locked)  # nothing else: no YAML, UTF-8 or front-matter errors
    text = run(locked_vault, "check").stdout
    assert "people/locked-0.md:1: error: encrypted (git-crypt): unlock the vault first" in text
    assert "YAML" not in text and "UTF-8" not in text and "front matter" not in text


def test_the_rest_of_the_vault_reports_normally(locked_vault, run):
    result = run(locked_vault, "report")
    assert result.exit_code == 0
    assert "Ada Lovelace" in result.stdout
    contacts = json.loads(run(locked_vault, "list", "--format", "json").stdout)
    assert [c["id"] for c in contacts] == ["ada"]


@pytest.mark.parametrize("args", [("log", "locked-1", "coffee"),
                                  ("set", "locked-1", "tier", "close"),
                                  ("unset", "locked-1", "company"), ("snooze", "locked-1", "1w"),
                                  ("edit", "locked-1")])
def test_a_locked_note_is_never_edited(locked_vault, run, args, monkeypatch, tmp_path):
    monkeypatch.setenv("VISUAL", f"touch {tmp_path / 'editor-ran'}")
    before = (locked_vault / "people/locked-1.md").read_bytes()
    result = run(locked_vault, *args)
    assert result.exit_code != 0
    assert "encrypted (age): unlock the vault first" in result.stderr
    assert (locked_vault / "people/locked-1.md").read_bytes() == before
    assert not (tmp_path / "editor-ran").exists()
