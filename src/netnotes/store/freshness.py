"""The one rule every thing kept under ``.netnotes/`` obeys, stated and applied in one place.

The index (a note's parsed record), the finished answers and the remembered report are served
only when all four of these hold; otherwise the answer is worked out from the notes, and it is
the same, byte for byte, as with ``--no-cache``:

1. **Made from the same inputs.**  Each is keyed by everything it was made from: netnotes' own
   code and templates (``vault.package.fingerprint``), ``netnotes.toml``, and every note it read,
   by its stat (``stat_key``: size, mtime, ctime, inode).  A note written within ``RACY_NS`` of
   the listing cannot be proven unchanged by its stat (a second write in the same clock tick
   keeps it), so it is keyed by a hash of its bytes too (``vault.needs_digest``,
   ``vault.content_digest``).
2. **Not tampered with.**  Whatever is unpickled or unmarshalled carries a keyed MAC (``keyed``,
   ``same``); the key is 32 random bytes in the user's own cache folder, outside the vault
   (``secret_key``).  A blob whose MAC does not verify is never loaded.  A finished answer is
   printed, never loaded, and carries a checksum against a torn write.
3. **Whole or not at all.**  Written in one SQLite transaction, or to a temporary file renamed
   into place: a crash leaves the old or the new, and a torn file fails its check.
4. **Disposable.**  Anything wrong with it (missing, damaged, locked, read-only, another
   version's, no key) is a miss, never an error; deleting ``.netnotes/`` loses nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from netnotes.vault import user_cache

KEY_NAME = "cache-key"
MAC_SIZE = 16

StatKey = tuple[int, int, int, int]


class CacheUnavailable(Exception):
    """The cache cannot be used this time; the message is the one-line notice for the user."""


def stat_key(st: os.stat_result) -> StatKey:
    """What a note's stat must still be for anything kept from it to be served (rule 1)."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def keyed(key: bytes, context: bytes = b"") -> hashlib.blake2b:
    """A keyed BLAKE2 MAC (rule 2) already fed ``context`` (where the value is kept): feed it the
    value's bytes; ``copy()`` it to seal many values in one context."""
    h = hashlib.blake2b(key=key, digest_size=MAC_SIZE)
    h.update(context)
    return h


def same(mac: bytes, expected: bytes) -> bool:
    """A MAC checked in constant time."""
    return hmac.compare_digest(mac, expected)


def secret_key() -> bytes:
    """The user's MAC key, created on first use (0600, written atomically so two processes
    starting together agree on it)."""
    folder = user_cache()
    path = folder / KEY_NAME
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = folder / f".{KEY_NAME}.{os.getpid()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(32))
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)  # fails when another process won the race: use theirs
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
        key = path.read_bytes()
    except OSError as exc:
        raise CacheUnavailable(f"no private key for the index ({folder}: {exc.strerror})"
                               ) from None
    if len(key) != 32:
        raise CacheUnavailable(f"the index key {path} is damaged; delete it")
    return key
