"""Who you are — ``[me]`` in netnotes.toml — set from the command line, so that nobody has to
learn TOML on their first day.  Only the line of the key changes (or one line is added); the
comments and everything else in the file stay as they are, and the result is read back through
the same parser every command uses before it is written."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from netnotes.core import CONFIG_NAME, parse_config
from netnotes.edit.changes import BadValue, EditRefused
from netnotes.edit.notes import lock_vault
from netnotes.vault import write_bytes_atomic

ME_LISTS = ("interests", "tags")
ME_KEYS = ("name", "field", *ME_LISTS)
_SECTION = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]\s*(#.*)?$")


def me_line(key: str, values: Sequence[str]) -> str:
    """``name = "Sam Okafor"`` / ``interests = ["chess", "climate tech"]``: TOML basic strings
    (JSON's escapes are TOML's), one value for name and field, a list for the others."""
    if key not in ME_KEYS:
        raise BadValue(f"[me] has no {key} — use one of: {', '.join(ME_KEYS)}")
    items = [" ".join(v.split()) for v in values]
    if any("\n" in v or not v for v in items) and key not in ME_LISTS:
        raise BadValue(f"{key}: give one value")
    if key in ME_LISTS:
        return f"{key} = [{', '.join(json.dumps(v, ensure_ascii=False) for v in items if v)}]"
    return f"{key} = {json.dumps(' '.join(items), ensure_ascii=False)}"


def with_me(text: str, key: str, values: Sequence[str]) -> str:
    """``text`` (netnotes.toml) with ``[me] key`` set: the key's line (a multi-line list: its
    lines) replaced, or a line added at the end of [me], or a [me] table added at the end."""
    new = me_line(key, values)
    nl = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(nl)
    start = next((i for i, ln in enumerate(lines)
                  if (m := _SECTION.match(ln)) and m.group(1) == "me"), None)
    if start is None:
        sep = "" if not text or text.endswith(nl) else nl
        return f"{text}{sep}{nl}[me]{nl}{new}{nl}"
    end = next((i for i in range(start + 1, len(lines)) if _SECTION.match(lines[i])), len(lines))
    key_line = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=')
    for i in range(start + 1, end):
        if key_line.match(lines[i]):
            last = i
            if "[" in lines[i].split("=", 1)[1] and "]" not in lines[i].split("=", 1)[1]:
                last = next((j for j in range(i + 1, end) if "]" in lines[j]), i)
            lines[i:last + 1] = [new]
            return nl.join(lines)
    at = end
    while at - 1 > start and not lines[at - 1].strip():
        at -= 1  # after the table's last line, before the blank lines that end it
    lines.insert(at, new)
    return nl.join(lines)


def set_me(root: Path, key: str, values: Sequence[str]) -> str:
    """Set ``[me] key`` in the vault's netnotes.toml (atomically, under the vault's lock).
    Returns the line written.  Refuses, changing nothing, when the file would not read back
    with exactly that value."""
    path = Path(root) / CONFIG_NAME
    with lock_vault(Path(root)):
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise EditRefused(f"no {CONFIG_NAME} in {root}") from None
        text = data.decode("utf-8-sig")
        new_text = with_me(text, key, values)
        config, problems = parse_config(new_text)
        got = getattr(config.me, key)
        want = me_line(key, values)
        if problems and not parse_config(text)[1] or me_line(
                key, list(got) if isinstance(got, tuple) else [got]) != want:
            raise EditRefused(f"{CONFIG_NAME} could not be changed safely (it would not read "
                              f"back as {want}); nothing was written — edit [me] by hand")
        bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
        write_bytes_atomic(path, (bom + new_text).encode("utf-8"))
    return want
