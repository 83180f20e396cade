"""netnotes: keep real professional relationships alive from a folder of plain Markdown notes.

The package is the product; the ``netnotes`` command is a thin layer over it.  The public
surface a script needs is re-exported here::

    from netnotes import open_vault, build_report
    vault = open_vault("example-vault")
    print(build_report(vault, today=datetime.date(2026, 11, 22), fmt="text"))
"""

from typing import TYPE_CHECKING, Any

from netnotes.core.errors import NetnotesError, Problem, Source, VaultNotFound
from netnotes.core.version import __version__

if TYPE_CHECKING:
    from netnotes.render.report import build_report
    from netnotes.store.load import load_vault, open_vault

# Imported on first use, so that `import netnotes` (every command starts with it) does not pull in
# the parser, the index and Jinja2 before the command knows it needs them.
_LAZY = {"load_vault": "netnotes.store.load", "open_vault": "netnotes.store.load",
         "build_report": "netnotes.render.report"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'netnotes' has no attribute {name!r}")


__all__ = [
    "NetnotesError",
    "Problem",
    "Source",
    "VaultNotFound",
    "build_report",
    "load_vault",
    "open_vault",
    "__version__",
]
