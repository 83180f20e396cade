"""The report's JSON is written by our own encoder (netnotes.render.jsonout), because the
standard one turns slow with ``indent``.  A script reading ``--format json`` must never see a
byte of difference: for any plain data, the text is exactly
``json.dumps(indent=2, ensure_ascii=False)``,
with DEL, C1 and the bidi controls escaped as ``\\uXXXX`` as well (netnotes.core.shown.json_safe: a
terminal never gets them raw)."""

from __future__ import annotations

import json
from collections import OrderedDict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netnotes.core.shown import json_safe
from netnotes.render import dumps


def reference(obj: object) -> str:
    return json_safe(json.dumps(obj, indent=2, ensure_ascii=False))


# Text with quotes, backslashes, control characters, accents, emoji and the brackets and commas
# the encoder writes itself.
TEXT = st.text(st.one_of(st.sampled_from('"\\/\n\r\t\x00\x1f\x7f\x9b\u202e,:[]{} é—“”\u2028😀'),
                         st.characters(blacklist_categories=("Cs",))), max_size=12)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), TEXT,
                    st.floats(allow_nan=True, allow_infinity=True))
KEYS = st.one_of(TEXT, st.integers(), st.floats(), st.booleans(), st.none())
PLAIN = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=5),
                            st.lists(inner, max_size=4).map(tuple),
                            st.dictionaries(KEYS, inner, max_size=5)),
    max_leaves=40)


@settings(max_examples=600, deadline=None)
@given(PLAIN)
def test_any_plain_data_is_written_exactly_as_json_dumps_writes_it(obj: object) -> None:
    assert dumps(obj) == reference(obj)


@pytest.mark.parametrize("obj", [
    {}, [], (), "", 0, -0.0, 1e300, float("nan"), float("-inf"), None, True,
    {"a": [], "b": {}, "c": [[], {}], "d": [{"e": []}]},
    [[[[[[1]]]]]],
    {"report": {"contacts": [{"id": "ada", "reasons": [{"kind": "agenda", "text": "“hi”"}]}]}},
    {7: "seven", 2.5: "two and a half", True: "yes", None: "nothing"},
])
def test_the_shapes_of_a_report_are_written_exactly_as_json_dumps_writes_them(obj: object
                                                                                ) -> None:
    assert dumps(obj) == reference(obj)


def test_nesting_deeper_than_any_report_still_comes_out_right() -> None:
    deep: object = "bottom"
    for _ in range(300):
        deep = [deep, {"k": 1}]
    assert dumps(deep) == reference(deep)


def test_what_is_not_plain_json_is_left_to_json_dumps() -> None:
    class Label(str):
        pass

    # A dict subclass and a str subclass give what json.dumps gives …
    odd = {"a": OrderedDict(b=[1, 2]), "c": [Label("x"), {"d": Label("y")}]}
    assert dumps(odd) == reference(odd)
    # … and so does what json.dumps refuses: the same error, not a different text.
    with pytest.raises(TypeError):
        dumps({"when": object()})
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular"):
        dumps([loop])


FINITE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), TEXT,
              st.floats(allow_nan=False, allow_infinity=False),
              st.sampled_from([1e-05, 2.5e-07, 1e-300, 0.0001, 1e16, -0.0])),
    lambda inner: st.one_of(st.lists(inner, max_size=5),
                            st.lists(inner, max_size=4).map(tuple),
                            st.dictionaries(KEYS, inner, max_size=5),
                            st.dictionaries(TEXT, inner, max_size=5)),
    max_leaves=40)


@settings(max_examples=600, deadline=None)
@given(st.dictionaries(TEXT, FINITE, max_size=6))
def test_a_report_written_by_orjson_is_exactly_what_json_dumps_writes(obj: dict) -> None:
    """The report is written with orjson (finite=True: no NaN, no infinity), a row at a time,
    and still byte for byte json.dumps, small floats and odd keys included: its pieces, and
    each row kept, are UTF-8."""
    from netnotes.render.jsonout import Raw, encode_at, encode_utf8_at, pieces

    if obj:
        assert b"".join(pieces(obj, finite=True)).decode() == reference(obj)
    for value in obj.values():
        row = reference(value).replace("\n", "\n    ")
        assert encode_at(value, 2, finite=True) == row
        assert encode_utf8_at(value, 2) == row.encode()
    kept = {k: [Raw(encode_utf8_at(v, 2), 2), Raw(encode_at(v, 2, finite=True), 2)]
            for k, v in obj.items()}
    assert b"".join(pieces(kept, finite=True) if kept else [b"{}"]).decode() == \
        reference({k: [v, v] for k, v in obj.items()})


def test_a_big_piece_of_a_report_goes_aside_and_comes_back_the_same(tmp_path) -> None:
    """The network's graph of a big vault is megabytes of its JSON report: as soon as it is
    written it is handed aside (to the report's spill file, out of memory), and read back as
    the report is printed, which is still byte for byte json.dumps."""
    from netnotes.render.jsonout import ASIDE, pieces
    from netnotes.store import Renderings

    kept = Renderings(tmp_path)
    edges = [[f"p{k}", f"p{k + 1}", 0.5] for k in range(ASIDE // 10)]
    report = {"network": {"contacts": 3, "graph": {"edge_list": edges, "brokers": []}},
              "contacts": [{"id": "a"}, {"id": "b"}], "problems": []}
    got = pieces(report, end="\n", finite=True, aside=kept.aside)
    assert b"".join(map(bytes, got)).decode() == reference(report) + "\n"
    assert kept.spilled() > ASIDE
    assert all(len(bytes(p)) < ASIDE for p in got if type(p) is bytes)


def test_since_prints_the_rows_it_keeps_as_they_were_kept() -> None:
    """`--since` leaves out the people not in touch since; the rows it keeps are printed as
    they were kept (from the report's spill file), not read back into memory and written
    again; `--fields` prints only the keys asked for."""
    import datetime as dt

    from netnotes.render.jsonout import Raw, encode_utf8_at
    from netnotes.render.report import Narrow

    rows = [{"id": "ada", "name": "Ada", "last_contact": {"date": "2026-01-05"}},
            {"id": "alan", "name": "Alan", "last_contact": None}]
    kept = [Raw(encode_utf8_at(r, 2), 2) for r in rows]
    data = {"overdue": [kept[1]], "due_soon": [kept[0]], "contacts": kept}
    got = Narrow(since=dt.date(2025, 1, 1)).apply(data)
    assert got["contacts"] == [kept[0]] and got["due_soon"] == [kept[0]]
    assert got["overdue"] == [] and got["narrowed"]["contacts"] == 1
    assert Narrow(fields=("name",)).apply(data)["contacts"] == [
        {"id": "ada", "name": "Ada"}, {"id": "alan", "name": "Alan"}]
