"""No network: commands open no socket (the whole suite runs with sockets disabled, see
pyproject.toml), and the HTML report references nothing outside itself, whatever the notes say."""

from __future__ import annotations

import re
import socket
from html.parser import HTMLParser

import pytest
from conftest import note


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_the_suite_runs_with_sockets_disabled():
    from pytest_socket import SocketBlockedError

    with pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


def references(page: str) -> list[str]:
    """Everything in ``page`` that could make a browser fetch something: tags that load, links,
    and in its CSS (``<style>``, ``style=``) any ``url(`` but ``data:`` and any ``@import``."""
    found: list[str] = []
    css: list[str] = []

    class Refs(HTMLParser):
        in_style = False

        def handle_starttag(self, tag, attrs):
            self.in_style = tag == "style"
            if tag in ("script", "link", "iframe", "img", "object", "embed", "base", "video",
                       "audio", "source"):
                found.append(f"<{tag}>")
            if tag == "meta" and any(n == "http-equiv" for n, _ in attrs):
                found.append("<meta http-equiv>")
            for name, value in attrs:
                if name in ("src", "srcset", "href", "action", "poster", "data", "background",
                            "formaction", "ping", "xlink:href"):
                    found.append(f"{name}={value}")
                if name == "style":
                    css.append(value or "")

        def handle_endtag(self, tag):
            self.in_style = False

        def handle_data(self, data):
            if self.in_style:
                css.append(data)

    Refs().feed(page)
    sheet = "\n".join(css)
    found += [f"url({m.group(1)}" for m in re.finditer(r"url\(\s*['\"]?([^)'\"\s]*)", sheet)
              if not m.group(1).startswith("data:")]
    found += re.findall(r"@import[^;]*", sheet)
    return found


def local(ref: str) -> bool:
    """A link inside the page (#id), or to a note file next to it (a relative path)."""
    if not ref.startswith("href="):
        return False
    target = ref[5:]
    return target.startswith("#") or ("//" not in target and ":" not in target)


def test_the_example_reports_html_has_no_outside_reference(example_vault, run):
    page = run(example_vault, "report", "--format", "html").stdout
    assert "<!DOCTYPE html>" in page
    assert "http" not in page
    assert "//" not in page
    assert "@import" not in page
    assert all(u.startswith("url(data:") for u in re.findall(r"url\([^)]*", page))
    assert [r for r in references(page) if not local(r)] == []


HOSTILE = {
    "name": '"Eve <img src=//evil.example/pixel.png>"',
    "company": '"<link rel=stylesheet href=https://evil.example/x.css>"',
    "role": '"</style><style>@import url(https://evil.example/y.css);</style>"',
    "website": '"javascript:fetch(\'https://evil.example\')"',
    "field": '"<script src=http://evil.example/z.js></script>"',
    "agenda": '"url(https://evil.example/bg.png) <iframe src=//evil.example>"',
}


def test_notes_cannot_add_a_reference(vault, run):
    root = vault({
        "people/eve.md": note("placeholder", ["2026-11-01 coffee <img src=//evil.example/a>"],
                              tier="close", **{k: v for k, v in HOSTILE.items() if k != "name"}
                              ).replace("name: placeholder", f"name: {HOSTILE['name']}"),
        "people/ada.md": note("Ada Lovelace", ["2026-01-05 call with [[eve]]"], tier="close"),
    })
    page = run(root, "report", "--format", "html").stdout
    assert "Eve &lt;img" in page  # shown as text…
    assert [r for r in references(page) if not local(r)] == []  # …never fetched
    assert "<img" not in page and "<script" not in page and "<iframe" not in page
