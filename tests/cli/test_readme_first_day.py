"""The README's first five minutes, run as written: every `$ ` line of that section, in order, in
one shell session's folders, from `netnotes init` to the first `netnotes sync`.  Only what a test
cannot have is replaced: the files in ~/Downloads (fictional ones are written there) and the git
host (an empty repository in tmp_path)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, private_git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

VCARD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Amara Oduya\r\nEMAIL:amara@example.org\r\n"
         "ORG:Kestrel Robotics\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Tomas Ferreira\r\n"
         "END:VCARD\r\n")
LINKEDIN = ("Notes:\n\"When exporting your connection data, you may notice that some of the email "
            "addresses are missing.\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,"
            "Connected On\nAmara,Oduya,https://www.linkedin.com/in/amara-oduya,amara@example.org,"
            "Kestrel Robotics,CTO,12 Mar 2023\nLin,Qiu,https://www.linkedin.com/in/lin-qiu,,"
            "Datawell,Engineer,01 Feb 2024\n")


def first_screen() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Your first five minutes", 1)[1].split("\n## ", 1)[0]
    return [ln[2:] for ln in section.splitlines() if ln.startswith("$ ")]


def test_the_first_five_minutes_run_as_written(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    private_git(tmp_path, monkeypatch)
    home = tmp_path / "home"
    (home / "Downloads").mkdir()
    (home / "Downloads" / "contacts.vcf").write_text(VCARD)
    (home / "Downloads" / "Connections.csv").write_text(LINKEDIN)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "netnotes").write_text(f"#!/bin/sh\nexec {sys.executable} -m netnotes \"$@\"\n")
    (bin_dir / "netnotes").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("NETNOTES_TODAY", "2026-11-22")
    remote = tmp_path / "host" / "network.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)

    lines = first_screen()
    assert lines[0].startswith("netnotes init") and lines[-1] == "netnotes sync"
    cwd, said = tmp_path / "work", ""
    cwd.mkdir()
    for line in lines:
        typed = re.sub(r"git@github\.com:\S+", str(remote), line)
        proc = subprocess.run(["sh", "-c", f"{typed} && pwd > {tmp_path / 'cwd'}"], cwd=cwd,
                              capture_output=True, text=True, stdin=subprocess.DEVNULL,
                              check=False)
        assert proc.returncode == 0, f"$ {line}\n{proc.stdout}{proc.stderr}"
        cwd = Path((tmp_path / "cwd").read_text().strip())
        said = proc.stdout
    assert "(the first push; origin/main is now this branch's upstream)" in said or \
        "(the first push; origin/master is now this branch's upstream)" in said
    clean = subprocess.run(["git", "status", "--porcelain"], cwd=cwd, capture_output=True,
                           text=True, check=True).stdout
    assert clean == ""
    pushed = subprocess.run(["git", "ls-tree", "-r", "--name-only", "HEAD"], cwd=remote,
                            capture_output=True, text=True, check=True).stdout.split()
    assert "people/amara-oduya.md" in pushed and not any(".netnotes" in p for p in pushed)
