"""What reading career moves from git costs, asked afresh (``git log -p`` over the people folder)
against remembered for the commit checked out (``.netnotes/git-careers.json``).

    PYTHONPATH=src python benchmarks/careers.py [contacts] [commits] [folder]

Writes a synthetic vault (benchmarks/gen_vault.py) into ``folder`` (default: a temporary one),
commits it, then makes ``commits`` more commits that each move a slice of the contacts to
another company, and times ``vault.gitcareer.career_changes`` (git every time) against
``store.careers.remembered_changes`` (remembered per commit) (median of 7 runs each,
in-process: the figures leave out Python's start-up).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_vault import main as gen_vault  # noqa: E402

from netnotes.store.careers import remembered_changes  # noqa: E402
from netnotes.vault.gitcareer import career_changes  # noqa: E402

GIT = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.org"]


def make(root: Path, contacts: int, commits: int) -> None:
    gen_vault([str(contacts), str(root)])
    subprocess.run([*GIT, "init", "-q"], cwd=root, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-qm", "start"], cwd=root, check=True)
    notes = sorted((root / "people").glob("*.md"))
    step = max(len(notes) // commits, 1)
    for k in range(commits):
        for path in notes[k * step:(k + 1) * step]:
            lines = path.read_text("utf-8").split("\n")
            path.write_text("\n".join(f"company: Moved {k}" if line.startswith("company:")
                                      else line for line in lines), "utf-8")
        subprocess.run([*GIT, "commit", "-qam", f"moves {k}"], cwd=root, check=True)
    (root / ".netnotes").mkdir(exist_ok=True)


def median_time(fn, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str]) -> None:
    contacts = int(argv[0]) if argv else 2000
    commits = int(argv[1]) if len(argv) > 1 else 10
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(argv[2]) if len(argv) > 2 else Path(tmp) / "vault"
        make(root, contacts, commits)
        fresh = median_time(lambda: career_changes(root, "people"))
        remembered_changes(root, "people")  # remember it once
        kept = median_time(lambda: remembered_changes(root, "people"))
        moves = sum(len(v) for v in career_changes(root, "people").values())
    print(f"{contacts} contacts, {commits + 1} commits, {moves} moves: git log -p each time "
          f"{fresh * 1000:.0f} ms, remembered for the commit {kept * 1000:.0f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
