"""Import benchmark: 10,000 vCards and a 10,000-row LinkedIn Connections.csv into empty vaults,
then the same imports again (which must change nothing).

    python benchmarks/import_bench.py [--n 10000] [--runs 3] [--keep DIR]

Each step runs the real command (``python -m netnotes import …``) in a process of its own and is
timed whole, as a user waits for it; the median of ``--runs`` fresh vaults is printed.  The files
are deterministic (seeded), so runs compare.  docs/performance.md quotes its figures.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST = ("Ada Grace Alan Barbara Claude Donald Edsger Frances Guido Hedy Ivan John Katherine "
         "Linus Margaret Niklaus Olga Peter Radia Sophie Tim Ursula Vint Wendy Xavier Zoë Amara "
         "Bjørn Chiara Dmitri Elif Farah Gustavo Hana Imani Jorge Kenji Leila Mateo").split()
LAST = ("Lovelace Hopper Turing Liskov Shannon Knuth Dijkstra Allen Rossum Lamarr Backus "
        "Johnson Torvalds Hamilton Wirth Naur Perlman Wilson Cerf Hall Leroy Matsumoto Okafor "
        "Andersen Rossi Petrov Yilmaz Haddad Silva Sato Mensah Herrera Tanaka Karimi").split()
COMPANIES = "Acme Initech Globex Umbrella Hooli Stark Wayne Tyrell Cyberdyne Aperture".split()
ROLES = ("CTO", "Engineer", "Researcher", "Designer", "Founder", "Investor", "Professor")
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def people(n: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        slug = f"{first}-{last}-{i}".lower()
        out.append({"first": first, "last": f"{last}", "i": str(i), "slug": slug,
                    "company": rng.choice(COMPANIES), "role": rng.choice(ROLES),
                    "email": f"{slug}@example.com".replace("ø", "o").replace("ë", "e"),
                    "phone": f"+44 20 7946 {i % 10000:04d}",
                    "day": f"{rng.randint(1, 28):02d} {rng.choice(MONTHS)} "
                           f"{rng.randint(2012, 2026)}",
                    "bday": f"{rng.randint(1950, 2000)}-{rng.randint(1, 12):02d}-"
                            f"{rng.randint(1, 28):02d}"})
    return out


def write_vcards(path: Path, n: int) -> None:
    cards = []
    for p in people(n, 1):
        cards.append("\r\n".join([
            "BEGIN:VCARD", "VERSION:3.0", f"FN:{p['first']} {p['last']} {p['i']}",
            f"N:{p['last']} {p['i']};{p['first']};;;", f"ORG:{p['company']}",
            f"TITLE:{p['role']}", f"EMAIL;TYPE=WORK:{p['email']}",
            f"TEL;TYPE=CELL:{p['phone']}", f"BDAY:{p['bday']}", "CATEGORIES:imported,phone",
            "NOTE:Met at a conference\\, talked about robots.", "END:VCARD"]) + "\r\n")
    path.write_text("".join(cards), encoding="utf-8", newline="")


def write_linkedin(path: Path, n: int) -> None:
    lines = ["Notes:", '"When exporting your connection data, you may notice that some of the '
             'email addresses are missing."', "",
             "First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    for p in people(n, 2):
        email = p["email"] if int(p["i"]) % 5 == 0 else ""
        lines.append(f"{p['first']},{p['last']} {p['i']},https://www.linkedin.com/in/"
                     f"{p['slug']},{email},{p['company']},{p['role']},{p['day']}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):  # in place: .netnotes/ is the cache
        dirnames[:] = sorted(d for d in dirnames if d not in (".netnotes", ".git"))
        for f in sorted(filenames):
            p = Path(dirpath) / f
            h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def netnotes(vault: Path, *args: str) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one whole ``netnotes`` process: on a shared
    machine the wall time moves with the load, the CPU time much less."""
    env = {**os.environ, "NETNOTES_TODAY": "2026-11-22", "NO_COLOR": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "netnotes", "--vault", str(vault), *args],
                          capture_output=True, text=True, env=env, check=False)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"netnotes {' '.join(args)} failed:\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="Write the files and vaults here and keep them.")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="netnotes-import-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    vcf, csv_file = work / "contacts.vcf", work / "Connections.csv"
    write_vcards(vcf, args.n)
    write_linkedin(csv_file, args.n)
    times: dict[str, list[tuple[float, float]]] = {}
    for name, source in (("vCard", vcf), ("LinkedIn", csv_file)):
        for run in range(args.runs):
            vault = work / f"vault-{name}-{run}"
            shutil.rmtree(vault, ignore_errors=True)
            (vault / "people").mkdir(parents=True)
            (vault / "netnotes.toml").write_text("", encoding="utf-8")
            times.setdefault(f"{name} import", []).append(netnotes(vault, "import", str(source)))
            before = tree_digest(vault)
            times.setdefault(f"{name} re-import (no-op)", []).append(
                netnotes(vault, "import", str(source)))
            if tree_digest(vault) != before:
                raise SystemExit(f"re-importing {source.name} changed the vault")
            count = len(list((vault / "people").glob("*.md")))
            if count != args.n:
                raise SystemExit(f"{name}: {count} notes, expected {args.n}")
    print(f"{args.n:,} records, median of {args.runs} runs (whole process, seconds; load "
          f"average {os.getloadavg()[0]:.1f} at the end)")
    print(f"  {'':<28} {'wall':>6}  {'(min – max)':<14} {'cpu':>6}")
    for label, values in times.items():
        wall, cpu = [v[0] for v in values], [v[1] for v in values]
        print(f"  {label:<28} {statistics.median(wall):6.2f}  ({min(wall):.2f} – "
              f"{max(wall):.2f})  {statistics.median(cpu):6.2f}")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
