"""`pip install .` must ship the templates: a src/ layout leaves a top-level folder out of the
wheel unless the build is told, so this builds the real wheel and runs the report from it."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import REPO, note, write_vault


def test_installed_wheel_has_templates_and_runs_the_report(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(wheels), str(REPO)], check=True, capture_output=True)
    (wheel,) = wheels.glob("netnotes-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for template in ("report.txt.j2", "report-rows.txt.j2", "report.md.j2", "report-rows.md.j2",
                     "contact.txt.j2", "list.txt.j2"):
        assert f"netnotes/templates/{template}" in names

    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(site), str(wheel)], check=True, capture_output=True)
    root = write_vault(tmp_path / "v", {"people/ada.md": note("Ada", ["2020-01-01 call"])})
    env = {"PYTHONPATH": str(site), "NO_COLOR": "1", "PATH": "/usr/bin:/bin"}
    code = ("import netnotes, sys; assert netnotes.__file__.startswith(sys.argv[1]), "
            "netnotes.__file__; from netnotes.cli import main; sys.argv = ['netnotes', "
            "'--vault', sys.argv[2], '--today', '2026-11-22', 'report']; main()")
    out = subprocess.run([sys.executable, "-c", code, str(site), str(root)], cwd=tmp_path,
                         env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "OVERDUE (1)" in out.stdout and "Ada" in out.stdout
