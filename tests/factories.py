"""Builders for tests: users stored with known passwords, signing in through the real form."""

from __future__ import annotations

from typing import Any

from lxml import html as lxml_html
from sqlalchemy import Engine

from bedeco.audit.service import SYSTEM
from bedeco.runtime import unit_of_work
from bedeco.security import service as security

PASSWORD = "correct horse battery"


def make_user(
    engine: Engine,
    name: str,
    *,
    nation: str = "BEL",
    clearance: str = "RESTRICTED",
    roles: tuple[str, ...] = ("viewer", "contributor"),
    password: str = PASSWORD,
) -> str:
    """Store a user (committed) and return its name."""
    with unit_of_work(engine) as session:
        security.add_user(
            session,
            SYSTEM,
            name=name,
            nation=nation,
            clearance=clearance,
            roles=roles,
            password=password,
        )
    return name


def make_token(engine: Engine, name: str) -> str:
    with unit_of_work(engine) as session:
        return security.issue_token(session, SYSTEM, name=name)


def csrf_from(page_html: str) -> str:
    """The CSRF token of the first form of a page."""
    tree = lxml_html.fromstring(page_html)
    values = tree.xpath("//input[@name='csrf_token']/@value")
    assert values, "the page has no CSRF field"
    return str(values[0])


def login(client: Any, name: str, password: str = PASSWORD) -> Any:
    """Sign in through the login form, as a browser would."""
    form = client.get("/login")
    token = csrf_from(form.text)
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
