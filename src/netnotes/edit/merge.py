"""Three-way merge of one note: base, ours and theirs bytes → merged bytes and the conflicting keys.

Git's line merge sees two people who each appended a log line at the end of the same note as a
conflict, and sees two people who each added a tag to the same ``tags: [..]`` line as one too.
Both are the everyday case when a vault is synced between machines, so this merge understands
the three parts of a note:

* **log lines** (what interactions.py counts as an interaction: a dated bullet in a log
  section) are merged as a set — a line added on either side is kept, a line deleted on one
  side and untouched on the other stays deleted, nothing is duplicated — and kept in date order;
* **front-matter keys** are merged key by key on the *text* of each key (its lines, as
  parse.py's KeySpan places them), so quoting and comments survive; list fields merge as sets;
  the same key changed differently on both sides gets git's conflict markers around that key
  only;
* **everything else** in the body goes to ``git merge-file``, git's own line merge.

The function is pure apart from running ``git merge-file`` on temporary files; the merge
driver (sync.py) does the reading and writing.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from netnotes.vault import (
    CONFLICT_MARKER,
    FENCE,
    FIELDS,
    HEADING,
    link_list,
    note_loader,
    parse_note,
    scan,
    text_list,
    word_list,
)

# Front-matter keys whose value is a set of items, merged item by item when both sides changed
# them: every list field of a contact, and ``people`` of a meeting note in the journal.
LIST_KEYS = frozenset(k for k, (_, conv) in FIELDS.items()
                      if conv in (text_list, word_list, link_list)) | {"people"}

OURS_LABEL = "ours"
THEIRS_LABEL = "theirs"
BODY = "(body)"  # the name reported when the free text below the front matter conflicts
WHOLE = "(note)"  # ... and when the note could not be merged part by part at all


@dataclass(frozen=True)
class MergeResult:
    """The merged bytes, and what git's conflict markers were put around (empty: clean)."""

    data: bytes
    conflicts: tuple[str, ...] = ()

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge_note(base: bytes, ours: bytes, theirs: bytes, *,
               log_headings: Iterable[str] | None = ("log", "interactions")) -> MergeResult:
    """Merge three versions of a note.  ``log_headings`` names the log sections (None: every
    section, as in the journal).  Never raises on a bad note: what cannot be merged part by part
    falls back to git's line merge of the whole file."""
    if ours == theirs or theirs == base:
        return MergeResult(ours)
    if ours == base:
        return MergeResult(theirs)
    heads = tuple(h.casefold() for h in log_headings) if log_headings is not None else None
    try:
        versions = [_Version.read(b) for b in (base, ours, theirs)]
    except _Unmergeable:
        return _merge_whole(base, ours, theirs)
    vb, vo, vt = versions
    if not base.strip() and vo.front is not None and vt.front is not None:
        # both sides created the note (git gives an empty base): merge key by key from nothing
        vb.front, vb.fences, vb.body = [_Chunk("", [])], vo.fences, []
    if len({v.front is None for v in versions}) != 1:
        return _merge_whole(base, ours, theirs)

    conflicts: list[str] = []
    lines: list[str] = []
    if vo.front is not None:
        assert vb.front is not None and vt.front is not None
        lines.append(_pick(vb.fences[0], vo.fences[0], vt.fences[0]))
        lines.extend(_merge_front(vb.front, vo.front, vt.front, conflicts))
        lines.append(_pick(vb.fences[1], vo.fences[1], vt.fences[1]))
    body, body_clean = _merge_body(vb.body, vo.body, vt.body, heads)
    if not body_clean:
        conflicts.append(BODY)
    text = "\n".join(lines + body)
    bom = _pick(vb.bom, vo.bom, vt.bom)
    crlf = _pick(vb.crlf, vo.crlf, vt.crlf)
    return MergeResult(_encode(text, bom, crlf), tuple(conflicts))


# --- reading ------------------------------------------------------------------------------


class _Unmergeable(Exception):
    """This version cannot be taken apart safely; merge the whole file line by line."""


@dataclass
class _Chunk:
    """The lines of one front-matter key (from its line up to the next key), or of the comments
    above the first key (key ``""``)."""

    key: str
    lines: list[str]
    value: Any = None


@dataclass
class _Version:
    bom: bool
    crlf: bool
    fences: tuple[str, str] = ("---", "---")
    front: list[_Chunk] | None = None  # None: the note has no front matter
    body: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, data: bytes) -> _Version:
        raw = parse_note(data, "", require_front_matter=False)
        if any(p.code in ("encoding", "merge-conflict", "duplicate-key", "bad-key")
               for p in raw.problems):
            raise _Unmergeable
        text = data.decode("utf-8-sig")
        crlf = "\r\n" in text
        all_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        v = cls(raw.bom, crlf)
        if not raw.has_front_matter:
            v.body = all_lines
            return v
        if not raw.front_matter_ok:
            raise _Unmergeable
        close = raw.body_line - 2  # index of the closing fence
        v.fences = (all_lines[0], all_lines[close])
        v.body = all_lines[close + 1:]
        spans = sorted(raw.keys.items(), key=lambda kv: kv[1].line)
        lines_of_keys = [span.line for _, span in spans]
        if len(set(lines_of_keys)) != len(spans) or any(sp.col != 1 for _, sp in spans):
            raise _Unmergeable  # `{name: Ada, tier: close}` or indented keys: not one per line
        starts = [span.line - 1 for _, span in spans] + [close]  # indexes into all_lines
        chunks = [_Chunk("", all_lines[1:starts[0]])]
        for i, (key, _) in enumerate(spans):
            chunks.append(_Chunk(key, all_lines[starts[i]:starts[i + 1]], raw.meta.get(key)))
        v.front = chunks
        return v


def _encode(text: str, bom: bool, crlf: bool) -> bytes:
    if crlf:
        text = text.replace("\n", "\r\n")
    return ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8")


def _pick(b: Any, o: Any, t: Any) -> Any:
    """The three-way rule for one indivisible thing: a change on one side wins; on both, ours."""
    return t if o == b else o


# --- front matter -------------------------------------------------------------------------


def _merge_front(base: list[_Chunk], ours: list[_Chunk], theirs: list[_Chunk],
                 conflicts: list[str]) -> list[str]:
    b = {c.key: c for c in base}
    o = {c.key: c for c in ours}
    t = {c.key: c for c in theirs}
    order = _merged_order([c.key for c in ours], [c.key for c in theirs])
    out: list[str] = []
    for key in order:
        cb, co, ct = b.get(key), o.get(key), t.get(key)
        lb, lo, lt = (c.lines if c else None for c in (cb, co, ct))
        if lo == lt or lt == lb:
            chosen = lo
        elif lo == lb:
            chosen = lt
        else:
            chosen = _merge_list_key(key, cb, co, ct) if key in LIST_KEYS else None
            if chosen is None:
                conflicts.append(key or "(comments)")
                out.append(f"<<<<<<< {OURS_LABEL}")
                out.extend(lo or [])
                out.append("=======")
                out.extend(lt or [])
                out.append(f">>>>>>> {THEIRS_LABEL}")
                continue
        out.extend(chosen or [])
    return out


def _merged_order(ours: Sequence[str], theirs: Sequence[str]) -> list[str]:
    """Ours' key order, with each key only theirs has placed after the key it follows there
    (every version starts with the comments chunk ``""``, so there always is one)."""
    order = list(ours)
    for i, key in enumerate(theirs):
        if key in order:
            continue
        prev = next((k for k in reversed(theirs[:i]) if k in order), None)
        order.insert(order.index(prev) + 1 if prev is not None else 0, key)
    return order


def _items(chunk: _Chunk | None) -> list[tuple[str, str]] | None:
    """A list key's items as (identity, source text), or None when the value is not a list of
    plain values (then the key is merged like any other)."""
    if chunk is None:
        return []
    value = chunk.value
    if value is None:
        return []
    if not isinstance(value, list) or any(isinstance(v, (list, dict)) for v in value):
        return None
    src = "\n".join(chunk.lines)
    loader = note_loader()(src)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    if not isinstance(node, yaml.MappingNode) or len(node.value) != 1:
        return None
    seq = node.value[0][1]
    if not isinstance(seq, yaml.SequenceNode) or len(seq.value) != len(value):
        return None
    out = []
    for item_node, item in zip(seq.value, value, strict=True):
        out.append((str(item), src[item_node.start_mark.index:item_node.end_mark.index]))
    return out


def _merge_list_key(key: str, cb: _Chunk | None, co: _Chunk | None, ct: _Chunk | None
                    ) -> list[str] | None:
    """Both sides changed a list: keep every item both kept, plus what each side added, in
    ours' order then theirs'.  Written in ours' style (flow ``[a, b]`` or block ``- a``)."""
    if co is None or ct is None:
        return None  # deleted on one side, changed on the other: a real conflict
    ib, io, it = _items(cb), _items(co), _items(ct)
    if ib is None or io is None or it is None:
        return None
    removed = {k for k, _ in ib} - ({k for k, _ in io} & {k for k, _ in it})
    merged: dict[str, str] = {}
    for k, src in io + it:
        if k not in removed and k not in merged:
            merged[k] = src
    return _write_list(key, co if io else ct, list(merged.values()))


def _write_list(key: str, style: _Chunk, items: list[str]) -> list[str]:
    """The merged items in the style of ``style``'s lines; a comment on the key's line stays."""
    first = style.lines[0]
    head = first[:first.index(":") + 1] if ":" in first else f"{key}:"
    rest = first[len(head):]
    block = next((ln for ln in style.lines[1:] if ln.lstrip().startswith("- ")), None)
    if block is not None and (not rest.strip() or rest.strip().startswith("#")):
        prefix = block[:len(block) - len(block.lstrip())] + "- "
        return [first] + [prefix + i for i in items]
    comment = re.search(r"\s+#[^\]'\"]*$", rest)
    return [f"{head} [{', '.join(items)}]{comment.group(0) if comment else ''}"]


# --- body ---------------------------------------------------------------------------------


@dataclass
class _Entry:
    """One log line and the lines indented under it."""

    lines: list[str]
    date: Any

    @property
    def ident(self) -> str:
        return "\n".join(ln.rstrip() for ln in self.lines)


@dataclass
class _Body:
    skeleton: list[str]  # the body with each log section's entries replaced by one placeholder
    entries: dict[str, list[_Entry]]  # placeholder → entries, in file order
    gaps: dict[str, int]  # placeholder → blank lines between entries


def _split_body(lines: list[str], heads: tuple[str, ...] | None, token: str) -> _Body:
    """Take the log entries out of a body, leaving one placeholder line per log section where
    its first entry was.  Blank lines between entries are remembered as the section's spacing."""
    found, _ = scan("\n".join(lines), "", 0, log_headings=heads)
    dated = {ln.line: ln.date for ln in found}
    body = _Body([], {}, {})
    section = ""
    seen: dict[str, int] = {}
    current: _Entry | None = None  # the entry the previous lines belong to
    indent = 0
    pending: list[str] = []  # blank lines after an entry, until we know what follows
    in_fence = False
    for i, line in enumerate(lines):
        if FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else HEADING.match(line)
        if heading:
            name = heading.group(2).strip().strip("*_").casefold()
            seen[name] = seen.get(name, 0) + 1
            section = f"{name}#{seen[name]}"
        line_indent = len(line) - len(line.lstrip())
        if current is not None and line.strip() and line_indent > indent and not heading:
            current.lines.extend(pending)  # a note indented under the log line
            current.lines.append(line)
            pending.clear()
        elif i in dated:
            place = token + section
            entries = body.entries.setdefault(place, [])
            if not entries:
                body.skeleton.extend(pending)
                body.skeleton.append(place)
            elif current is not None:
                body.gaps[place] = max(body.gaps.get(place, 0), len(pending))
            pending.clear()
            current = _Entry([line], dated[i])
            indent = line_indent
            entries.append(current)
        elif current is not None and not line.strip():
            pending.append(line)
        else:
            body.skeleton.extend(pending)
            body.skeleton.append(line)
            pending.clear()
            current = None
    body.skeleton.extend(pending)
    return body


def _merge_body(base: list[str], ours: list[str], theirs: list[str],
                heads: tuple[str, ...] | None) -> tuple[list[str], bool]:
    token = "netnotes-log-" + hashlib.sha256(
        "\n".join(base + ours + theirs).encode("utf-8", "surrogatepass")).hexdigest()[:16] + ":"
    bb, bo, bt = (_split_body(x, heads, token) for x in (base, ours, theirs))
    skeleton, clean = _merge_lines(bb.skeleton, bo.skeleton, bt.skeleton)
    places = [ln for ln in skeleton if ln.startswith(token)]
    out: list[str] = []
    orphans: list[_Entry] = []
    merged_by_place = {}
    for place in set(bb.entries) | set(bo.entries) | set(bt.entries):
        merged = _merge_entries(bb.entries.get(place, []), bo.entries.get(place, []),
                                bt.entries.get(place, []))
        if place in places:
            merged_by_place[place] = merged
        else:  # its section was deleted or renamed on one side: the lines are not lost
            orphans.extend(merged)
    if orphans:
        first = places[0] if places else token + "orphans"
        if not places:
            skeleton = skeleton + ["", "## Log", first]
        existing = merged_by_place.get(first, [])
        merged_by_place[first] = _insert_by_date(existing, orphans, _direction(existing))
    for line in skeleton:
        if line not in merged_by_place:
            if not line.startswith(token):
                out.append(line)
            continue
        gap = bo.gaps.get(line, bt.gaps.get(line, 0))
        # a placeholder seen twice sits in both halves of a body conflict: write its lines once
        for n, entry in enumerate(merged_by_place.pop(line)):
            if n:
                out.extend([""] * gap)
            out.extend(entry.lines)
    return out, clean


def _merge_entries(base: list[_Entry], ours: list[_Entry], theirs: list[_Entry]) -> list[_Entry]:
    """Three-way set merge of log entries: kept by both, or added by either; in date order."""
    ib, io, it = ({e.ident for e in x} for x in (base, ours, theirs))
    removed = ib - (io & it)
    kept = [e for e in ours if e.ident not in removed]
    new = [e for e in theirs if e.ident not in removed]
    return _insert_by_date(kept, new, _direction(ours, theirs, base))


def _direction(*logs: list[_Entry]) -> int:
    """+1 when the log is written oldest first, -1 newest first, 0 in no date order; the first
    log with two different dates decides (none: oldest first, as `netnotes log` writes)."""
    for entries in logs:
        dates = [e.date for e in entries]
        if len(set(dates)) < 2:
            continue
        if all(a <= b for a, b in zip(dates, dates[1:], strict=False)):
            return 1
        if all(a >= b for a, b in zip(dates, dates[1:], strict=False)):
            return -1
        return 0
    return 1


def _insert_by_date(kept: list[_Entry], new: list[_Entry], direction: int) -> list[_Entry]:
    """``kept`` with ``new`` merged in, each entry once; ties keep ``kept`` first."""
    seen: set[str] = set()

    def once(entries: list[_Entry]) -> list[_Entry]:
        out = []
        for e in entries:
            if e.ident not in seen:
                seen.add(e.ident)
                out.append(e)
        return out

    kept, new = once(kept), once(new)
    if direction == 1:
        return sorted(kept + new, key=lambda e: e.date)  # stable
    if direction == -1:
        return _stable_desc(kept + new)
    out = list(kept)  # the user keeps their own order: put each new line after its elders
    for e in new:
        at = max((i + 1 for i, k in enumerate(out) if k.date <= e.date), default=0)
        out.insert(at, e)
    return out


def _stable_desc(entries: list[_Entry]) -> list[_Entry]:
    order = {id(e): i for i, e in enumerate(entries)}
    return sorted(entries, key=lambda e: (-e.date.toordinal(), order[id(e)]))


def _merge_lines(base: list[str], ours: list[str], theirs: list[str]) -> tuple[list[str], bool]:
    if ours == theirs or theirs == base:
        return ours, True
    if ours == base:
        return theirs, True
    data, clean = git_merge_file("\n".join(base).encode(), "\n".join(ours).encode(),
                                 "\n".join(theirs).encode())
    return data.decode("utf-8").split("\n"), clean


# --- git's own line merge -----------------------------------------------------------------


def git_merge_file(base: bytes, ours: bytes, theirs: bytes) -> tuple[bytes, bool]:
    """``git merge-file`` on temporary files: the merged bytes (with ``<<<<<<< ours`` …
    ``>>>>>>> theirs`` markers where needed) and whether it merged cleanly."""
    with tempfile.TemporaryDirectory(prefix="netnotes-merge-") as tmp:
        paths = []
        for name, data in (("ours", ours), ("base", base), ("theirs", theirs)):
            p = os.path.join(tmp, name)
            with open(p, "wb") as f:
                f.write(data)
            paths.append(p)
        proc = subprocess.run(
            ["git", "merge-file", "-p", "-L", OURS_LABEL, "-L", "base", "-L", THEIRS_LABEL,
             *paths], capture_output=True, stdin=subprocess.DEVNULL, check=False)
    if proc.returncode < 0 or proc.returncode > 127:
        raise RuntimeError("git merge-file failed: "
                           + proc.stderr.decode("utf-8", "replace").strip())
    return proc.stdout, proc.returncode == 0


def _merge_whole(base: bytes, ours: bytes, theirs: bytes) -> MergeResult:
    data, clean = git_merge_file(base, ours, theirs)
    return MergeResult(data, () if clean else (WHOLE,))


def conflict_lines(data: bytes) -> list[int]:
    """The 1-based lines where a ``<<<<<<<`` conflict marker opens (for messages)."""
    text = data.decode("utf-8", "replace").replace("\r\n", "\n")
    return [i + 1 for i, ln in enumerate(text.split("\n"))
            if CONFLICT_MARKER.match(ln) and ln.startswith("<")]
