"""Who may write, asked as an attacker would (issue 35, points 5, 6, 7 and 10): a copied
cookie after logout or a new token, a trusted proxy without a token, a page of another
site that rebinds its name to this machine, a login that sends its reader elsewhere, and
the cookie's Secure flag."""

from __future__ import annotations

import re
import threading
from urllib.parse import urljoin, urlsplit

import pytest
from click.testing import CliRunner
from werkzeug.serving import make_server

from core.settings import Settings
from presscut import cli
from webapp import create_app, server

from .conftest import CHROMIUM, CORPUS

TOKEN = "s3cret-token"


@pytest.fixture()
def app_at(seed_index, tmp_path):
    """Apps over the seed index sharing one collections file (so one secret key and one
    list of logins: a restart of the same server)."""
    def make(**settings):
        values = {"index": seed_index, "corpus": CORPUS,
                  "collections": str(tmp_path / "collections.sqlite3"), **settings}
        return create_app(Settings.defaults(**values))
    return make


def csrf_of(client, path: str, **kwargs) -> str:
    page = client.get(path, **kwargs).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


# The Referrer-Policy values under which a browser sends a Referer to the same site.
SAME_SITE_REFERER = {"same-origin", "origin", "strict-origin", "origin-when-cross-origin",
                     "strict-origin-when-cross-origin", "no-referrer-when-downgrade", "unsafe-url"}


def log_in(client, base_url: str = "http://localhost", address: str | None = None,
           **kwargs) -> str:
    """Log in through the form, as a browser at ``address`` (that of the request unless a
    proxy stands between) does: with the Referer the login page's Referrer-Policy lets it
    send. The session cookie it sets."""
    page = client.get("/login", base_url=base_url, **kwargs)
    form = {"token": TOKEN,
            "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))[1]}
    headers = dict(kwargs.pop("headers", {}))
    if page.headers["Referrer-Policy"] in SAME_SITE_REFERER:
        headers["Referer"] = f"{address or base_url}/login"
    answer = client.post("/login", data=form, base_url=base_url, headers=headers, **kwargs)
    assert answer.status_code == 302
    return client.get_cookie("session").value


def write(client, **headers):
    return client.post("/api/collections", json={"name": "Notes"}, headers=headers)


def test_a_copy_of_a_writer_cookie_writes_no_more_after_logout(app_at):
    browser = app_at(token=TOKEN).test_client()
    copied = log_in(browser)
    assert write(browser).status_code == 201
    other = app_at(token=TOKEN).test_client()
    log_in(other)  # another reader's login is their own
    logout = browser.post("/logout", data={"csrf_token": csrf_of(browser, "/collections")})
    assert logout.status_code == 302 and write(browser).status_code == 401
    thief = app_at(token=TOKEN).test_client()
    thief.set_cookie("session", copied)
    refused = write(thief)
    assert refused.status_code == 401 and "token" in refused.get_json()["error"]
    assert write(other).status_code == 201


def test_a_new_token_ends_the_logins_made_with_the_old_one(app_at):
    copied = log_in(app_at(token=TOKEN).test_client())
    restarted = app_at(token="a-new-token").test_client()
    restarted.set_cookie("session", copied)
    assert write(restarted).status_code == 401
    assert write(restarted, Authorization=f"Bearer {TOKEN}").status_code == 403
    assert write(restarted, Authorization="Bearer a-new-token").status_code == 201


def test_trusting_a_proxy_without_a_token_refuses_writes_and_says_why(app_at):
    client = app_at(trust_proxy=1).test_client()
    refused = write(client, **{"X-Forwarded-For": "203.0.113.5"})
    assert refused.status_code == 403 and "PRESSCUT_TRUST_PROXY" in refused.get_json()["error"]
    assert write(app_at(trust_proxy=1, token=TOKEN).test_client(),
                 Authorization=f"Bearer {TOKEN}").status_code == 201


def test_presscut_serve_says_at_start_that_a_trusted_proxy_without_a_token_is_read_only(
        seed_index, tmp_path, monkeypatch):
    monkeypatch.setattr(server, "serve", lambda app, settings: None)  # start, not serve
    env = {"PRESSCUT_TRUST_PROXY": "1", "PRESSCUT_TOKEN": "",
           "PRESSCUT_COLLECTIONS": str(tmp_path / "c.sqlite3")}
    started = CliRunner().invoke(cli.main, ["serve", "--index", str(seed_index)], env=env)
    assert started.exit_code == 0, started.output
    assert "Serving read-only" in started.stderr and "PRESSCUT_TRUST_PROXY" in started.stderr


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:5000",
                                  "127.0.0.1.attacker.example", "localhost.attacker.example:5000",
                                  "[::2]:5000"])
def test_a_page_of_another_site_that_rebinds_its_name_gets_nothing(app_at, host):
    client = app_at().test_client()  # local mode: writes open to this machine
    for answer in (write(client, Host=host), client.get("/api/search?q=CSTO", headers={"Host": host}),
                   client.get("/", headers={"Host": host})):
        assert answer.status_code == 400
        assert "answers to" in answer.get_data(as_text=True)


@pytest.mark.parametrize(("settings", "host"), [
    ({}, "127.0.0.1:5000"), ({}, "localhost:5000"), ({}, "[::1]:5000"), ({}, "LOCALHOST"),
    ({}, "localhost.:5000"),
    ({"host": "0.0.0.0"}, "192.0.2.10:5000"), ({"host": "0.0.0.0"}, "[2001:db8::1]"),
    ({"base_url": "https://archive.example.org/press"}, "archive.example.org"),
    ({"allowed_hosts": ".example.net"}, "news.example.net"),
    ({"allowed_hosts": "press.example.com, other.example"}, "other.example:8080"),
])
def test_the_servers_own_names_are_answered(app_at, settings, host):
    assert app_at(**settings).test_client().get("/api/search?q=CSTO",
                                                headers={"Host": host}).status_code == 200


def test_behind_a_proxy_the_forwarded_host_must_be_one_of_its_names(app_at):
    client = app_at(trust_proxy=1, base_url="https://archive.example.org").test_client()
    assert client.get("/", headers={"X-Forwarded-Host": "archive.example.org"}).status_code == 200
    assert client.get("/", headers={"X-Forwarded-Host": "attacker.example"}).status_code == 400


@pytest.mark.parametrize("target", [
    "/%09/evil.com", "//evil.com", "/%0a/x", "/%0d%0aSet-Cookie:%20x=1", "%5C%5Cevil.com",
    "/%5Cevil.com", "/%5C/evil.com", "https://evil.com/", "%2F%2Fevil.com", "%20//evil.com",
    "/%E2%80%A8/evil.com", "javascript:alert(1)", "///evil.com", "http:/evil.com"])
def test_login_sends_its_reader_back_only_to_a_path_of_this_site(app_at, target):
    local = app_at().test_client().get(f"/login?next={target}")  # no token: straight back
    logged = app_at(token=TOKEN).test_client()
    token_form = logged.post(f"/login?next={target}",
                             data={"token": TOKEN, "csrf_token": csrf_of(logged, "/login")})
    for answer in (local, token_form):
        assert answer.status_code == 302
        # Where a browser goes: it drops tabs and line breaks and reads \ as / (WHATWG URL).
        location = re.sub(r"[\t\n\r]", "", answer.headers["Location"]).replace("\\", "/")
        assert urlsplit(urljoin("http://localhost/login", location)).netloc == "localhost"
        assert answer.headers["Location"] == "/"


def test_login_sends_its_reader_back_to_where_they_were(app_at):
    answer = app_at().test_client().get("/login?next=/collections%3Fq%3D%C6%8Fli")
    assert answer.status_code == 302 and answer.headers["Location"] == "/collections?q=%C6%8Fli"


def test_the_session_cookie_is_secure_when_served_over_https(app_at):
    plain = app_at(token=TOKEN).test_client()
    log_in(plain)
    assert not plain.get_cookie("session").secure
    tls = app_at(token=TOKEN).test_client()
    log_in(tls, base_url="https://localhost")
    assert tls.get_cookie("session").secure
    proxied = app_at(token=TOKEN, trust_proxy=1).test_client()
    log_in(proxied, address="https://localhost", headers={"X-Forwarded-Proto": "https"})
    assert proxied.get_cookie("session").secure
    public = app_at(token=TOKEN, base_url="https://archive.example.org").test_client()
    log_in(public, base_url="https://localhost")  # a proxy in front, not trusted
    assert public.get_cookie("session").secure


@pytest.fixture(scope="module")
def rebinding_browser(browser):
    """Chromium resolving attacker.example and evil.example to this machine, as a DNS
    rebinding makes a browser do."""
    rebound = browser.browser_type.launch(
        executable_path=str(CHROMIUM), headless=True,
        args=["--no-sandbox", "--disable-gpu", "--no-first-run",
              "--host-resolver-rules=MAP attacker.example 127.0.0.1, MAP evil.example 127.0.0.1"])
    yield rebound
    rebound.close()


@pytest.fixture(scope="module")
def local_server(seed_index, tmp_path_factory):
    """The app in local mode (no token, loopback: writes open to this machine), served."""
    app = create_app(Settings.defaults(index=seed_index, corpus=CORPUS, collections=str(
        tmp_path_factory.mktemp("local") / "c.sqlite3")))
    served = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=served.serve_forever, daemon=True).start()
    yield served.server_port
    served.shutdown()


@pytest.mark.browser
def test_in_chromium_a_rebound_name_gets_nothing_and_login_stays_on_the_site(
        rebinding_browser, local_server):
    page = rebinding_browser.new_page()
    rebound = page.goto(f"http://attacker.example:{local_server}/collections")
    assert rebound.status == 400 and "answers to" in page.inner_text("main")
    for target in ("/%09/evil.example", "/%5C/evil.example", "//evil.example"):
        page.goto(f"http://127.0.0.1:{local_server}/login?next={target}")
        assert urlsplit(page.url).hostname == "127.0.0.1", (target, page.url)
    page.close()
