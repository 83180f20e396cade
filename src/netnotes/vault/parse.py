"""Bytes of a note → RawNote (front matter, the line of every key, body) or Problems.

We split the front matter ourselves instead of using python-frontmatter: we need the line of every
key (for ``path:line`` messages), duplicate keys, BOM and CRLF facts (so edits can keep them), and
we must turn YAML errors into Problems rather than exceptions.  Doing the split by hand and one
compose pass with PyYAML's C loader gives all of that in a single parse.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from netnotes.core import Problem, Source

if TYPE_CHECKING:
    import yaml
from netnotes.vault.fastpath import simple_front_matter
from netnotes.vault.rawnote import (
    YAML_BOOL,
    YAML_FLOAT,
    YAML_INT,
    YAML_NULL,
    KeySpan,
    RawNote,
    number_as_written,
)


def _ignore_tag(constructor: Any, suffix: str, node: yaml.Node) -> Any:
    """Any tag we do not know (``!secret``, ``!!python/object:…``) is read as the plain value
    under it and reported: no object is ever constructed, and no note is lost over a tag."""
    import yaml

    constructor.ignored_tags.append(node)
    if isinstance(node, yaml.ScalarNode):
        return constructor.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return constructor.construct_sequence(node, deep=True)
    return constructor.construct_mapping(node, deep=True)


@lru_cache(maxsize=1)
def note_loader() -> type:
    """The YAML loader for front matter (made on first use: most notes never need it, as the
    fast path reads plain front matter, and importing PyYAML is a tenth of a small report).

    A safe loader that reads values the way people mean them in a contact note.  YAML 1.1 turns
    ``NO`` (Norway) into false, ``012345`` into an octal number and ``12:30`` into 750.  Here
    only ``true``/``false`` are booleans, only plain decimal numbers are numbers, and dates stay
    text until the field converter reads them (so a bad date is a Problem on its line, not a
    crash).  Merge keys (``<<``) are not supported: they only serve alias bombs in notes."""
    import yaml

    try:  # the C loader is ~10x faster; fall back to pure Python where libyaml is missing
        base: type = yaml.CSafeLoader
    except AttributeError:  # pragma: no cover - depends on how PyYAML was built
        base = yaml.SafeLoader

    class NoteLoader(base):  # type: ignore[misc,valid-type]
        yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}

    NoteLoader.add_implicit_resolver("tag:yaml.org,2002:bool", YAML_BOOL, list("tTfF"))
    NoteLoader.add_implicit_resolver("tag:yaml.org,2002:int", YAML_INT, list("-+0123456789"))
    NoteLoader.add_implicit_resolver("tag:yaml.org,2002:float", YAML_FLOAT, list("-+0123456789."))
    NoteLoader.add_implicit_resolver("tag:yaml.org,2002:null", YAML_NULL, ["~", "n", "N", ""])
    NoteLoader.add_multi_constructor("", _ignore_tag)
    # YAML's other standard types (bytes, sets, ordered maps, timestamps) are not note data
    # either: a note holds text, numbers, true/false, lists and mappings, so every output can
    # print it.
    for tag in ("binary", "set", "omap", "pairs", "timestamp"):
        NoteLoader.add_constructor(f"tag:yaml.org,2002:{tag}",
                                   lambda c, n: _ignore_tag(c, "", n))
    NoteLoader.add_constructor("tag:yaml.org,2002:int",
                               lambda c, n: number_as_written(c.construct_scalar(n), int))
    NoteLoader.add_constructor("tag:yaml.org,2002:float",
                               lambda c, n: number_as_written(c.construct_scalar(n), float))
    return NoteLoader


def __getattr__(name: str) -> Any:
    """``parse.NoteLoader``, made on first use (``note_loader``)."""
    if name == "NoteLoader":
        return note_loader()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


MAX_FRONT_MATTER_DEPTH = 50  # PyYAML's C loader overflows the stack at a few tens of thousands
MAX_YAML_NODES = 20_000  # after alias expansion: stops "billion laughs" before it eats memory
MAX_FRONT_MATTER_BYTES = 1_000_000

_FENCE_OPEN = "---"
CONFLICT_MARKER = re.compile(r"^(<{7}(?: .*)?|={7}|>{7}(?: .*)?|\|{7}(?: .*)?)$")


def decode(data: bytes, path: str) -> tuple[str | None, bool, list[Problem]]:
    """UTF-8 (with or without a BOM) → text; anything else is a Problem naming the byte offset."""
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8-sig"), bom, []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        utf16 = " (it looks like UTF-16)" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        return None, bom, [Problem(Source(path, line, col), "error", "encoding",
                                   f"not UTF-8: byte 0x{data[exc.start]:02x} at offset "
                                   f"{exc.start}{utf16}", "re-save the file as UTF-8")]


_AGE_HINT = ("put the vault's age key in place and set up the clone's decryption as "
             "docs/privacy.md says, or decrypt the file with age -d")
# How each kind of ciphertext begins, and how to unlock it.
_LOCKS: tuple[tuple[bytes, str, str], ...] = (
    (b"\x00GITCRYPT\x00", "git-crypt", "run `git-crypt unlock` in the vault"),
    (b"age-encryption.org/v1", "age", _AGE_HINT),
    (b"-----BEGIN AGE ENCRYPTED FILE-----", "age", _AGE_HINT),
    (b"Salted__", "OpenSSL", "decrypt it with `openssl enc -d`"),
    (b"U2FsdGVkX1", "OpenSSL, base64", "decrypt it with `openssl enc -d -a`"),
    (b"-----BEGIN PGP MESSAGE-----", "OpenPGP", "decrypt it with `gpg -d` (or unlock the tool "
     "that encrypted the vault)"),
)
# The packets an OpenPGP message starts with: a public- or symmetric-key encrypted session key,
# or (symmetrically) encrypted data.
_PGP_TAGS = frozenset({1, 3, 9, 18, 20})


_LOCK_STARTS = frozenset({b"\x00", b"a", b"-", b"S", b"U", b" ", b"\t", b"\r", b"\n",
                          *(bytes([b]) for b in range(0x80, 0x100))})


def encrypted(data: bytes) -> tuple[str, str] | None:
    """(kind, how to unlock) when ``data`` is ciphertext rather than a note: git-crypt, age
    (binary or armored), OpenSSL (``Salted__``, or its base64 ``U2FsdGVkX1``), OpenPGP (armored,
    or binary packets).  A note never starts like that; a binary OpenPGP header is only believed
    of bytes that are not UTF-8 text."""
    head = data[:64].lstrip(b" \t\r\n")
    for magic, kind, how in _LOCKS:
        if head.startswith(magic):
            return kind, how
    if data and data[0] & 0x80:
        first = data[0]
        tag = first & 0x3F if first & 0x40 else (first >> 2) & 0x0F
        if tag in _PGP_TAGS:
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                return "OpenPGP", "decrypt it with `gpg -d` (or unlock the tool that " \
                    "encrypted the vault)"
    return None


def parse_note(data: bytes, path: str, *, require_front_matter: bool = True) -> RawNote:
    """Split and load one note.  Never raises; what went wrong is in ``note.problems``.  A note
    that is ciphertext is named as such, once, and not parsed (it is not broken YAML)."""
    lock = encrypted(data) if data[:1] in _LOCK_STARTS else None
    if lock is not None:
        return RawNote(path, problems=[Problem(
            Source(path, 1), "error", "encrypted", f"encrypted ({lock[0]}): unlock the vault "
            "first", lock[1])])
    text, bom, problems = decode(data, path)
    note = RawNote(path, bom=bom, problems=problems)
    if text is None:
        return note
    if "\r" in text:
        note.crlf = "\r\n" in text
        _mixed_endings(note, text)
        text = text.replace("\r\n", "\n").replace("\r", "\n")

    # A conflict is only ever reported around a `<<<<<<<` or `>>>>>>> ` line: most notes have
    # neither, and need no line-by-line look.
    conflict_lines: list[int] = []
    if "<<<<<<<" in text or ">>>>>>> " in text:
        lines = text.split("\n")
        conflict_lines = _conflict_lines(lines)
        for i in conflict_lines:
            note.error(i + 1, "merge-conflict", "git merge-conflict marker "
                       f"{lines[i][:7]!r}", "resolve the conflict: keep the right lines, delete "
                       "the markers (netnotes sync's merge driver avoids most of these)")

    # The note is cut at its fences with find and one pattern, not split into lines and joined
    # again: the body is read as one string by scan, and only the front matter needs its lines.
    first_end = text.find("\n")
    if (text if first_end < 0 else text[:first_end]).rstrip() != _FENCE_OPEN:
        if require_front_matter:
            if not text.strip():
                note.error(1, "empty-note", "empty note",
                           "add front matter with at least a name, e.g. ---\\nname: Ada\\n---")
            else:
                note.error(1, "no-front-matter", "no front matter: the note must start with a "
                           "line `---`", "add ---, name: Their Name, --- at the top")
        note.body = text
        note.body_line = 1
        return note

    note.has_front_matter = True
    close = _CLOSING_FENCE.search(text, first_end + 1) if first_end >= 0 else None
    if close is None:
        note.error(1, "unterminated-front-matter", "front matter opened on line 1 is never "
                   "closed", "add a line --- after the last key")
        return note
    at = close.start()
    end = text.count("\n", 0, at)  # the closing fence's line index
    after = text.find("\n", at)
    note.body = text[after + 1:] if after >= 0 else ""
    note.body_line = end + 2
    if any(i < end for i in conflict_lines):
        return note  # both sides of a conflict in the YAML: reading either would be a guess
    yaml_text = text[first_end + 1:at - 1] if end > 1 else ""
    yaml_lines = yaml_text.split("\n") if end > 1 else []
    if "#" in yaml_text:
        _values_commented_out(note, yaml_lines, first_line=2)
    _load_yaml(note, yaml_text, first_line=2, lines=yaml_lines)
    return note


# A line that closes the front matter: `---` or `...`, and nothing after it but whitespace
# (``[^\S\n]``: what str.rstrip strips, within the line).
_CLOSING_FENCE = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)


_ENDINGS = re.compile(r"\r\n|\r|\n")
_ENDING_NAMES = {"\r\n": "CRLF (Windows)", "\n": "LF (Unix)", "\r": "CR (old Mac)"}


def _mixed_endings(note: RawNote, text: str) -> None:
    """A warning at the first line that ends unlike the first one: editors and git disagree
    about such a note (a diff of every line, a merge that fails), though netnotes reads both."""
    first = None
    for n, m in enumerate(_ENDINGS.finditer(text), 1):
        if first is None:
            first = m.group()
        elif m.group() != first:
            note.warn(n, "mixed-line-endings",
                      f"line {n} ends in {_ENDING_NAMES[m.group()]}, line 1 in "
                      f"{_ENDING_NAMES[first]}: one note, two kinds of line ending",
                      "save the note with one kind of line ending (your editor's line-ending "
                      "setting); netnotes reads both and changes nothing")
            return


# `tags: #friend #work` or `- #friend`: a value that starts with `#` is a YAML comment, so the
# key is empty (null) and the tags are gone without a word
_COMMENTED = re.compile(r"^(\s*)(?:([\w-]+):|-)\s+#(?=\S)(.*)$")


def _values_commented_out(note: RawNote, yaml_lines: list[str], first_line: int) -> None:
    for n, line in enumerate(yaml_lines):
        m = _COMMENTED.match(line)
        if m is None:
            continue
        key = m.group(2)
        words = [w.lstrip("#") for w in ("#" + m.group(3)).split() if w.lstrip("#")]
        fixed = f"[{', '.join(words)}]" if key else words[0] if words else ""
        note.warn(first_line + n, "tags-comment",
                  f"{key + ': ' if key else '- '}#{m.group(3).strip()} — YAML reads everything "
                  "from # on as a comment, so " + (f"{key} is empty" if key else
                                                  "this item is empty"),
                  "quote them or drop the #: " + (f"{key}: {fixed}" if key else f"- {fixed}"))


def _conflict_lines(lines: list[str]) -> list[int]:
    """Indexes of git conflict-marker lines.  ``<<<<<<<`` and ``>>>>>>> branch`` always count
    (also when half a conflict was resolved by hand); a bare ``=======`` or ``>>>>>>>`` only with
    one of those around it, since alone it is a Markdown heading underline or a deep quote."""
    marks = [i for i, line in enumerate(lines) if CONFLICT_MARKER.match(line)]
    sure = [i for i in marks if lines[i].startswith("<<<<<<<") or
            (lines[i].startswith(">>>>>>> ") and lines[i][8:].strip())]
    if not sure:
        return []
    return [i for i in marks if i in sure or sure[0] < i or i < sure[-1]]


def _nesting_too_deep(yaml_text: str) -> int:
    """Line of the first place nested deeper than we accept, or 0.

    A guard before PyYAML sees the text: its C parser recurses once per level and a few tens of
    thousands of ``[`` crash the interpreter with a segfault that no ``except`` can catch.
    Counting brackets and block indentation is crude but errs on the safe side.
    """
    depth = 0
    for lineno, line in enumerate(yaml_text.split("\n"), 1):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        dashes = 0
        while stripped.startswith(("- ", "? ")):
            dashes += 1
            stripped = stripped[2:].lstrip(" ")
        if indent // 2 + dashes > MAX_FRONT_MATTER_DEPTH * 2:
            return lineno
        if "[" in line or "{" in line:
            for ch in line:
                if ch in "[{":
                    depth += 1
                    if depth > MAX_FRONT_MATTER_DEPTH:
                        return lineno
                elif ch in "]}":
                    depth = max(0, depth - 1)
    return 0


def _first_alias_line(yaml_text: str, first_line: int) -> int:
    """File line of the first ``*alias``: where an alias bomb starts going off."""
    for i, line in enumerate(yaml_text.split("\n")):
        if re.search(r"(?:^|[\s\[{,:])\*[^\s,\]}]", line):
            return first_line + i
    return first_line


def _count_nodes(node: yaml.Node, budget: int) -> int:
    """Nodes with aliases expanded, stopping once past ``budget``."""
    import yaml

    count = 0
    stack = [node]
    while stack:
        n = stack.pop()
        count += 1
        if count > budget:
            return count
        if isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
        elif isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                stack.append(k)
                stack.append(v)
    return count


class _Where:
    """YAML positions → file line and column.  YAML also breaks lines at U+0085, U+2028 and
    U+2029, which the file (and every editor) shows inside a line; going through the character
    index keeps the two in step."""

    def __init__(self, text: str, first_line: int):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.first_line = first_line
        self.length = len(text)

    def __call__(self, index: int) -> tuple[int, int]:
        if index >= self.length:  # the end of the YAML: the closing --- line
            return self.first_line + len(self.starts), 1
        i = bisect.bisect_right(self.starts, index) - 1
        return self.first_line + i, index - self.starts[i] + 1


# ---------------------------------------------------------------------------------------------
# The fast path: front matter made of plain `key: value` lines
#
# Almost every real note's front matter is a column of `key: value` lines whose values are plain
# words, quoted text, one-line `[a, b]` lists or `- item` lists.  PyYAML reads them through its C
# parser but builds every node and value in Python, which is most of a note's parse time; reading
# such lines here with a few regular expressions is several times faster.  The fast path gives
# exactly what the YAML path gives (the same values through the same resolver patterns, the same
# KeySpan for every key) and declines anything it is not sure of: anchors, aliases, tags, flow
# mappings, block scalars, multi-line or escaped scalars, comments, tabs, odd characters,
# duplicate keys, nesting.  Declining costs nothing but time: the YAML path then reads the note
# and reports what is wrong with it.  tests/test_fast_front_matter.py checks the two agree.


def _load_yaml(note: RawNote, yaml_text: str, first_line: int,
               lines: list[str] | None = None) -> None:
    """Load the front matter ``yaml_text`` (its ``lines``, when the caller has them, spare a
    split) that starts on file line ``first_line``: by the fast path when it is simple, else
    with PyYAML."""
    if len(yaml_text) > MAX_FRONT_MATTER_BYTES:
        note.error(1, "front-matter-too-large", "front matter is larger than 1 MB",
                   "keep long text in the body, below the closing ---")
        return
    if simple_front_matter(note, yaml_text, yaml_text.split("\n") if lines is None else lines,
                            first_line):
        return
    _load_with_pyyaml(note, yaml_text, first_line)


# Over 80 lines on purpose: the guards that must run before PyYAML (depth, aliases), the compose
# pass, and one branch per kind of YAML error, each turned into a Problem at its own line; they
# share the note and the line offset, and read best as the one sequence they are.
def _load_with_pyyaml(note: RawNote, yaml_text: str, first_line: int) -> None:
    """Any front matter: PyYAML's C parser composes it, NoteLoader builds the values, and every
    error becomes a Problem at its line (the guards against deep nesting and alias bombs first)."""
    deep = _nesting_too_deep(yaml_text)
    if deep:
        note.error(first_line + deep - 1, "too-deep", "front matter is nested too deeply (the "
                   f"limit is about {MAX_FRONT_MATTER_DEPTH} levels)", "flatten it: contact "
                   "fields are text or short lists")
        return
    if not yaml_text.strip():
        note.front_matter_ok = True
        return
    where = _Where(yaml_text, first_line)
    odd = re.search("[\x85\u2028\u2029]", yaml_text)
    if odd:  # YAML breaks the line there, so the error would make no sense to the reader
        line, col = where(odd.start())
        note.error(line, "yaml-syntax", "front matter contains the invisible line separator "
                   f"U+{ord(odd.group()):04X}, which YAML reads as a line break",
                   "delete it (most editors do not show it)", col=col)
        return
    import yaml

    loader = note_loader()(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:
            note.front_matter_ok = True
            return
        if _count_nodes(node, MAX_YAML_NODES) > MAX_YAML_NODES:
            note.error(_first_alias_line(yaml_text, first_line), "yaml-too-large",
                       "front matter expands to more than "
                       f"{MAX_YAML_NODES} values (an alias bomb?)", "remove the & and * aliases")
            return
        if not isinstance(node, yaml.MappingNode):
            note.error(where(node.start_mark.index)[0], "not-a-mapping",
                       "front matter is not a list of `key: value` lines",
                       "write one `key: value` per line between the --- lines")
            return
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line, col = where(key_node.start_mark.index)
            if not isinstance(key_node, yaml.ScalarNode):
                note.error(line, "bad-key", "a front-matter key must be a plain word",
                           "write `key: value`", col=col)
                return
            key = str(key_node.value)
            if key in seen:
                note.error(line, "duplicate-key", f"duplicate key {key!r} (first on line "
                           f"{seen[key]})", "keep one of them; YAML would silently use the last",
                           col=col)
            seen[key] = line
            end_line, end_col = where(value_node.end_mark.index)
            if end_col == 1 and end_line > line:  # a block value ends at the next line's start
                end_line -= 1
            note.keys[key] = KeySpan(line, col, end_line, *where(value_node.start_mark.index))
        loader.ignored_tags = []
        data = loader.construct_document(node)
        for tagged in loader.ignored_tags:
            tag = re.sub(r"^tag:yaml.org,2002:", "!!", tagged.tag)
            tag_line, tag_col = where(tagged.start_mark.index)
            note.warn(tag_line, "yaml-tag", f"YAML tag {tag} ignored; the value is read as "
                      "plain text", "remove the tag", col=tag_col)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = where(mark.index) if mark else (first_line, 0)
        what = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            what = f"{exc.context}, {exc.problem}"
        started = exc.context_mark
        if started and where(started.index)[0] != line:
            what += f" (it starts on line {where(started.index)[0]})"
        yaml_lines = yaml_text.split("\n")
        bad_line = yaml_lines[line - first_line] if line - first_line < len(yaml_lines) else ""
        if "\t" in bad_line[: len(bad_line) - len(bad_line.lstrip(" \t"))]:
            note.error(line, "yaml-syntax", "front matter is not valid YAML: a tab indents "
                       "this line", "indent YAML with spaces, never tabs", col=col)
        else:
            note.error(line, "yaml-syntax", f"front matter is not valid YAML: {what}",
                       'check quoting and indentation; put text with ":" or "#" in quotes',
                       col=col)
        return
    except yaml.reader.ReaderError as exc:
        line, col = where(exc.position)
        note.error(line, "yaml-syntax", "front matter contains the control character "
                   f"U+{exc.character:04X}", "delete it (most editors do not show it)", col=col)
        return
    except (yaml.YAMLError, ValueError, RecursionError, TypeError) as exc:
        note.error(first_line, "yaml-syntax", f"front matter is not valid YAML: {exc}",
                   "check quoting and indentation")
        return
    finally:
        loader.dispose()
    if isinstance(data, dict):
        note.meta = {str(k): v for k, v in data.items()}
        note.front_matter_ok = True
