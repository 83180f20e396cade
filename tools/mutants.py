"""Hand-picked mutants of the editor, the log reader and the relationship measures: would the tests
notice if one of these rules changed?  Run on demand (it takes minutes), never in CI:

    python tools/mutants.py                  # every mutant
    python tools/mutants.py --module edit    # those of one module
    python tools/mutants.py --list           # what each mutant changes

Each mutant replaces one piece of source text (which must occur exactly once) in a copy of
``src/``; the module's tests then run against that copy (``-x``: the first failure is enough).  A
mutant the tests fail on is *caught*; one they pass is a *survivor*, printed with what it changed:
write the test that would have noticed.  Mutants marked equivalent change nothing a user can see
(a faster path that gives the same answer) and are left out of the figure.
"""

# ruff: noqa: E501  (a mutant quotes its source line as it is)
from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[1]


class Mutant(NamedTuple):
    module: str  # short name: edit, interactions, strength
    old: str
    new: str
    why: str
    equivalent: bool = False


TESTS = {
    "edit": ["tests/edit/test_edit_pinned.py", "tests/edit/test_edit_properties.py",
             "tests/edit/test_edit_cli.py", "tests/edit/test_edit_safety.py"],
    "interactions": ["tests/vault/test_interactions_pinned.py", "tests/vault/test_log_scan.py",
                     "tests/edit/test_edit_pinned.py", "tests/vault/test_load.py"],
    "strength": ["tests/analysis/test_strength_pinned.py", "tests/analysis/test_strength.py",
                 "tests/analysis/test_intel_report.py"],
}
# Where each module's code lives now (modules move and split: a mutant's text is looked for in
# every file of its entry and must occur exactly once among them).
MODULES = {
    "edit": ["netnotes.edit.changes", "netnotes.edit.body", "netnotes.edit.yamlvalue",
             "netnotes.edit"],
    "interactions": ["netnotes.vault.interactions", "netnotes.interactions"],
    "strength": ["netnotes.analysis.strength", "netnotes.strength"],
}

MUTANTS = [
    # --- edit ---------------------------------------------------------------------------------
    Mutant("edit", 'max(("\\n", "\\r\\n", "\\r"), key', 'max(("\\r\\n", "\\n", "\\r"), key',
           "a tie between CRLF and LF goes to CRLF"),
    Mutant("edit", 'doc.line(i).rstrip() in ("---", "...")', 'doc.line(i).rstrip() in ("---",)',
           "front matter closed by ... not found"),
    Mutant("edit", '''        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            start = off(node.start_mark)''', '''        if isinstance(node, yaml.ScalarNode) and node.style in ("|",):
            start = off(node.start_mark)''', "a folded block's trailing blank lines taken"),
    Mutant("edit", "    if key in raw.meta and raw.meta[key] == expect[key]:\n        return data",
           "    if False:\n        return data", "a no-op set writes"),
    Mutant("edit", 'entry.node.style not in ("|", ">")', 'entry.node.style not in (">",)',
           "a literal block replaced in place"),
    Mutant("edit", "at = entry.value_start + 1  # just inside", "at = entry.value_start  # inside",
           "adding to [] writes before the bracket"),
    Mutant("edit", 'gap = rest[: len(rest) - len(rest.lstrip(" \\t"))] if rest.strip() else ""',
           'gap = " "', "a list's own dash spacing ignored"),
    Mutant("edit", '        text = text.lstrip("#")\n    return fold(text)',
           "        pass\n    return fold(text)", "#Chess and chess are different tags"),
    Mutant("edit", 'if isinstance(value, str) and key in ("tags", "interests"):',
           "if False:", "tags: a, b read as one tag"),
    Mutant("edit", "if bad or raw.meta != expect or raw.body != before.body",
           "if bad or raw.body != before.body", "no read-back check of the front matter"),
    Mutant("edit", "if on and tag not in words.split():", "if on and tag not in words:",
           "#gave not added after #gavel"),
    Mutant("edit", "if ch in YAML_ONLY_BREAKS or o == 0xFEFF:", "if ch in YAML_ONLY_BREAKS:",
           "U+FEFF written unescaped"),
    Mutant("edit", "and len(now) == len(old) + 1 and len(want) == 1",
           "and len(now) >= len(old) and len(want) == 1", "log read-back accepts a lost line"),
    Mutant("edit", "before = [ln for ln in dated if ln.date <= day]",
           "before = [ln for ln in dated if ln.date < day]", "a line goes before its day's lines"),
    Mutant("edit", 'return doc.splice(entry.colon_end, doc.ends[last], " []")',
           'return doc.splice(entry.colon_end, doc.ends[last], "")',
           "an emptied block list reads as no value"),
    Mutant("edit", 'and ": " not in value and " #" not in value', 'and ": " not in value',
           "a value with ' #' left plain (read as a comment)", equivalent=True),
    # equivalent: the shortcut spares three YAML loads; _reads_back refuses "x #y" plain anyway
    Mutant("edit", "    if not pattern.match(key) or yaml_scalar(key) != key:",
           "    if not pattern.match(key):", "a key YAML reads otherwise accepted"),
    Mutant("edit", "        at = doc.after(front.last_line)\n",
           "        at = doc.after(0)\n", "a new key goes first, not last"),
    Mutant("edit", '        return doc.splice(at, at, doc.newline + text)  # the file had no',
           '        return doc.splice(at, at, text)  # the file had no',
           "a log line glued to a last line without a newline"),
    Mutant("edit", "    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in words):",
           "    if any(ord(c) < 32 for c in words):", "C1 control characters logged"),
    Mutant("edit", "        if h.group(2).strip().strip(\"*_\").casefold() in heads:",
           "        if h.group(2).strip().casefold() in heads:", "## **Log** not the log section"),
    Mutant("edit", 'prefix = _bullet_prefix(doc.line(anchor))', 'prefix = "- "',
           "a new log line ignores its neighbours' bullet"),
    # --- interactions -------------------------------------------------------------------------
    Mutant("interactions", 'FENCE = re.compile(r"^\\s*(```|~~~)")',
           'FENCE = re.compile(r"^\\s*(```)")', "~~~ fences not fences"),
    Mutant("interactions", 'in_log = heads is None or h.group(2).strip().strip("*_").casefold()',
           'in_log = heads is None or h.group(2).strip().strip("*").casefold()',
           "## __Log__ not a log heading"),
    Mutant("interactions", '(?:((\\d{4})-(\\d{1,2})-(\\d{1,2}))',
           '(?:((\\d{4})-(\\d{2})-(\\d{2}))', "one-digit months and days not read"),
    Mutant("interactions", '(?=$|[\\s:,.;)\\]—–-])[\\s:,.;)\\]—–-]*)?((\\S*).*)$")',
           '(?=$|[\\s:,.;)\\]—–-])[\\s,.;)\\]—–-]*)?((\\S*).*)$")',
           "2026-03-14 : call keeps the colon in its text"),
    Mutant("interactions", "            in_fence = not in_fence", "            in_fence = True",
           "a closing fence does not close"),
    Mutant("interactions", "    in_log = True  # lines above the first heading count",
           "    in_log = False  # lines above the first heading count",
           "lines above the first heading ignored"),
    Mutant("interactions", 'if first.endswith("s") and first[:-1] in KINDS and first not in KINDS:',
           "if False:", "plural kinds (calls) not read"),
    Mutant("interactions", 'first = word.strip(":,.;!").casefold()', "first = word.casefold()",
           "Coffee: not a kind"),
    Mutant("interactions", "                elif default_date is not None:\n                    day = default_date",
           "                elif False:\n                    day = default_date",
           "a journal file's day does not date its undated lines"),
    Mutant("interactions", '    gave, got = "gave" in tags, "got" in tags',
           '    gave, got = "gave" in tags, "gave" in tags', "#got read as #gave"),
    # --- strength -----------------------------------------------------------------------------
    Mutant("strength", "elif recent <= before * (1 - TREND_RATIO) and before - recent >= TREND_MIN:",
           "elif recent < before * (1 - TREND_RATIO) and before - recent >= TREND_MIN:",
           "the cooling boundary moves"),
    Mutant("strength", "elif recent <= before * (1 - TREND_RATIO) and before - recent >= TREND_MIN:",
           "elif recent <= before * (1 - TREND_RATIO):", "cooling without the one-point minimum"),
    Mutant("strength", "elif recent >= before * (1 + TREND_RATIO) and recent - before >= TREND_MIN:",
           "elif recent > before * (1 + TREND_RATIO) and recent - before >= TREND_MIN:",
           "the warming boundary moves"),
    Mutant("strength", "elif TREND_DAYS <= age < 2 * TREND_DAYS:",
           "elif TREND_DAYS <= age <= 2 * TREND_DAYS:", "day 730 counted in the year before"),
    Mutant("strength", "if 0 <= age < TREND_DAYS:", "if 0 <= age <= TREND_DAYS:",
           "day 365 counted in the last year"),
    Mutant("strength", "today - dt.timedelta(days=2 * TREND_DAYS - 1)",
           "today - dt.timedelta(days=2 * TREND_DAYS - 2)", "assess drops day 729"),
    Mutant("strength", "0 <= (today - move.date).days <= RECENT_MOVE_DAYS",
           "0 <= (today - move.date).days < RECENT_MOVE_DAYS", "a move 365 days ago forgotten"),
    Mutant("strength", "fresh = (today - move.date).days <= 90",
           "fresh = (today - move.date).days < 90", "a move 90 days ago not fresh"),
    Mutant("strength", "                                  65 if fresh else 55))\n            break",
           "                                  65 if fresh else 55))", "two moves, two reasons"),
    Mutant("strength", "moves.append(CareerMove(old.until or new.since,",
           "moves.append(CareerMove(old.until,", "a step with only since undated"),
    Mutant("strength", "key=lambda kv: (-len(kv[1]), kv[0]))", "key=lambda kv: (kv[0],))",
           "helpers not ranked by matches"),
    Mutant("strength", "            if len(group) > MAX_GROUP:\n                continue",
           "            if len(group) > MAX_GROUP + 1:\n                continue",
           "the group-size cap for helpers moves"),
    Mutant("strength", "if len(group := self.by_topic.get(key, [])) <= MAX_GROUP]",
           "if len(group := self.by_topic.get(key, [])) < MAX_GROUP]",
           "the group-size cap for common ground moves"),
    Mutant("strength", "same = bool(me.field) and fold(me.field) == fold(c.field)",
           "same = fold(me.field) == fold(c.field)", "two empty fields are the same field"),
    Mutant("strength", "if fold(old.company) == fold(new.company) and fold(old.role) == "
           "fold(new.role):", "if old.company == new.company and old.role == new.role:",
           "the same position written in another case is a move"),
    Mutant("strength", "while level > 0 and len(ranked) < MAX_SHARED:",
           "while level > 0 and len(ranked) <= MAX_SHARED:", "one shared contact too many",
           equivalent=True),  # equivalent: the slice after it adds nothing once 5 are ranked
    Mutant("strength", "ranked += sorted(o for o, n in counts.items() if n == level)[:MAX_SHARED - len(ranked)]",
           "ranked += sorted(o for o, n in counts.items() if n == level)",
           "more than MAX_SHARED contacts listed"),
]


def module_files(src: Path, short: str) -> list[Path]:
    """The files in ``src`` that hold the module's code."""
    found = []
    for name in MODULES[short]:
        sys.path.insert(0, str(src))
        try:
            spec = importlib.util.find_spec(name)
        except ModuleNotFoundError:
            spec = None
        finally:
            sys.path.pop(0)
        if spec is not None and spec.origin and not spec.origin.endswith("__init__.py"):
            found.append(Path(spec.origin))
    if not found:
        raise SystemExit(f"no module for {short} in {src}")
    return found


def locate(src: Path, m: Mutant) -> Path:
    """The one file holding the mutant's text, exactly once."""
    hits = [(p, p.read_text().count(m.old)) for p in module_files(src, m.module)]
    where = [p for p, n in hits if n]
    if sum(n for _, n in hits) != 1:
        raise SystemExit(f"mutant ({m.why}): its text occurs {sum(n for _, n in hits)} times in "
                         + ", ".join(p.name for p in module_files(src, m.module)))
    return where[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--module", choices=sorted(TESTS))
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args()
    chosen = [m for m in MUTANTS if args.module in (None, m.module)]
    if args.list:
        for i, m in enumerate(chosen, 1):
            print(f"{i:3} {m.module:<13} {m.why}")
        return
    caught: dict[str, list[int]] = {}
    survivors = []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(REPO / "src", src)
        if (REPO / "templates").is_dir():  # found beside src/ when running from source
            shutil.copytree(REPO / "templates", Path(tmp) / "templates")
        env = {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}
        for module in sorted({m.module for m in chosen}):  # unmutated, the tests must pass
            base = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p",
                                   "no:cacheprovider", *TESTS[module]], cwd=REPO, env=env,
                                  capture_output=True, timeout=args.timeout)
            if base.returncode != 0:
                raise SystemExit(f"the {module} tests fail without any mutant: fix them first\n"
                                 + base.stdout.decode()[-2000:])
        for i, m in enumerate(chosen, 1):
            path = locate(src, m)
            original = path.read_text()
            path.write_text(original.replace(m.old, m.new))
            start = time.monotonic()
            try:
                proc = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q",
                                       "-p", "no:cacheprovider", *TESTS[m.module]], cwd=REPO,
                                      env=env, capture_output=True, timeout=args.timeout)
                killed = proc.returncode != 0
            except subprocess.TimeoutExpired:
                killed = True  # a mutant that hangs the tests is noticed too
            finally:
                path.write_text(original)
            verdict = "caught" if killed else "SURVIVED"
            print(f"{i:3} {m.module:<13} {verdict:<9} {time.monotonic() - start:5.1f}s  {m.why}"
                  + ("  (equivalent)" if m.equivalent else ""), flush=True)
            if m.equivalent:
                continue
            caught.setdefault(m.module, [0, 0])
            caught[m.module][1] += 1
            if killed:
                caught[m.module][0] += 1
            else:
                survivors.append(m)
    print()
    for module, (k, n) in sorted(caught.items()):
        print(f"{module:<13} {k}/{n} caught ({100 * k / n:.0f} %)")
    total_k = sum(k for k, _ in caught.values())
    total_n = sum(n for _, n in caught.values())
    if total_n:
        print(f"{'all':<13} {total_k}/{total_n} caught ({100 * total_k / total_n:.0f} %)")
    for m in survivors:
        print(f"survivor in {m.module}: {m.old!r} -> {m.new!r} ({m.why})")


if __name__ == "__main__":
    main()
