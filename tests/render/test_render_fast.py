"""The text report lines its columns up with ``fit`` and reads ``row.name`` from plain dicts tens
of thousands of times; both have fast paths, and they must print exactly what the plain way
printed, for any text a note may hold and any template a user may write."""

from __future__ import annotations

import jinja2
from hypothesis import given, settings
from hypothesis import strategies as st

from netnotes.core.shown import visible
from netnotes.render import make_environment
from netnotes.render.environment import char_width, display_width, fit


def fit_reference(value: object, width: int, align: str = "left") -> str:
    """Measure every character: keep what fits in ``width - 1`` columns and add "…", or pad
    (control characters measured as the escapes they are shown as)."""
    text = visible(" ".join(str("" if value is None else value).split()))
    if display_width(text) > width:
        kept, used = [], 0
        for ch in text:
            used += char_width(ch)
            if used > width - 1:
                break
            kept.append(ch)
        text = "".join(kept) + "…"
    pad = " " * (width - display_width(text))
    return pad + text if align == "right" else text + pad


VALUES = st.one_of(st.none(), st.integers(), st.floats(allow_nan=False),
                   st.text(st.sampled_from("ab Z9 \t\n—é“漢\u0301"), max_size=30),
                   st.text(max_size=30))


@settings(max_examples=500, deadline=None)
@given(VALUES, st.integers(min_value=1, max_value=40), st.sampled_from(["left", "right"]))
def test_fit_pads_and_cuts_exactly_as_measuring_every_character_does(value, width, align):
    assert fit(value, width, align) == fit_reference(value, width, align)


def test_a_dict_key_named_like_a_dict_method_still_means_the_method():
    """``row.items`` is dict's method in Jinja2, whatever the row holds; ``row.name`` the key."""
    source = ("{{ row.name }} {{ row.items()|list|length }} {{ row.missing is defined }}"
              " {{ n.real }}")
    row = {"name": "Ada", "items": "not this"}
    ours = make_environment().from_string(source).render(row=row, n=3)
    assert ours == jinja2.Environment().from_string(source).render(row=row, n=3) == "Ada 2 False 3"


def test_a_missing_key_in_a_report_template_is_still_an_error():
    env = make_environment()
    template = env.from_string("{{ row.nmae }}")
    try:
        template.render(row={"name": "Ada"})
    except jinja2.UndefinedError as exc:
        assert "nmae" in str(exc)
    else:
        raise AssertionError("a typo in a template must not print nothing")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.sampled_from("ab Z \t—é漢\u0301\u200b"), max_size=6), min_size=40,
                max_size=90), st.sampled_from(["Cooling: ", "Group around Ada (1234): "]))
def test_forty_names_fill_a_fitted_line_as_every_name_does(names, head):
    """report.txt.j2 joins only the first 40 names of a list it cuts to 76 columns: each name
    takes two columns at least with its ", ", so the line is the same as with all of them."""
    assert fit(head + ", ".join(names[:40]), 76) == fit(head + ", ".join(names), 76)


def test_the_row_macros_of_text_and_markdown_never_read_a_rows_relationship(example_vault):
    """A whole text or Markdown report makes its rows without their ``relationship`` (the
    plain data of the explanation, a fifth of the work of a contact): every row, rendered by
    every macro, is the same either way, and the ``relationship`` left out is None, so a
    built-in macro that ever reads it fails here rather than printing nothing."""
    import datetime as dt

    from netnotes.render import report
    from netnotes.render import rows as contact_rows
    from netnotes.render.fragments import Store
    from netnotes.store import load_vault

    today = dt.date(2026, 11, 22)
    vault = load_vault(example_vault, use_cache=False)
    for fmt in ("text", "markdown"):
        assert fmt not in report.EXPLAINED
        made = []
        for explained in (True, False):
            keep = Store()
            rows = report.row_renderer(fmt, vault.root, vault.config, today, keep)
            assert rows is not None
            report.report_inputs(vault, today, render_rows=rows, explained=explained)
            made.append({name: dict(kept) for name, kept in keep.found.by_name.items()})
        assert made[0] == made[1] and len(made[1]) > 1 and made[1]["relationship_row"]
    from netnotes.analysis import Index

    ada = vault.contacts[0]
    row = contact_rows.contact_unit(ada, vault.interactions_of(ada.id), today, vault.config,
                                    Index(vault).ground(ada), explained=False).row
    assert row["relationship"] is None and row.keys() == set(contact_rows.ROW_FIELDS)
