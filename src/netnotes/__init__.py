"""netnotes: keep real professional relationships alive from a folder of plain Markdown notes.

The package is the product; the ``netnotes`` command is a thin layer over it.  The public
surface a script needs is re-exported here::

    from netnotes import open_vault, build_report
    vault = open_vault("example-vault")
    print(build_report(vault, today=datetime.date(2026, 11, 22), fmt="text"))
"""

from netnotes.errors import NetnotesError, Problem, Source, VaultNotFound
from netnotes.index import load_vault, open_vault
from netnotes.report import build_report

__version__ = "0.1.0"

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
