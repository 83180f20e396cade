"""Names as people type them: case- and accent-insensitive matching, and safe file-name slugs."""

from __future__ import annotations

import functools
import re
import unicodedata

_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe",
                          "Œ": "OE", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th",
                          "Þ": "Th", "ı": "i"})

# Names Windows refuses as file names, whatever the extension.
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
            *(f"lpt{i}" for i in range(10))}


@functools.lru_cache(maxsize=65536)  # analysis folds the same names and interests again and again
def fold(text: str) -> str:
    """``"  Zoë  O'Brien "`` → ``"zoe o'brien"``: what two spellings of one name have in common."""
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


# File systems allow 255 bytes a file name (ext4, APFS, NTFS count UTF-8 bytes or UTF-16 units;
# both are at most this many): a slug keeps room for "-NNNN.md" and a sync tool's suffix.
MAX_SLUG_BYTES = 200
MAX_SLUG_CHARS = 80


def slugify(name: str, fallback: str = "contact") -> str:
    """A file-name-safe id: ASCII letters, digits and single hyphens, never empty, never a path.

    ``"Zoë O'Brien"`` → ``"zoe-obrien"``; ``"../../etc"`` → ``"etc"``; names with no Latin letters
    keep their letters (``"김민지"`` stays readable) but never a separator or a leading dot.
    At most 80 characters and 200 bytes of UTF-8, so ``slug-9999.md`` fits any file system's
    255-byte limit.
    """
    folded = fold(name).replace("'", "").replace("’", "")
    slug = re.sub(r"[^\w]+", "-", folded, flags=re.UNICODE).strip("-_").lower()
    slug = re.sub(r"-{2,}", "-", slug)
    slug = slug.lstrip(".")[:MAX_SLUG_CHARS].strip("-")
    while len(slug.encode("utf-8", "surrogatepass")) > MAX_SLUG_BYTES:  # 4-byte letters
        slug = slug[:-1].rstrip("-")
    if not slug or slug in RESERVED:
        slug = f"{fallback}-{slug}" if slug else fallback
    return slug


WIKILINK = re.compile(r"\[\[([^\[\]|#]+)(?:[#|][^\[\]]*)?\]\]")


def link_targets(text: str) -> list[str]:
    """``"met [[ada]] and [[Grace Hopper|Grace]]"`` → ``["ada", "Grace Hopper"]``."""
    return [target.strip() for target in WIKILINK.findall(text)]


def unlink(text: str) -> str:
    """Log text for reading: ``[[ada-lovelace|Ada]]`` → ``Ada``, ``[[ada-lovelace]]`` →
    ``ada-lovelace``, and ``#gave``/``#got`` markers dropped."""
    text = re.sub(r"\[\[([^\[\]|#]+)(?:#[^\[\]|]*)?\|([^\[\]]+)\]\]", r"\2", text)
    text = WIKILINK.sub(lambda m: m.group(1).strip(), text)
    text = re.sub(r"\s*(?<![\w&/])#(gave|got)\b", "", text)
    return " ".join(text.split())
