"""A vault's templates are someone else's code: every known way out of Jinja2's sandbox is refused.

Each payload goes into the vault's own ``templates/report.txt.j2`` (line 2, after a comment) and
``netnotes report`` must stop: exit 1, one line on stderr naming the template file and line 2, no
traceback, nothing run, and never our built-in report printed instead.
"""

from __future__ import annotations

import pytest
from conftest import note

PAYLOADS = {
    "cycler globals": '{{ cycler.__init__.__globals__.os.popen("id").read() }}',
    "joiner globals": '{{ joiner.__init__.__globals__.os.popen("id").read() }}',
    "namespace globals": '{{ namespace.__init__.__globals__.os.popen("id").read() }}',
    "lipsum globals": '{{ lipsum.__globals__["os"].popen("id").read() }}',
    "template reference context":
        '{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen("id").read() }}',
    "str mro subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "tuple base subclasses": "{{ ().__class__.__base__.__subclasses__() }}",
    "attr filter": '{{ ""|attr("__class__")|attr("__mro__") }}',
    "attr filter, escaped underscores":
        '{{ cycler|attr("\\x5f\\x5finit\\x5f\\x5f")|attr("\\x5f\\x5fglobals\\x5f\\x5f") }}',
    "subscript of a dunder": '{{ cycler["__init__"]["__globals__"] }}',
    "str.format attribute walk": '{{ "{0.__class__.__mro__}".format(today) }}',
    "str.format_map": '{{ "{x.__class__}".format_map({"x": today}) }}',
    "self globals": "{{ self.__init__.__globals__ }}",
    "dict global's base": "{{ dict.__base__.__subclasses__() }}",
    "flask request": '{{ request.application.__globals__.__builtins__.__import__("os") }}',
    "flask config": "{{ config.items() }}",
    "get_flashed_messages": "{{ get_flashed_messages.__globals__ }}",
    "url_for": "{{ url_for.__globals__ }}",
    "mutating a list": "{% set x = [1] %}{{ x.append(2) }}",
    "mutating a dict": "{% set d = {} %}{{ d.update({'a': 1}) }}",
    "range(10**9)|list": "{{ range(10**9)|list }}",
    "range beyond the sandbox's max": "{{ range(200000)|list|length }}",
    "string times a huge number": '{{ "x" * 10**10 }}',
    "power of a huge number": "{{ 9 ** 999999999 }}",
    "center to a gigabyte": '{{ "x"|center(10**9) }}',
    "percent-format width": '{{ "%0999999999d" % 1 }}',
    "format filter width": '{{ "%0999999999d"|format(1) }}',
    "str.format width": '{{ "{:>999999999}".format(1) }}',
    "lipsum flood": "{{ lipsum(10**6) }}",
    "endless recursion": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "nested loops": "{% for a in range(99999) %}{% for b in range(99999) %}"
                    "{% endfor %}{% endfor %}",
    "nested loops over the vault's data":
        "{% for a in range(99999) %}{% for b in range(99999) %}{% for c in contacts %}"
        "{% endfor %}{% endfor %}{% endfor %}",
    "doubling a string": '{% set ns = namespace(s="x") %}{% for i in range(60) %}'
                         "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
    "output flood": "{% for a in range(99999) %}{% for b in range(99999) %}"
                    "xxxxxxxxxxxxxxxx{% endfor %}{% endfor %}",
}


@pytest.fixture
def attacked(vault, run, monkeypatch):
    """``attacked(payload)`` → the Result of ``netnotes report`` over a vault whose own
    report template holds ``payload`` on its second line."""
    # Small limits keep the runaway payloads fast; the defaults are checked separately.
    monkeypatch.setenv("NETNOTES_TEMPLATE_SECONDS", "0.5")
    monkeypatch.setenv("NETNOTES_TEMPLATE_MB", "4")

    def attack(payload: str, template: str = "report.txt.j2", *args: str):
        root = vault({
            "people/ada.md": note("Ada Lovelace", ["2026-01-05 coffee"]),
            "people/grace.md": note("Grace Hopper", ["2025-03-01 call"]),
            f"templates/{template}": "{# a shared vault's template #}\n" + payload + "\n",
        })
        return run(root, *(args or ("report",)))

    return attack


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_every_escape_is_refused(attacked, payload):
    result = attacked(payload)
    assert result.exit_code == 1
    assert result.stdout == ""  # nothing printed: not the payload's output, not our report
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "templates/report.txt.j2:2: template " in lines[0]
    assert "Traceback" not in result.stderr
    assert "uid=" not in result.output


def test_the_sandbox_covers_show_list_and_the_note_template(attacked):
    payload = PAYLOADS["cycler globals"]
    for template, args in [("contact.txt.j2", ("show", "ada")), ("list.txt.j2", ("list",)),
                           ("person.md.j2", ("add", "Linus Torvalds"))]:
        result = attacked(payload, template, *args)
        assert result.exit_code == 1, (template, result.output)
        assert f"templates/{template}:2: template refused" in result.stderr
        assert "uid=" not in result.output


def test_an_honest_vault_template_still_renders(vault, run):
    root = vault({
        "people/ada.md": note("Ada Lovelace", ["2026-01-05 coffee"]),
        "templates/report.txt.j2": "{% for c in contacts %}{{ c.name|upper }}"
                                   "{{ ', ' if not loop.last }}{% endfor %}.\n"
                                   "{{ '%d people'|format(contacts|length) }}\n",
    })
    result = run(root, "report")
    assert result.exit_code == 0, result.output
    assert result.stdout == "ADA LOVELACE.\n1 people\n"


def test_a_vault_cannot_loosen_its_own_limits(vault, run, monkeypatch):
    """The limits come from the user's environment, not from netnotes.toml."""
    monkeypatch.setenv("NETNOTES_TEMPLATE_SECONDS", "0.3")
    root = vault({"people/ada.md": note("Ada Lovelace"),
                  "templates/report.txt.j2": PAYLOADS["nested loops"]},
                 toml="[templates]\nmax_seconds = 100000\n")
    result = run(root, "report")
    assert result.exit_code == 1
    assert "took longer than 0.3 s" in result.stderr


def test_the_default_limits(monkeypatch):
    from netnotes.render.sandbox import DEFAULT_MB, DEFAULT_SECONDS, limits

    monkeypatch.delenv("NETNOTES_TEMPLATE_SECONDS", raising=False)
    monkeypatch.setenv("NETNOTES_TEMPLATE_MB", "not a number")
    assert limits() == (DEFAULT_SECONDS, int(DEFAULT_MB * 1024 * 1024))
