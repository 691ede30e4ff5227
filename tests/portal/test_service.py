"""The portal's read models over the register, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bedeco.errors import NotFound
from bedeco.portal import service
from bedeco.reference import load_all
from bedeco.register import service as register
from tests.portal.conftest import INSIDER, MARK, SEED, text


@pytest.fixture
def loaded(session: Session) -> Session:
    for _line in load_all(session):
        pass
    return session


def test_tracker_lists_the_sixteen_requests_in_order_with_their_history(loaded: Session) -> None:
    tracker = service.tracker(loaded, document_key=SEED)
    assert [c.label for c in tracker.commitments] == [str(n) for n in range(1, 17)]
    assert tracker.commitments[0].anchor == "request-01"
    assert all(c.history and c.history[0].from_status is None for c in tracker.commitments)
    assert tracker.progress.total == 16
    assert {"nl", "fr"} <= set(tracker.commitments[15].title)


def test_tracker_leaves_out_a_restricted_commitment_on_the_same_resolution(loaded: Session) -> None:
    provision = register.list_provisions(loaded, document_key=SEED, kind="request")[0]
    register.create_commitment(
        loaded, INSIDER, key=f"{MARK}-c", title=text("t"), source_key=SEED,
        provision_id=provision.id, classification="RESTRICTED", releasable_to=["BEL"],
    )  # fmt: skip
    tracker = service.tracker(loaded, document_key=SEED)
    assert len(tracker.commitments) == 16 and tracker.progress.total == 16


def test_restricted_records_are_not_found_by_key(loaded: Session) -> None:
    register.save_instrument(
        loaded, INSIDER, key=f"{MARK}-i", kind="other", title=text("t"),
        classification="RESTRICTED", releasable_to=["BEL"],
    )  # fmt: skip
    with pytest.raises(NotFound) as raised:
        service.get_instrument(loaded, key=f"{MARK}-i")
    assert MARK not in raised.value.message
    with pytest.raises(NotFound):
        service.tracker(loaded, document_key=f"{MARK}-i")


def test_initiatives_come_most_mature_first_with_the_requests_they_serve(loaded: Session) -> None:
    initiatives = service.list_initiatives(loaded)
    assert initiatives[0].key == "benesam" and initiatives[0].maturity == 5
    assert [i.maturity for i in initiatives] == sorted(
        (i.maturity for i in initiatives), reverse=True
    )
    benesam = service.get_initiative(loaded, key="benesam")
    assert [key for key, _title in benesam.commitments] == [f"{SEED}/request-05"]
    assert benesam.history and benesam.history[0].from_status is None


def test_status_change_shows_in_recent_changes_and_moves_the_stamp(loaded: Session) -> None:
    before = service.stamp(loaded)
    commitment = register.get_commitment_by_key(loaded, INSIDER, key=f"{SEED}/request-16")
    register.change_status(
        loaded, INSIDER, commitment_id=commitment.id, status="under_study",
        expected_version=None, comment="The portal is built.",
    )  # fmt: skip
    after = service.stamp(loaded)
    assert after.token != before.token
    latest = service.recent_changes(loaded, limit=1)[0]
    assert latest.commitment_key == f"{SEED}/request-16" and latest.anchor == "request-16"
    assert latest.to_status == "under_study" and latest.nation == "BEL"


def test_a_restricted_change_does_not_move_the_public_stamp(loaded: Session) -> None:
    before = service.stamp(loaded)
    register.create_initiative(
        loaded, INSIDER, key=f"{MARK}-x", name=text("n"), classification="RESTRICTED",
        releasable_to=["BEL"],
    )  # fmt: skip
    assert service.stamp(loaded).token == before.token


def test_home_counts_domains_and_flagships_from_public_records(loaded: Session) -> None:
    home = service.home(loaded, document_key=SEED)
    assert home.counts == {"initiatives": 11, "instruments": 14, "commitments": 16}
    visibility = next(d for d in home.domains if d.code == "visibility")
    assert visibility.commitments == 1
    assert len(home.flagships) == 6 and home.flagships[0].maturity == 5


def test_search_finds_public_requests_in_any_language(loaded: Session) -> None:
    result = service.search(loaded, q="helikopter")
    assert [anchor for _doc, anchor, _t, _s in result.commitments] == ["request-07"]
    assert service.search(loaded, q="  ").total == 0
