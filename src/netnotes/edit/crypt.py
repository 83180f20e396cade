"""An encrypted remote: the git host stores age ciphertext, the working tree stays plain Markdown.

``netnotes git-setup --encrypt`` registers a git clean/smudge filter (``netnotes age-filter``) for
the vault's notes: ``clean`` encrypts a note as git stores it, ``smudge`` decrypts it as git
writes it out, and a ``diff`` textconv decrypts both sides so ``git diff`` and ``git log -p`` stay
readable.  The cryptography is age's, through pyrage (a maintained binding of the rage
implementation): X25519 keys, nothing home-made.

- The vault says whom notes are encrypted to: the public keys (``age1…``) in
  ``.netnotes-recipients``, committed with the notes.
- The private key never enters the vault: it lives in the user's config folder
  (``~/.config/netnotes/keys/``, mode 0600), and the clone's own ``.git/config`` says which file
  (``netnotes.agekey``).
- age is not deterministic (every encryption is new), so ``clean`` reuses the ciphertext already
  in git's index when it decrypts to the same text: otherwise every note would show as modified
  after each ``git status``.
- Merges see ciphertext (git merges what it stores); the notes merge driver decrypts the three
  sides, merges the text and encrypts the result (netnotes.sync.run_merge_driver).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import BinaryIO

from netnotes.core import NetnotesError

FILTER = "netnotes-age"
RECIPIENTS = ".netnotes-recipients"
KEY_CONFIG = "netnotes.agekey"
AGE_MAGIC = b"age-encryption.org/v1"


def is_age(data: bytes) -> bool:
    return data.startswith(AGE_MAGIC)


def key_home(environ: dict[str, str] | None = None) -> Path:
    """Where private keys live: the user's config folder, never the vault."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".config")
    return Path(base) / "netnotes" / "keys"


def _git(top: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=top, capture_output=True, check=False)
    return proc.stdout.decode("utf-8", "replace").strip() if proc.returncode == 0 else ""


def read_recipients(vault: Path) -> list[str]:
    try:
        text = (vault / RECIPIENTS).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [ln.strip() for ln in text.splitlines() if ln.strip().startswith("age1")]


def read_identity(path: Path) -> object:
    """The age identity (``AGE-SECRET-KEY-1…``) in ``path``."""
    from pyrage import x25519

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise NetnotesError(f"cannot read the vault's key {path}: {exc.strerror} — see "
                            "docs/privacy.md (keys)") from None
    for line in text.splitlines():
        if line.strip().startswith("AGE-SECRET-KEY-1"):
            return x25519.Identity.from_str(line.strip())
    raise NetnotesError(f"{path} holds no age key (a line AGE-SECRET-KEY-1…)")


def public_key(identity: object) -> str:
    return str(identity.to_public())  # type: ignore[attr-defined]


def find_key(recipients: list[str]) -> Path | None:
    """A key file in key_home() whose public key is one of ``recipients``."""
    home = key_home()
    if not home.is_dir():
        return None
    for path in sorted(home.glob("*.txt")):
        try:
            if public_key(read_identity(path)) in recipients:
                return path
        except NetnotesError:
            continue
    return None


class Crypt:
    """This clone's keys: the identity that decrypts (if the clone has it) and the recipients
    new ciphertext is made for.  ``top`` is the repository's top folder; ``vault`` the vault."""

    def __init__(self, top: Path, vault: Path | None = None) -> None:
        self.top = top
        vault = vault or _vault_of(top)
        self.recipient_keys = read_recipients(vault) if vault else []
        key = _git(top, "config", "--get", KEY_CONFIG)
        self.identity = read_identity(Path(key)) if key else None

    def decrypt(self, data: bytes) -> bytes:
        import pyrage

        if self.identity is None:
            raise NetnotesError("this clone has no key for the vault's notes — put it in place "
                                "and run `netnotes git-setup --encrypt` (docs/privacy.md)")
        return bytes(pyrage.decrypt(data, [self.identity]))

    def encrypt(self, plain: bytes) -> bytes:
        import pyrage
        from pyrage import x25519

        if not self.recipient_keys:
            raise NetnotesError(f"no recipients in {RECIPIENTS} — run `netnotes git-setup "
                                "--encrypt` (docs/privacy.md)")
        keys = [x25519.Recipient.from_str(k) for k in self.recipient_keys]
        return bytes(pyrage.encrypt(plain, keys))

    def clean(self, plain: bytes, path: str) -> bytes:
        """Working tree → repository: ciphertext, the index's own when the text is the same."""
        if is_age(plain):
            return plain
        old = subprocess.run(["git", "cat-file", "blob", f":{path}"], cwd=self.top,
                             capture_output=True, check=False).stdout
        if is_age(old) and self.identity is not None:
            try:
                if self.decrypt(old) == plain:
                    return old
            except Exception:  # noqa: BLE001 - another key's ciphertext: encrypt anew
                pass
        return self.encrypt(plain)

    def smudge(self, data: bytes) -> bytes:
        """Repository → working tree: the text (ciphertext left as it is without the key)."""
        if not is_age(data) or self.identity is None:
            return data
        try:
            return self.decrypt(data)
        except Exception:  # noqa: BLE001 - not for this key: the tree shows the ciphertext
            return data

    def plain(self, data: bytes) -> bytes:
        """Whatever git gives (ciphertext or text) as text, when this clone can read it."""
        return self.smudge(data)


def _vault_of(top: Path) -> Path | None:
    """The vault folder inside the repository: where the recipients file is."""
    for folder in (top, *sorted(p.parent for p in top.glob(f"*/{RECIPIENTS}"))):
        if (folder / RECIPIENTS).is_file():
            return folder
    return None


def configured(top: Path) -> bool:
    """Whether this clone has the filter that encrypts notes."""
    return bool(_git(top, "config", "--get", f"filter.{FILTER}.clean"))


def wanted(vault: Path) -> bool:
    """Whether the vault asks for encrypted notes (its recipients file is there)."""
    return (vault / RECIPIENTS).is_file()


def setup_encryption(vault: Path, folders: list[str], *, command: str,
                     key: Path | None = None) -> list[str]:
    """Make this clone encrypt the vault's notes (``folders``) for the git host: the key (made
    on first use, kept in key_home()), the recipients file, the filter, the textconv and the
    attributes; notes already checked out as ciphertext are written out as text.  Returns what
    was changed, for printing.  Idempotent."""
    from pyrage import x25519

    from netnotes.vault import write_bytes_atomic

    top = Path(_git(vault, "rev-parse", "--show-toplevel") or vault)
    changed: list[str] = []
    recipients = read_recipients(vault)
    if key is None and recipients:
        key = find_key(recipients)
        if key is None:
            raise NetnotesError(
                f"this vault's notes are encrypted to {', '.join(recipients)}, and no key for "
                f"it is in {key_home()} — copy the key file from a teammate's machine or your "
                "backup there, or pass --key FILE (docs/privacy.md)")
    if key is None:
        identity = x25519.Identity.generate()
        home = key_home()
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        pub = public_key(identity)
        key = home / f"{vault.name}-{pub[4:14]}.txt"
        fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(f"# netnotes: the key of the vault {vault.name}\n# public key: {pub}\n"
                    f"{identity}\n")
        changed.append(f"made a new key {key} — back it up: without it the notes on the git "
                       "host cannot be read (docs/privacy.md)")
    key = key.expanduser().resolve()
    pub = public_key(read_identity(key))
    if recipients and pub not in recipients:
        raise NetnotesError(f"{key} is not a key this vault is encrypted to "
                            f"({', '.join(recipients)})")
    if not recipients:
        write_bytes_atomic(vault / RECIPIENTS, (
            "# netnotes: the age public keys the vault's notes are encrypted to "
            "(docs/privacy.md)\n" + pub + "\n").encode())
        changed.append(f"{RECIPIENTS}: {pub}")
    settings = {f"filter.{FILTER}.clean": f"{command} age-filter clean %f",
                f"filter.{FILTER}.smudge": f"{command} age-filter smudge %f",
                f"filter.{FILTER}.process": f"{command} age-filter process",
                f"filter.{FILTER}.required": "true",
                f"diff.{FILTER}.textconv": f"{command} age-filter textconv",
                KEY_CONFIG: str(key)}
    for name, value in settings.items():
        if _git(top, "config", "--local", "--get", name) != value:
            subprocess.run(["git", "config", "--local", name, value], cwd=top, check=True)
            changed.append(f"git config {name} = {value}")
    attrs = vault / ".gitattributes"
    old = attrs.read_bytes() if attrs.is_file() else b""
    have = {ln.strip() for ln in old.decode("utf-8", "replace").splitlines()}
    missing = [line for line in (f"{f}/**/*.md filter={FILTER} diff={FILTER}" for f in folders)
               if line not in have]
    if missing:
        sep = b"" if not old or old.endswith(b"\n") else b"\n"
        write_bytes_atomic(attrs, old + sep + ("\n".join(missing) + "\n").encode())
        changed.append(".gitattributes: " + "; ".join(missing))
    changed += _write_out_plain(top, vault, folders)
    return changed


def _write_out_plain(top: Path, vault: Path, folders: list[str]) -> list[str]:
    """Notes checked out before this clone had the key are ciphertext in the working tree:
    written out again (through the smudge filter) when git has them unchanged."""
    listed = subprocess.run(["git", "ls-files", "-z", "--", *folders], cwd=vault,
                            capture_output=True, check=False).stdout.split(b"\0")
    redo: list[str] = []
    for rel in filter(None, listed):
        path = vault / os.fsdecode(rel)
        try:
            if is_age(path.read_bytes()[:64]):
                redo.append(os.fsdecode(rel))
        except OSError:
            continue
    if not redo:
        return []
    dirty = _git(vault, "diff", "--name-only", "--", *redo)
    if dirty:
        raise NetnotesError("notes changed since they were checked out encrypted; commit or "
                            "discard the changes, then run git-setup --encrypt again")
    for name in redo:
        (vault / name).unlink()
    subprocess.run(["git", "checkout", "--", *redo], cwd=vault, check=True,
                   capture_output=True)
    return [f"decrypted {len(redo)} notes in the working tree"]


def run_filter(mode: str, path: str, data: bytes, top: Path) -> bytes:
    """What ``netnotes age-filter MODE`` does with what git gives it."""
    crypt = Crypt(top)
    if mode == "clean":
        return crypt.clean(data, path)
    return crypt.smudge(data)


# --- git's long-running filter protocol: one process for every note -------------------------
# (gitattributes(5), "Long Running Filter Process"): starting netnotes once per note costs
# about 0.2 s, so 200 notes took 39 s to add; one process serves them all.

_MAX_PKT = 65516


def _read_pkt(stream: BinaryIO) -> bytes | None:
    """One pkt-line's payload; None for a flush packet."""
    head = stream.read(4)
    if len(head) < 4:
        raise EOFError
    size = int(head, 16)
    if size == 0:
        return None
    return stream.read(size - 4)


def _read_list(stream: BinaryIO) -> list[bytes]:
    items = []
    while (pkt := _read_pkt(stream)) is not None:
        items.append(pkt)
    return items


def _write_pkt(stream: BinaryIO, data: bytes | None) -> None:
    if data is None:
        stream.write(b"0000")
    else:
        stream.write(b"%04x" % (len(data) + 4) + data)


def _write_text(stream: BinaryIO, *lines: str) -> None:
    for line in lines:
        _write_pkt(stream, line.encode() + b"\n")
    _write_pkt(stream, None)
    stream.flush()


def serve_filter(top: Path, stdin: BinaryIO, stdout: BinaryIO) -> None:
    """Answer git's clean and smudge requests until it closes the pipe."""
    if _read_list(stdin)[:2] != [b"git-filter-client\n", b"version=2\n"]:
        raise NetnotesError("not git's filter protocol (version 2)")
    _write_text(stdout, "git-filter-server", "version=2")
    offered = set(_read_list(stdin))
    _write_text(stdout, *(c.decode().strip() for c in (b"capability=clean\n",
                                                     b"capability=smudge\n") if c in offered))
    crypt = Crypt(top)
    while True:
        try:
            header = _read_list(stdin)
        except EOFError:
            return
        keys = dict(h.decode("utf-8", "surrogateescape").rstrip("\n").split("=", 1)
                    for h in header if b"=" in h)
        data = b"".join(_read_list(stdin))
        try:
            if keys.get("command") == "clean":
                out = crypt.clean(data, keys.get("pathname", ""))
            elif keys.get("command") == "smudge":
                out = crypt.smudge(data)
            else:
                raise NetnotesError(f"unknown filter command {keys.get('command')!r}")
        except Exception as exc:  # noqa: BLE001 - git says which file failed; we say why
            print(f"netnotes age-filter: {keys.get('pathname', '')}: {exc}", file=sys.stderr)
            _write_text(stdout, "status=error")
            continue
        _write_text(stdout, "status=success")
        for at in range(0, len(out), _MAX_PKT):
            _write_pkt(stdout, out[at:at + _MAX_PKT])
        _write_pkt(stdout, None)
        _write_pkt(stdout, None)  # the status stays "success"
        stdout.flush()
