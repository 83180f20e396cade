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

from netnotes.core import NetnotesError, counted
from netnotes.core.shown import visible
from netnotes.render.fragments import NO_FRAGMENTS, Fragments, Kept, Miss
from netnotes.render.sandbox import DictKeysFirst as _Environment
from netnotes.render.sandbox import SandboxEnvironment, refusal, template_line
from netnotes.vault import builtin_templates

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
    text = visible(text)
    if text.isascii():  # the common case, and 20x faster than asking unicodedata per character
        return len(text)
    return sum(map(char_width, text))


def fit(value: Any, width: int, align: str = "left") -> str:
    """Pad or cut (with …) to exactly ``width`` columns, so text columns line up (control
    characters counted as the escapes they are shown as)."""
    text = visible(" ".join(str(value if value is not None else "").split()))
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


@lru_cache(maxsize=2)
def _compiled(sandboxed: bool = False) -> jinja2.BytecodeCache | None:
    """Compiled templates, kept in the user's own cache folder (compiling the report template
    costs 25 ms a run).  Never inside the vault: Jinja2 runs what it finds there as code, so it
    must be a folder only this user writes, like the index's key.  None when there is none.
    The sandbox compiles a template to other code (its calls and loops checked), and the cache
    knows a template only by name and source: sandboxed code is kept in a folder of its own, so
    a vault template can never be run from code compiled outside the sandbox."""
    from netnotes.vault import user_cache

    # The folder's name changes with the code Jinja2 is asked to generate (the sandbox, the
    # finalize of every output), which the cache itself does not check.
    folder = user_cache() / "templates" / ("sandboxed-1" if sandboxed else "plain-1")
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        st = folder.stat()
        if st.st_uid != os.getuid() or st.st_mode & 0o022:
            return None
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


class Shown(str):
    """Output our own filters made terminal-safe already (``style``'s colours, ``each``'s joined
    rows): printed as it is."""

    __slots__ = ()


def _finalize(value: Any) -> Any:
    """Every ``{{ … }}`` of every template: a string from a note shown with its control
    characters visible (netnotes.core.shown), so no value drives the terminal.  Markup (HTML already
    escaped) and our own Shown output pass as they are."""
    if type(value) is str:
        return visible(value)
    return value


def vault_templates(vault_root: Path | None) -> Path | None:
    """The vault's own ``templates/`` folder, if it has one."""
    if vault_root is None or not (vault_root / "templates").is_dir():
        return None
    return vault_root / "templates"


def make_environment(vault_root: Path | None = None, colour: bool = False,
                     fragments: Fragments = NO_FRAGMENTS,
                     sandboxed: bool | None = None) -> jinja2.Environment:
    """The environment a render uses.  A vault with a ``templates/`` folder of its own renders
    everything (its templates and ours they include) in the sandbox (netnotes.render.sandbox): those
    templates are code from whoever pushed to the vault.  Our own templates alone render
    outside it (``sandboxed`` forces either way; benchmarks/sandbox.py measures the cost)."""
    loaders: list[jinja2.BaseLoader] = []
    own = vault_templates(vault_root)
    if own is not None:
        loaders.append(jinja2.FileSystemLoader(str(own)))
        fragments = NO_FRAGMENTS
    loaders.append(jinja2.FileSystemLoader(str(builtin_templates())))
    if sandboxed is None:
        sandboxed = own is not None
    cls: type[jinja2.Environment] = SandboxEnvironment if sandboxed else _Environment
    env = cls(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=_compiled(sandboxed),
        finalize=_finalize,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2", "svg.j2"),
                                            default_for_string=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def style(value: Any, *names: str) -> str:
        text = visible(str(value))
        if not colour or not text:
            return text
        codes = ";".join(str(_COLOURS[n]) for n in names)
        return Shown(f"\x1b[{codes}m{text}\x1b[0m")

    def each(items: Any, macro: Any) -> str:
        """``macro(item)`` for every item, joined: the loops over contacts.  A contact's
        rendering (an item with an ``id``) is the same whenever that contact's notes are, so
        a built-in template's fragments are kept between runs and only changed contacts are
        rendered again (netnotes.store.memo).  A vault with templates of its own is always rendered
        whole: its macros may read more than their argument."""
        name = macro.name
        keep = fragments
        found = keep.kept(name).get
        out: list[str] = []
        for item in items:
            cid = item.id if type(item) is Kept else item["id"]
            text = found(cid)
            if not isinstance(text, str):  # not kept (only a JSON report keeps bytes)
                text = keep.tidy(str(macro(item)))
                keep.put(name, cid, text)
            out.append(text)
        return Shown(keep.hold("".join(out)))

    env.filters.update(fit=fit, md=md_escape, style=style, width=display_width, each=each,
                       count=counted)
    if isinstance(env, SandboxEnvironment):
        env.guard_filters()
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
def _template_errors(template_name: str, sandboxed: bool = False) -> Iterator[None]:
    """A template's own mistakes as one-line errors that say what to do; in the sandbox, every
    error of a vault template (it is someone else's code) as one line naming its file and line."""
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or template_name
        raise NetnotesError(f"{where}:{exc.lineno}: template error: {exc.message} — fix the "
                            "template, or delete it to use the built-in one") from None
    except jinja2.TemplateNotFound as exc:
        raise NetnotesError(f"template {exc.name} not found — is netnotes installed with its "
                            "templates?") from None
    except (NetnotesError, Miss):
        raise
    except Exception as exc:
        why = refusal(exc)
        if why is None and not sandboxed and not isinstance(exc, jinja2.UndefinedError):
            raise
        file, line = template_line(exc)
        where = f"{file}:{line}" if file else template_name
        if why is not None:
            why = one_line(why).rstrip(".")
            raise NetnotesError(f"{where}: template refused: {why} — a vault's templates run "
                                "in a sandbox (docs/templates.md)") from None
        what = exc.message if isinstance(exc, jinja2.UndefinedError) else \
            f"{type(exc).__name__}: {exc}"
        raise NetnotesError(f"{where}: template error: {one_line(str(what))} — see "
                            "docs/templates.md for what a template can use") from None


def one_line(text: str) -> str:
    return " ".join(text.split())


def render(template_name: str, context: dict[str, Any], *, vault_root: Path | None = None,
           colour: bool = False, fragments: Fragments = NO_FRAGMENTS) -> str:
    return render_in(make_environment(vault_root, colour, fragments), template_name, context)


def render_in(env: jinja2.Environment, template_name: str, context: dict[str, Any]) -> str:
    """``template_name`` rendered in ``env``: in the sandbox a piece at a time within its
    budget, and any error as one line naming the template's file and line."""
    with _template_errors(template_name, isinstance(env, SandboxEnvironment)):
        template = env.get_template(template_name)
        if isinstance(env, SandboxEnvironment):
            return env.render_bounded(template, context)
        return template.render(**context)
