"""What an import did, said for people (the summary the command prints) and for scripts (JSON)."""

from __future__ import annotations

import shlex
from typing import Any

from netnotes.core import Source
from netnotes.interop.importer import ImportResult


def summary(result: ImportResult, *, limit: int = 10) -> str:
    """The import's summary for people: counts, the first few of each, every skipped and failed
    record with its reason, and what to do next."""
    verb = "would be" if result.dry_run else ""
    lines: list[str] = []
    for f in result.files:
        lines.append(f"{f.path}: {f.records} record{'s' if f.records != 1 else ''} "
                     f"({f.fmt}, {f.encoding})")
    for action, label in (("new", "new"), ("merged", "merged"), ("unchanged", "unchanged")):
        items = result.of(action)
        lines.append(f"{label + (' ' + verb if verb and action != 'unchanged' else ''):<16}"
                     f"{len(items):>6}")
        if action == "unchanged":
            continue
        for o in items[:limit]:
            extra = f" ({', '.join(o.added)})" if action == "merged" else ""
            lines.append(f"  {o.rel}{extra}")
        if len(items) > limit:
            lines.append(f"  … and {len(items) - limit:,} more")
    kept = [o for o in result.outcomes if o.kept]
    if kept:
        lines.append(f"{'kept yours':<16}{len(kept):>6}  (the file says otherwise; "
                     "--overwrite takes the file's value)")
        for o in kept[:limit]:
            lines.append(f"  {o.rel}: {', '.join(o.kept)}")
    lines.append(f"{'skipped':<16}{len(result.skipped):>6}")
    lines += [f"  {p}" for p in result.skipped]
    if result.failed:
        lines.append(f"{'failed':<16}{len(result.failed):>6}  (each on stderr, with its line)")
    lines += [f"warning: {p}" for p in result.warnings]
    new = result.of("new")
    if new:
        spread = f", first due dates spread over the next {result.spread_days} days" \
            if result.spread_days else ""
        lines.append(f"New contacts are in tier {result.tier!r}{spread} (snooze_until).")
        example = shlex.quote(new[0].rel.rsplit("/", 1)[-1].removesuffix(".md"))
        lines.append("Next: choose the critical few — the handful who matter most — with "
                     f"`netnotes set {example} tier critical` (and `netnotes unset {example} "
                     "snooze_until` to be reminded now), then `netnotes report`.")
    if result.dry_run:
        lines.append("Dry run: nothing was written.")
    return "\n".join(lines) + "\n"


def result_json(result: ImportResult) -> dict[str, Any]:
    """The result as plain data (``--format json``)."""
    def where(s: Source) -> str:
        return str(s)

    return {
        "dry_run": result.dry_run, "tier": result.tier, "spread_days": result.spread_days,
        "files": [{"path": f.path, "format": f.fmt, "encoding": f.encoding,
                   "records": f.records} for f in result.files],
        "contacts": [{"path": o.rel, "name": o.name, "action": o.action,
                      "added": list(o.added), "kept": list(o.kept),
                      "from": [where(s) for s in o.sources]} for o in result.outcomes],
        "counts": {a: len(result.of(a)) for a in ("new", "merged", "unchanged")}
        | {"skipped": len(result.skipped), "failed": len(result.failed)},
        "skipped": [p.to_dict() for p in result.skipped],
        "failed": [p.to_dict() for p in result.failed],
        "warnings": [p.to_dict() for p in result.warnings],
    }
