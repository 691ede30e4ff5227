"""The authorisation matrix: every person against every notice, over every route and format.

Generated, not written by hand: people of each nation and clearance (and an
admin without content roles) against notices of each classification and
releasability (drafts, and notices whose marking was narrowed after answers
came in). For each person every read path is checked against an oracle written
here from the rule's words: list, search, detail, answers, versions, export
(API and page), inbox (API and page), the Atom feed; and for each nation the
webhook payloads. A leak anywhere, including in counts and search results,
fails the test naming the path and the notice.
"""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree, html
from sqlalchemy import Engine, select

from bedeco.config import Settings
from bedeco.db import make_engine
from bedeco.exchange import alerts, answers, outbox, service
from bedeco.exchange.logic import AnswerContent
from bedeco.exchange.model import ExchangeActivity, ExchangeDelivery
from bedeco.runtime import unit_of_work
from bedeco.security import service as security
from bedeco.security.logic import Classification
from tests.exchange.helpers import content
from tests.factories import bearer, login, make_token, make_user

NATIONS = ("BEL", "NLD", "LUX")
LEVELS = ("UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL")
RANK = {level: rank for rank, level in enumerate(LEVELS)}
USERS = [f"{n}-{c}" for n, c in itertools.product(NATIONS, LEVELS)] + ["BEL-ADMIN"]
ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass
class NoticeCase:
    """One notice of the world, as the oracle knows it."""

    id: int
    marker: str
    author: str
    level: str
    rel: frozenset[str]
    draft: bool
    answerers: list[str] = field(default_factory=list)
    updates: int = 0


@dataclass
class World:
    client_app: Any
    engine: Engine
    notices: list[NoticeCase]
    tokens: dict[str, str]


def sees(user: str, notice: NoticeCase) -> bool:
    """The rule, restated: clearance reaches the level, the nation is in the set, a viewing role;
    a draft stays with its author's nation."""
    nation, clearance = user.split("-")
    if clearance == "ADMIN":
        return False
    if RANK[clearance] < RANK[notice.level] or nation not in notice.rel:
        return False
    return not notice.draft or nation == notice.author


def marker(index: int) -> str:
    return f"MXQ{index:03d}Z"


@pytest.fixture(scope="module")
def world(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    from bedeco.web.app import create_app

    folder = tmp_path_factory.mktemp("matrix")
    shutil.copy(sqlite_template, folder / "m.sqlite3")
    engine = make_engine(f"sqlite:///{folder / 'm.sqlite3'}")
    for user in USERS:
        nation, clearance = user.split("-")
        if clearance == "ADMIN":
            make_user(engine, user, nation=nation, clearance="CONFIDENTIAL", roles=("admin",))
        else:
            make_user(engine, user, nation=nation, clearance=clearance)
    high = Classification.CONFIDENTIAL
    notices: list[NoticeCase] = []
    with unit_of_work(engine) as session:
        for nation in NATIONS:
            alerts.set_webhook(
                session,
                security.principal_for(security.get_user_by_name(session, "BEL-ADMIN")),
                nation=nation,
                url=f"http://127.0.0.1:9/{nation}",
                secret="matrix-secret-" + nation * 4,
            )
        people = {
            n: security.principal_for(security.get_user_by_name(session, f"{n}-CONFIDENTIAL"))
            for n in NATIONS
        }
        index = 0
        for author in NATIONS:
            others = [n for n in NATIONS if n != author]
            sets = [
                frozenset({author, *extra})
                for k in range(3)
                for extra in itertools.combinations(others, k)
            ]
            for level, rel in itertools.product(LEVELS, sets):
                index += 1
                mark = marker(index)
                notice = service.create_notice(
                    session,
                    people[author],
                    content=content(
                        operation=f"Operation {mark}",
                        area=f"Area A{mark}",
                        text=f"Text T{mark}",
                        classification=level,
                        releasable_to=rel,
                    ),
                    highest=high,
                )
                case = NoticeCase(notice.id, mark, author, level, rel, draft=len(rel) == 1)
                if not case.draft:
                    service.circulate_notice(
                        session, people[author], notice_id=notice.id, version=1
                    )
                    for other in sorted(rel - {author}):
                        answers.answer_notice(
                            session,
                            people[other],
                            notice_id=notice.id,
                            content=AnswerContent(
                                kind="needs_information", question=f"Q{mark}{other}"
                            ),
                        )
                        case.answerers.append(other)
                notices.append(case)
            # narrowed after every nation answered: the excluded nation must lose everything
            index += 1
            mark = marker(index)
            dropped = others[0]
            notice = service.create_notice(
                session,
                people[author],
                content=content(operation=f"Operation {mark}", area=f"Area A{mark}"),
                highest=high,
            )
            service.circulate_notice(session, people[author], notice_id=notice.id, version=1)
            for other in others:
                answers.answer_notice(
                    session,
                    people[other],
                    notice_id=notice.id,
                    content=AnswerContent(kind="needs_information", question=f"Q{mark}{other}"),
                )
            narrowed = frozenset(set(NATIONS) - {dropped})
            service.update_notice(
                session,
                people[author],
                notice_id=notice.id,
                version=2,
                content=content(
                    operation=f"Operation {mark}",
                    area=f"Area A{mark}",
                    classification="CONFIDENTIAL",
                    releasable_to=narrowed,
                ),
                highest=high,
            )
            notices.append(
                NoticeCase(notice.id, mark, author, "CONFIDENTIAL", narrowed, False, others, 1)
            )
    tokens = {user: make_token(engine, user) for user in USERS}
    settings = Settings(
        var_dir=folder / "var",
        secret_key="matrix-secret-" + "z" * 32,
        max_classification="CONFIDENTIAL",
        login_attempts_per_minute=1000,
    )
    app = create_app(settings, engine)
    yield World(app, engine, notices, tokens)
    engine.dispose()


def leaks_in(text: str, invisible: list[NoticeCase]) -> list[str]:
    return [n.marker for n in invisible if n.marker in text]


def count_in(page: str) -> int:
    tree = html.fromstring(page)
    found = re.search(r"\d+", tree.xpath("string(//p[@id='result-count'])"))
    assert found, "the page shows no count"
    return int(found.group())


def test_the_world_has_every_combination(world: World) -> None:
    combos = {(n.author, n.level, n.rel) for n in world.notices}
    assert len(combos) == 3 * 3 * 4 and len(world.notices) == 3 * 3 * 4 + 3
    assert any(n.draft for n in world.notices)


@pytest.mark.parametrize("user", USERS)
def test_no_path_shows_a_person_more_than_the_rule_allows(world: World, user: str) -> None:
    visible = [n for n in world.notices if sees(user, n)]
    invisible = [n for n in world.notices if not sees(user, n)]
    by_id = {n.id: n for n in world.notices}
    problems: list[str] = []

    def check(route: str, ok: bool) -> None:
        if not ok:
            problems.append(route)

    api = TestClient(world.client_app)  # type: ignore[arg-type]
    api.headers.update(bearer(world.tokens[user]))
    page = TestClient(world.client_app)  # type: ignore[arg-type]
    assert login(page, user).status_code == 303

    # inbox (API and page) and feed first, before reading marks anything read
    inbox = api.get("/api/v1/exchange/inbox", params={"page_size": 200}).json()
    circulated = [n for n in visible if not n.draft]
    expected_total = sum(1 + len(n.answerers) + n.updates for n in circulated)
    nation = user.split("-")[0]
    own = (
        sum((n.author == nation) * (1 + n.updates) + (nation in n.answerers) for n in circulated)
        if user.endswith("CONFIDENTIAL")
        else 0
    )
    check("api inbox total", inbox["total"] == expected_total)

    check("api inbox unread", inbox["unread"] == expected_total - own)
    check(
        "api inbox notices",
        {i["notice_id"] for i in inbox["items"]} == {n.id for n in circulated},
    )
    problems += [f"api inbox leaks {m}" for m in leaks_in(str(inbox), invisible)]
    inbox_page = page.get("/exchange/inbox").text
    problems += [f"inbox page leaks {m}" for m in leaks_in(inbox_page, invisible)]
    unread_badge = html.fromstring(inbox_page).xpath("string(//*[@id='unread-count'])")
    check("inbox page unread count", str(expected_total - own) in unread_badge)

    feed_token = api.post("/api/v1/exchange/feed-tokens")
    if user.endswith("ADMIN"):
        check("feed token for admin", feed_token.status_code == 201)
    feed = page.get("/exchange/feed.atom", params={"token": feed_token.json()["token"]})
    problems += [f"feed leaks {m}" for m in leaks_in(feed.text, invisible)]
    entries = etree.fromstring(feed.content).findall(f"{ATOM}entry")
    feed_ids = {int(e.find(f"{ATOM}link").get("href").rsplit("/", 1)[1]) for e in entries}
    check("feed entries", feed_ids <= {n.id for n in circulated})
    check("feed size", len(entries) == min(50, expected_total))

    # lists and counts
    listed = api.get("/api/v1/notices", params={"page_size": 200}).json()
    check("api list total", listed["total"] == len(visible))
    check("api list items", {i["id"] for i in listed["items"]} == {n.id for n in visible})
    seen_rows: set[int] = set()
    for number in range(1, 5):
        text = page.get("/exchange", params={"page": number}).text
        problems += [f"list page leaks {m}" for m in leaks_in(text, invisible)]
        if number == 1:
            check("list page count", count_in(text) == len(visible))
        rows = html.fromstring(text).xpath("//table[@id='notices']//tr/@data-notice-id")
        seen_rows |= {int(r) for r in rows}
    check("list page rows", seen_rows == {n.id for n in visible})

    # search: every notice's own marker finds it exactly when it is visible
    for notice in world.notices:
        want = 1 if sees(user, notice) else 0
        found = api.get("/api/v1/notices", params={"q": notice.marker}).json()
        check(f"api search {notice.marker}", found["total"] == want == len(found["items"]))
        text = page.get("/exchange", params={"q": "A" + notice.marker}).text
        check(f"page search {notice.marker}", count_in(text) == want)
        echoed = [n for n in invisible if n.id != notice.id]  # the box shows the query itself
        problems += [f"search page leaks {m}" for m in leaks_in(text, echoed)]

    # detail, answers, versions, export (API and page)
    for notice in world.notices:
        want = 200 if sees(user, notice) else 404
        others = [n for n in invisible if n.id != notice.id]
        for path in (
            f"/api/v1/notices/{notice.id}",
            f"/api/v1/notices/{notice.id}/answers",
            f"/api/v1/notices/{notice.id}/versions",
            f"/api/v1/notices/{notice.id}/export",
        ):
            response = api.get(path)
            check(f"{path} status", response.status_code == want)
            if want == 404:
                problems += [f"{path} leaks" for _ in leaks_in(response.text, [notice])]
            problems += [f"{path} leaks {m}" for m in leaks_in(response.text, others)]
        for path in (f"/exchange/{notice.id}", f"/exchange/{notice.id}/export.json"):
            response = page.get(path, follow_redirects=False)
            check(f"{path} status", response.status_code == want)
            problems += [f"{path} leaks {m}" for m in leaks_in(response.text, invisible)]
        if want == 200:
            answers = api.get(f"/api/v1/notices/{notice.id}/answers").json()
            check(
                f"answers of {notice.marker}",
                sorted(a["nation"] for a in answers["items"]) == sorted(notice.answerers),
            )
    assert not problems, f"{user}: " + "; ".join(problems[:20])
    assert by_id


@pytest.mark.parametrize("nation", NATIONS)
def test_webhook_payloads_carry_only_what_the_nation_may_see(world: World, nation: str) -> None:
    receiver = f"{nation}-CONFIDENTIAL"  # the webhook receives at the highest clearance
    visible = {n.id for n in world.notices if sees(receiver, n) and not n.draft}
    invisible = [n for n in world.notices if not sees(receiver, n)]
    with unit_of_work(world.engine) as session:
        deliveries = session.scalars(
            select(ExchangeDelivery).where(ExchangeDelivery.nation == nation)
        ).all()
        payloads = [outbox.build_payload(session, d) for d in deliveries]
        queued = {
            session.get(ExchangeActivity, d.activity_id).notice_id  # type: ignore[union-attr]
            for d in deliveries
        }
        session.rollback()
    sent = [p for p in payloads if p is not None]
    assert {p["notice"]["id"] for p in sent} == visible
    assert queued >= visible
    text = str(sent)
    assert leaks_in(text, invisible) == []
    assert all(nation in p["notice"]["releasable_to"] for p in sent)
