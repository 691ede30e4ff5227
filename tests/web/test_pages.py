"""The web shell through its HTTP interface: languages, sign-in, CSRF, rate limit, errors."""

from __future__ import annotations

import pytest
from lxml import html

from tests.factories import PASSWORD, csrf_from, login, make_user

TRANSLATED_HOME = {
    "nl": "Benelux-defensiesamenwerking",
    "fr": "Coopération Benelux en matière de défense",
    "de": "Benelux-Verteidigungszusammenarbeit",
    "en": "Benelux defence cooperation",
}


def heading(page_html: str) -> str:
    return html.fromstring(page_html).findtext(".//h1").strip()


@pytest.mark.parametrize("lang", ["nl", "fr", "de", "en"])
def test_home_follows_accept_language_and_sets_html_lang(client, lang: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/", headers={"Accept-Language": f"{lang};q=0.9, xx;q=1"})
    tree = html.fromstring(response.text)
    assert tree.get("lang") == lang
    assert heading(response.text) == TRANSLATED_HOME[lang]
    assert response.headers["content-language"] == lang


def test_language_choice_is_remembered_over_accept_language(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/language/de?next=/login", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    page = client.get("/", headers={"Accept-Language": "fr"})
    assert html.fromstring(page.text).get("lang") == "de"


def test_language_switch_never_redirects_off_site(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/language/nl?next=//evil.example/x", follow_redirects=False)
    assert response.headers["location"] == "/"


def test_unknown_language_is_a_404_page(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/language/xx").status_code == 404


def test_layout_has_skip_link_landmarks_and_labelled_fields(client) -> None:  # type: ignore[no-untyped-def]
    tree = html.fromstring(client.get("/login").text)
    assert tree.xpath("//a[@class='skip-link']/@href") == ["#main"]
    assert tree.xpath("//main[@id='main']") and tree.xpath("//header") and tree.xpath("//footer")
    assert len(tree.xpath("//nav[@aria-label]")) >= 2
    for field in tree.xpath("//form//input[not(@type='hidden')]"):
        assert tree.xpath(f"//label[@for='{field.get('id')}']"), field.get("name")


def test_sign_in_and_out_with_a_signed_httponly_cookie(client, app_and_engine) -> None:  # type: ignore[no-untyped-def]
    make_user(app_and_engine[1], "anna")
    response = login(client, "anna")
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert client.get("/api/v1/me").json()["name"] == "anna"
    token = csrf_from(client.get("/account").text)
    assert (
        client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    assert client.get("/api/v1/me").json()["anonymous"] is True


def test_wrong_password_shows_the_error_next_to_the_field(client, app_and_engine) -> None:  # type: ignore[no-untyped-def]
    make_user(app_and_engine[1], "anna")
    response = login(client, "anna", "not the password")
    assert response.status_code == 401
    tree = html.fromstring(response.text)
    assert tree.xpath("//input[@id='password']/@aria-describedby") == ["password-error"]
    assert tree.xpath("//p[@id='password-error']/text()")


def test_empty_form_names_each_missing_field(client) -> None:  # type: ignore[no-untyped-def]
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"csrf_token": token})
    tree = html.fromstring(response.text)
    assert response.status_code == 422
    assert tree.xpath("//p[@id='name-error']") and tree.xpath("//p[@id='password-error']")


def test_form_post_without_csrf_token_is_refused(client, app_and_engine) -> None:  # type: ignore[no-untyped-def]
    make_user(app_and_engine[1], "anna")
    client.get("/login")
    response = client.post("/login", data={"name": "anna", "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/api/v1/me").json()["anonymous"] is True


def test_form_post_with_wrong_csrf_token_is_refused(client, app_and_engine) -> None:  # type: ignore[no-untyped-def]
    make_user(app_and_engine[1], "anna")
    client.get("/login")
    response = client.post(
        "/login", data={"name": "anna", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 403


def test_sixth_failed_login_within_a_minute_gets_429_with_retry_after(
    client, app_and_engine
) -> None:  # type: ignore[no-untyped-def]
    make_user(app_and_engine[1], "anna")
    statuses = [login(client, "anna", "wrong password").status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    blocked = login(client, "anna", PASSWORD)
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) >= 1


def test_unknown_page_is_a_translated_404(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/nowhere", headers={"Accept-Language": "nl"})
    assert response.status_code == 404
    assert "De gevraagde pagina bestaat niet." in html.fromstring(response.text).text_content()


def test_healthz_reports_the_database(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize("path", ["/en/", "/login", "/api/v1/nations", "/sitemap.xml"])
def test_head_answers_like_get_without_a_body(client, path: str) -> None:  # type: ignore[no-untyped-def]
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-language"] == got.headers["content-language"]


def test_head_of_an_unknown_page_is_a_404(client) -> None:  # type: ignore[no-untyped-def]
    response = client.head("/en/nowhere")
    assert response.status_code == 404 and response.content == b""
