"""The real app (AppTest and headless Chromium) shows outside text escaped: URL parameters and upload names.

A link such as ``?since=![x](http://evil.example/x.png)`` used to make the viewer's browser fetch that image.
"""

from __future__ import annotations

import urllib.parse

import pytest

import geo

from tests.test_app import _navigation_like_the_server, open_app  # noqa: F401 - the fixture is autouse
from tests.test_browser import CHROMIUM, app_server, browser, offline_page  # noqa: F401 - fixtures

EVIL = "![x](http://evil.example/x.png)"
LINKS = [{"since": EVIL}, {"weapon": EVIL}, {"bbox": EVIL}, {"min_fatalities": "[a](http://evil.example/)"}]


@pytest.mark.parametrize("params", LINKS, ids=lambda p: next(iter(p)))
def test_a_bad_link_is_reported_with_escaped_text(params):
    at = open_app(**params)
    warning = at.warning[0].value
    value = next(iter(params.values()))
    assert "not understood" in warning
    assert geo.escape_markdown(value) in warning and value not in warning


@pytest.fixture()
def _own_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("CEM_DATA_DIR", str(tmp_path / "user"))


@pytest.mark.usefixtures("_own_data_folder")
def test_an_upload_name_is_shown_escaped():
    at = open_app()
    at.switch_page("pages/import.py").run()
    name = "![x](http://evil.example/x.png).csv"
    at.file_uploader(key="import_file").set_value((name, b"\x00\x01 not a table", "text/csv")).run()
    assert not at.exception
    shown = [e.value for e in at.error]
    assert any(geo.escape_markdown(name) in text for text in shown), shown  # the name is there, escaped
    assert not any(name in text for text in shown), shown


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)")
@pytest.mark.parametrize("params", LINKS, ids=lambda p: next(iter(p)))
def test_a_bad_link_fetches_nothing_outside_in_the_browser(app_server, offline_page, params):
    url, _ = app_server
    page = offline_page
    page.goto(url + "?" + urllib.parse.urlencode(params))
    alert = page.get_by_text("not understood")
    alert.wait_for(timeout=30_000)
    page.wait_for_timeout(800)
    shown = alert.inner_text().replace("\u2060", "")  # (the word joiner that keeps addresses from being links)
    assert next(iter(params.values())) in shown  # the user sees the very text of the link...
    assert page.locator("[data-testid='stAlert'] img, [data-testid='stAlert'] a").count() == 0  # ...as text
    assert page.outside == [], f"outside requests attempted: {page.outside}"
