"""One Jinja2 environment for every report format: the vault's own templates first, then ours.

Values from notes are data handed to templates, never template source, so ``{{ 7*7 }}`` in a note
is printed as written.  HTML templates are autoescaped; the Markdown filter escapes what Markdown
would otherwise interpret.  ``StrictUndefined`` turns a typo in a template into an error.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from netnotes.errors import NetnotesError
from netnotes.fragments import NO_FRAGMENTS, Fragments, Kept
from netnotes.package import builtin_templates

FORMATS = {"text": "report.txt.j2", "markdown": "report.md.j2", "html": "report.html.j2"}
# The rows of a report template (its per-contact macros, in a template of their own), and the
# macro each list of the report's contacts is rendered with there (``list|each(macro)``).
ROWS = {"text": "report-rows.txt.j2", "markdown": "report-rows.md.j2"}
ROW_MACROS = {"overdue": "overdue_row", "due_soon": "due_row", "contacts": "relationship_row"}

_COLOURS = {"red": 31, "green": 32, "yellow": 33, "blue": 34, "magenta": 35, "cyan": 36,
            "bold": 1, "dim": 2}


@lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    """Columns one character takes: wide East Asian characters two, combining marks none.
    Remembered, as a big report asks about the same few characters (é, —, “) thousands of
    times."""
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) \
        else 1


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: wide East Asian characters take two."""
    if text.isascii():  # the common case, and 20x faster than asking unicodedata per character
        return len(text)
    return sum(map(char_width, text))


def fit(value: Any, width: int, align: str = "left") -> str:
    """Pad or cut (with …) to exactly ``width`` columns, so text columns line up."""
    text = " ".join(str(value if value is not None else "").split())
    if text.isascii():  # one column per character (the common case: a report calls this 80,000
        if len(text) > width:  # times for 10,000 contacts): cut by slicing, pad by str methods
            return text[:width - 1] + "…"
        return text.rjust(width) if align == "right" else text.ljust(width)
    # One walk that stops once past the width (a long joined list is not measured whole): cut
    # before the first character that leaves no room for the "…".
    used = cut_used = 0
    cut = -1
    for k, ch in enumerate(text):
        w = char_width(ch)
        if cut < 0 and used + w > width - 1:
            cut, cut_used = k, used
        used += w
        if used > width:
            break
    if used > width:
        text, used = text[:cut] + "…", cut_used + 1
    pad = " " * (width - used)
    return pad + text if align == "right" else text + pad


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_escape(value: Any) -> str:
    """Escape note text for Markdown, so ``<script>`` or ``[[x]]`` shows as written."""
    text = " ".join(str(value if value is not None else "").split())
    return _MD_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;"))


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """Jinja2's environment, with ``row.name`` on a dict looked up as a key straight away.

    Jinja2 tries ``getattr`` first and falls back to the key, so every ``row.name`` in a report
    raised and caught an AttributeError (170,000 times for 10,000 contacts, a fifth of the text
    report).  For a plain dict and a name that is not one of dict's own attributes that lookup
    always fails, so going to the key first gives exactly the same result."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


@lru_cache(maxsize=1)
def _compiled() -> jinja2.BytecodeCache | None:
    """Compiled templates, kept in the user's own cache folder (compiling the report template
    costs 25 ms a run).  Never inside the vault: Jinja2 runs what it finds there as code, so it
    must be a folder only this user writes, like the index's key.  None when there is none."""
    from netnotes.cache import user_cache

    folder = user_cache() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        st = folder.stat()
        if st.st_uid != os.getuid() or st.st_mode & 0o022:
            return None
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def make_environment(vault_root: Path | None = None, colour: bool = False,
                     fragments: Fragments = NO_FRAGMENTS) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if vault_root is not None and (vault_root / "templates").is_dir():
        loaders.append(jinja2.FileSystemLoader(str(vault_root / "templates")))
        fragments = NO_FRAGMENTS
    loaders.append(jinja2.FileSystemLoader(str(builtin_templates())))
    env = _Environment(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=_compiled(),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2", "svg.j2"),
                                            default_for_string=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def style(value: Any, *names: str) -> str:
        text = str(value)
        if not colour or not text:
            return text
        codes = ";".join(str(_COLOURS[n]) for n in names)
        return f"\x1b[{codes}m{text}\x1b[0m"

    def each(items: Any, macro: Any) -> str:
        """``macro(item)`` for every item, joined: the loops over contacts.  A contact's
        rendering (an item with an ``id``) is the same whenever that contact's notes are, so
        a built-in template's fragments are kept between runs and only changed contacts are
        rendered again (netnotes.memo).  A vault with templates of its own is always rendered
        whole: its macros may read more than their argument."""
        name = macro.name
        keep = fragments
        found = keep.kept(name).get
        out = []
        for item in items:
            cid = item.id if type(item) is Kept else item["id"]
            text = found(cid)
            if text is None:
                text = keep.tidy(str(macro(item)))
                keep.put(name, cid, text)
            out.append(text)
        return keep.hold("".join(out))

    env.filters.update(fit=fit, md=md_escape, style=style, width=display_width, each=each)
    return env


def row_macros(fmt: str, vault_root: Path, colour: bool = False,
               fragments: Fragments = NO_FRAGMENTS) -> dict[str, Any] | None:
    """Each list's row macro of the built-in ``fmt`` template (ROW_MACROS), to render rows
    outside the report's own rendering, as its ``|each`` would: None for a format without rows
    of its own, or a vault with templates of its own (whose macros may read more than their
    argument)."""
    if fmt not in ROWS or (vault_root / "templates").is_dir():
        return None
    env = make_environment(None, colour, fragments)
    with _template_errors(ROWS[fmt]):
        module = env.get_template(ROWS[fmt]).module
    return {name: getattr(module, macro) for name, macro in ROW_MACROS.items()}


@contextmanager
def _template_errors(template_name: str) -> Iterator[None]:
    """A template's own mistakes as one-line errors that say what to do."""
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or template_name
        raise NetnotesError(f"{where}:{exc.lineno}: template error: {exc.message} — fix the "
                            "template, or delete it to use the built-in one") from None
    except jinja2.TemplateNotFound as exc:
        raise NetnotesError(f"template {exc.name} not found — is netnotes installed with its "
                            "templates?") from None
    except jinja2.UndefinedError as exc:
        raise NetnotesError(f"{template_name}: template error: {exc.message} — see "
                            "docs/templates.md for what a template can use") from None


def render(template_name: str, context: dict[str, Any], *, vault_root: Path | None = None,
           colour: bool = False, fragments: Fragments = NO_FRAGMENTS) -> str:
    env = make_environment(vault_root, colour, fragments)
    with _template_errors(template_name):
        return env.get_template(template_name).render(**context)
