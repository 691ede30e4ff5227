"""Pure rules of the portal: language paths, conditional requests, CSV safety, chart geometry."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from bedeco.portal import logic

MOMENT = dt.datetime(2026, 11, 29, 20, 15, 7, tzinfo=dt.UTC)


def test_language_is_split_from_and_put_into_a_path() -> None:
    assert logic.split_lang("/fr/initiatives/benesam") == ("fr", "/initiatives/benesam")
    assert logic.split_lang("/nl/") == ("nl", "/")
    assert logic.split_lang("/login") == (None, "/login")
    assert logic.localized_path("de", "/timeline") == "/de/timeline"


def test_alternates_name_every_language_and_an_x_default() -> None:
    links = logic.alternates("/initiatives")
    assert [a.hreflang for a in links] == ["nl", "fr", "de", "en", "x-default"]
    assert links[-1].href == "/en/initiatives"


def test_matching_etag_answers_not_modified() -> None:
    etag = logic.etag_of(b"body")
    assert logic.not_modified(
        etag=etag, last_modified=MOMENT, if_none_match=etag, if_modified_since=None
    )
    assert logic.not_modified(
        etag=etag, last_modified=MOMENT, if_none_match=f'"x", W/{etag}', if_modified_since=None
    )
    assert logic.not_modified(
        etag=etag, last_modified=MOMENT, if_none_match="*", if_modified_since=None
    )
    assert not logic.not_modified(
        etag=etag, last_modified=MOMENT, if_none_match='"other"', if_modified_since=None
    )


def test_if_none_match_takes_precedence_over_if_modified_since() -> None:
    etag = logic.etag_of(b"body")
    later = logic.http_date(MOMENT + dt.timedelta(days=1))
    assert not logic.not_modified(
        etag=etag, last_modified=MOMENT, if_none_match='"other"', if_modified_since=later
    )


def test_if_modified_since_compares_to_the_second() -> None:
    etag = logic.etag_of(b"body")
    same = logic.http_date(MOMENT)
    earlier = logic.http_date(MOMENT - dt.timedelta(seconds=1))
    moment = MOMENT.replace(microsecond=500_000)
    assert logic.not_modified(
        etag=etag, last_modified=moment, if_none_match=None, if_modified_since=same
    )
    assert not logic.not_modified(
        etag=etag, last_modified=moment, if_none_match=None, if_modified_since=earlier
    )
    assert not logic.not_modified(
        etag=etag, last_modified=moment, if_none_match=None, if_modified_since="not a date"
    )


def test_http_dates_round_trip() -> None:
    assert logic.http_date(MOMENT) == "Sun, 29 Nov 2026 20:15:07 GMT"
    assert logic.parse_http_date(logic.http_date(MOMENT)) == MOMENT


def test_csv_cells_that_would_run_as_formulas_are_quoted() -> None:
    assert logic.csv_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert logic.csv_safe("@SUM(A1)") == "'@SUM(A1)"
    assert logic.csv_safe("-3") == "-3"
    assert logic.csv_safe(True) == "true"
    assert logic.csv_safe(None) == ""
    assert logic.csv_safe(dt.date(2026, 5, 13)) == "2026-05-13"


def test_csv_has_the_schema_header_and_one_line_per_row() -> None:
    schema = logic.SCHEMAS["relations"]
    body = logic.to_csv(schema, [{"source": "a", "kind": "cites", "target": "b, c"}])
    assert body == 'source,kind,target\r\na,cites,"b, c"\r\n'


def test_every_schema_describes_each_field() -> None:
    for schema in logic.SCHEMAS.values():
        assert schema.fields and all(f.description and f.type for f in schema.fields)
        assert len(set(schema.names)) == len(schema.names)


@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=8))
def test_stacked_bar_segments_fill_the_width_in_order(counts: list[int]) -> None:
    pairs = [(str(i), c) for i, c in enumerate(counts)]
    bars = logic.stacked_bar(pairs, width=600)
    assert [b.count for b in bars] == [c for c in counts if c > 0]
    if bars:
        assert abs(sum(b.width for b in bars) - 600) < 0.1
        assert all(a.x < b.x for a, b in itertools.pairwise(bars))


def test_graph_places_each_instrument_on_its_own_row_in_date_order() -> None:
    nodes, links, height = logic.graph_layout(
        [("b", "resolution", dt.date(2026, 5, 13)), ("a", "declaration", dt.date(2012, 4, 18)), ("c", "other", None)],
        [("b", "a", "cites"), ("b", "missing", "cites")],
    )  # fmt: skip
    assert [n.key for n in nodes] == ["a", "b", "c"]
    assert nodes[0].x < nodes[1].x and len({n.y for n in nodes}) == 3
    assert [(link.source, link.target) for link in links] == [("b", "a")]
    assert height > max(n.y for n in nodes)


def test_month_columns_scale_to_the_busiest_month() -> None:
    columns = logic.month_columns([("2026-05", 2), ("2026-06", 4)], width=600, height=120)
    assert [c.height for c in columns] == [60.0, 120.0]
    assert logic.month_columns([]) == []
