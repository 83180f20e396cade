"""The sandbox vault templates render in: no Python reachable, bounded time and output.

A vault is shared through a git host, so a template in its ``templates/`` folder is code written
by whoever last pushed.  It renders in Jinja2's ``ImmutableSandboxedEnvironment`` (no ``_``
attributes, no unsafe callables, no mutating methods, ``str.format`` sandboxed), and on top of
that every render carries a ``Budget``: a deadline and a ceiling on the text it may make, checked
at every loop step, call, attribute lookup, operator and piece of output, so that
``range(10**9)|list``, nested loops over the vault or ``"x" * 10**10`` stop with a one-line error
instead of hanging or eating the machine's memory.

The limits come from the user's environment (``NETNOTES_TEMPLATE_SECONDS``,
``NETNOTES_TEMPLATE_MB``), never from the vault: a vault must not be able to loosen its own
sandbox.
"""

from __future__ import annotations

import os
import re
import time
import types
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import Any, cast

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

DEFAULT_SECONDS = 30.0
DEFAULT_MB = 100.0
_CHECK_EVERY = 256  # loop steps between two looks at the clock


class TemplateRefused(SecurityError):
    """A vault template went past its sandbox or its budget."""


def limits() -> tuple[float, int]:
    """(seconds, bytes) a vault template's render may take, from the user's environment."""

    def number(var: str, default: float) -> float:
        try:
            value = float(os.environ.get(var, default))
        except ValueError:
            return default
        return value if value > 0 else default

    return (number("NETNOTES_TEMPLATE_SECONDS", DEFAULT_SECONDS),
            int(number("NETNOTES_TEMPLATE_MB", DEFAULT_MB) * 1024 * 1024))


class Budget:
    """What one render may still spend: a deadline and a number of characters."""

    def __init__(self, seconds: float, chars: int) -> None:
        self.seconds = seconds
        self.chars = chars
        self.deadline = time.monotonic() + seconds
        self.steps = 0
        self.out = 0

    def start(self) -> None:
        self.deadline = time.monotonic() + self.seconds
        self.steps = 0
        self.out = 0

    def tick(self) -> None:
        self.steps += 1
        if self.steps % _CHECK_EVERY == 0 and time.monotonic() > self.deadline:
            raise TemplateRefused(f"took longer than {self.seconds:g} s (a runaway loop?)")

    def size(self, n: int) -> None:
        """Refuse a value or an output of ``n`` characters the budget cannot hold."""
        if n > self.chars:
            raise TemplateRefused(f"makes more than {self.chars // (1024 * 1024)} MB of text")

    def wrote(self, n: int) -> None:
        self.out += n
        self.size(self.out)
        if time.monotonic() > self.deadline:
            raise TemplateRefused(f"took longer than {self.seconds:g} s (a runaway loop?)")


def _length(value: Any) -> int:
    if isinstance(value, str | bytes | list | tuple | dict | set | frozenset):
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() // 3  # about its decimal digits
    return 0


_FORMAT_WIDTH = re.compile(r"\d{7,}")  # a width or precision of a million or more


_DICT_ATTRIBUTES = frozenset(dir(dict))


class DictKeysFirst(jinja2.Environment):
    """Jinja2's environment, with ``row.name`` on a dict looked up as a key straight away.

    Jinja2 tries ``getattr`` first and falls back to the key, so every ``row.name`` in a report
    raised and caught an AttributeError (170,000 times for 10,000 contacts, a fifth of the text
    report).  For a plain dict and a name that is not one of dict's own attributes that lookup
    always fails, so going to the key first gives exactly the same result — in the sandbox too,
    where a key is data and reading it is what the sandbox's own lookup falls back to."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


class SandboxEnvironment(DictKeysFirst, ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox with a Budget."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, budget: Budget | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        seconds, size = limits()
        self.budget = budget or Budget(seconds, size)
        self.filters["_budgeted"] = self._budgeted
        self.filters["_sized"] = self._sized
        made: dict[str, Any] = self.globals
        made["range"] = self._guard(made["range"], "range", self.budget.chars)
        # lorem ipsum makes its paragraphs in one call: held to what a page could want
        made["lipsum"] = self._guard(made["lipsum"], "lipsum", 1000)

    # -- the template's code: every loop and every ``~`` joins the budget --------------------

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "_budgeted", [], [], None, None,
                                     lineno=loop.lineno)
        for concat in list(tree.find_all(nodes.Concat)):
            concat.nodes = [nodes.Filter(n, "_sized", [], [], None, None, lineno=n.lineno)
                            for n in concat.nodes]
        return tree

    def _budgeted(self, items: Iterable[Any]) -> Iterator[Any]:
        tick = self.budget.tick
        if isinstance(items, jinja2.Undefined):
            items = iter(items)  # StrictUndefined raises here, as an unwrapped loop would
        for item in items:
            tick()
            yield item

    def _sized(self, value: Any) -> Any:
        self.budget.size(_length(value))
        return value

    # -- what the sandbox already intercepts, now also counted and bounded -------------------

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.budget.tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.budget.tick()
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        __self.budget.tick()
        __self._check_arguments(args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        __self.budget.size(_length(result))
        return result

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.budget.tick()
        if operator == "*":
            n = [x for x in (left, right) if isinstance(x, int) and not isinstance(x, bool)]
            if n and len(n) == 1:
                self.budget.size(abs(n[0]) * max(_length(left), _length(right), 1))
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) \
                and abs(left) > 1 and right > 0:
            self.budget.size(right * left.bit_length() // 3)
        elif operator == "%" and isinstance(left, str):
            self._check_format(left)
        result = super().call_binop(context, operator, left, right)
        self.budget.size(_length(result))
        return result

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            self._check_format(value.__self__)
        return wrapped

    def _check_format(self, text: str) -> None:
        if _FORMAT_WIDTH.search(text):
            raise TemplateRefused("a format with a width of a million or more")

    def _check_arguments(self, args: tuple[Any, ...], kwargs: dict[str, Any],
                         most: int | None = None) -> None:
        """Refuse a number argument above ``most`` (default: the characters a render may
        make): a width, a count or a repeat that big can only build too much text."""
        most = self.budget.chars if most is None else most
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > most:
                raise TemplateRefused(f"a number argument too big ({value})")

    def _guard(self, func: Callable[..., Any], name: str, most: int) -> Callable[..., Any]:
        """``func`` with its number arguments held to ``most``."""

        def guarded(*args: Any, **kwargs: Any) -> Any:
            self._check_arguments(args, kwargs, most)
            return func(*args, **kwargs)

        guarded.__name__ = name
        return guarded

    def guard_filters(self) -> None:
        """Every filter with its numeric arguments held to the budget, and its result sized
        (``"x"|center(10**9)`` would otherwise build a gigabyte before anything is written)."""
        for name, func in list(self.filters.items()):
            if name.startswith("_"):
                continue
            self.filters[name] = _guarded_filter(self, func)

    def render_bounded(self, template: jinja2.Template, context: dict[str, Any]) -> str:
        """``template`` rendered a piece at a time, each piece counted against the budget.  A
        piece over budget is thrown back into the template where it was made, so that the
        error names the template's own line (Jinja2 rewrites the traceback to it)."""
        self.budget.start()
        out: list[str] = []
        pieces = cast(Generator[str, None, None], template.generate(**context))
        for piece in pieces:
            out.append(piece)
            try:
                self.budget.wrote(len(piece))
            except TemplateRefused as exc:
                pieces.throw(exc)
        return "".join(out)


def _guarded_filter(env: SandboxEnvironment, func: Callable[..., Any]) -> Callable[..., Any]:
    skip = 2 if hasattr(func, "jinja_pass_arg") else 1  # the context, then the value

    def guarded(*args: Any, **kwargs: Any) -> Any:
        env.budget.tick()
        env._check_arguments(args[skip:], kwargs)
        if func.__name__ == "do_format" and len(args) >= skip and isinstance(args[skip - 1], str):
            env._check_format(args[skip - 1])
        result = func(*args, **kwargs)
        if not isinstance(result, types.GeneratorType):
            env.budget.size(_length(result))
        return result

    # pass_context / pass_environment / pass_eval_context markers travel with the function
    for attr in ("jinja_pass_arg",):
        if hasattr(func, attr):
            setattr(guarded, attr, getattr(func, attr))
    guarded.__name__ = getattr(func, "__name__", "filter")
    return guarded


def refusal(exc: BaseException) -> str | None:
    """What a sandbox refusal says, or None for other errors."""
    if isinstance(exc, SecurityError):
        return str(exc) or "not allowed in a vault template"
    if isinstance(exc, OverflowError):
        return str(exc)
    if isinstance(exc, RecursionError):
        return "calls itself without end"
    if isinstance(exc, MemoryError):
        return "ran out of memory"
    return None


def template_line(exc: BaseException) -> tuple[str | None, int]:
    """The template file and line an exception was raised at: Jinja2 rewrites the traceback of
    a render so that its frames are the template's lines."""
    where: tuple[str | None, int] = (None, 0)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or "/templates/" in filename:
            where = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return where
