"""The dashboard in a real browser: Debian's headless Chromium, driven by Selenium through Debian's chromedriver.

Each test starts its own server (127.0.0.1, port 0) and drives the fake through a real SOAP client (zeep), so the
page must follow changes it did not make itself. One browser serves the module; every test opens a new origin
(a new port), so nothing (sessionStorage, caches) carries over. `.ci/run` installs Chromium when it is missing.
"""

from __future__ import annotations

import io
import logging
import shutil
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
import zeep
import zeep.exceptions
from PIL import Image
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

from ips_mock import ServerThread
from ips_mock.requestlog import LOGGER_NAME, RequestLog
from ips_mock.scenario import load_scenario_text
from ips_mock.standalone import AdminPolicy, StandaloneApp
from ips_mock.testing import upload_urls_job

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",  # the CI container runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
    "--force-device-scale-factor=1",
    "--hide-scrollbars",
]

# The default scenario's companies and users, and runs whose outcome follows the job's name.
SCENARIO = """
ips_mock: 1
clock: {start: "2026-01-05T09:00:00-08:00", zone: America/Los_Angeles}
companies: [{name: Example, id: 100}, {name: Other, id: 200}]
users:
  - {email: admin@example.com, password: password, role: IpsAdmin, companies: [Example]}
behaviours:
  - {match: {name: "good-*"}, start_delay: 1s, duration: 2m}
  - {match: {name: "warn-*"}, start_delay: 1s, duration: 2m, warning_items: 1}
  - {match: {name: "bad-*"}, start_delay: 1s, duration: 2m, error_items: 1}
  - match: {name: "slow-*"}
    start_delay: 1s
    duration: 10m
    steps: [{at: 30s, progress: 10}, {at: 2m, progress: 40}, {at: 5m, progress: 80}]
"""

WAIT = 10  # seconds a condition may take to become true: the page polls every second

# Colours of dashboard.css (--success, --warning, --error): what a run's bar must show.
COLOURS = {"success": (0x2E, 0x9D, 0x5B), "warning": (0xE0, 0xA2, 0x1B), "error": (0xD6, 0x45, 0x45)}


def _chromium() -> tuple[str, str]:
    """The browser and its driver, or a failure that says how to get them (never a skip)."""
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or chromedriver is None:
        missing = " and ".join(n for n, p in [("chromium", chromium), ("chromedriver", chromedriver)] if p is None)
        pytest.fail(f"{missing} not found: run .ci/run, which installs Debian's chromium and chromium-driver")
    return chromium, chromedriver


def test_a_missing_browser_fails_with_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(pytest.fail.Exception, match=r"chromium and chromedriver not found: run \.ci/run"):
        _chromium()


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    chromium, chromedriver = _chromium()
    profile = tempfile.mkdtemp(prefix="ips-mock-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = None
    try:
        # Both paths given: Selenium never looks for (or downloads) a browser or a driver itself.
        driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
        yield driver
    finally:
        if driver is not None:
            driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def server() -> Iterator[ServerThread]:
    thread = ServerThread(StandaloneApp(load_scenario_text(SCENARIO, name="dashboard.yaml")))
    thread.start()
    try:
        yield thread
    finally:
        thread.stop()


def _ips(base: str) -> Any:
    session = requests.Session()
    session.auth = ("admin@example.com", "password")
    client = zeep.Client(f"{base}/scene7/webservice/IpsApi-2014-04-03.wsdl", transport=zeep.Transport(session=session))
    return client.service


def _submit(service: Any, name: str, **fields: Any) -> None:
    job = upload_urls_job("https://images.example.com/a.jpg", **fields)
    service.submitJob(companyHandle="c|100", jobName=name, uploadUrlsJob=job)


def _until(browser: WebDriver, condition: Callable[[], Any], what: str) -> Any:
    """Wait for ``condition`` to give something true; the page re-renders, so a stale element is a retry."""

    def check(_: WebDriver) -> Any:
        try:
            return condition()
        except StaleElementReferenceException:
            return False

    return WebDriverWait(browser, WAIT).until(check, f"the dashboard never showed {what}")


REFUSED = "not delivered: host hooks.example.com is not loopback and not allowed (allow it with callback_hosts)".split()


def _text(browser: WebDriver, css: str) -> str:
    return str(browser.find_element(By.CSS_SELECTOR, css).text)


def _bars(browser: WebDriver) -> dict[str, WebElement]:
    return {str(bar.get_attribute("data-run")): bar for bar in browser.find_elements(By.CSS_SELECTOR, ".run")}


def _outcome(browser: WebDriver, job: str) -> str | None:
    bars = browser.find_elements(By.CSS_SELECTOR, f'.lane[data-job="{job}"] .run')
    return bars[-1].get_attribute("data-outcome") if bars else None


def test_the_page_shows_the_clock_and_a_job_submitted_after_it_loaded(browser: WebDriver, server: ServerThread) -> None:
    browser.get(f"{server.url}/__admin/ui/")
    _until(browser, lambda: _text(browser, "#clock-now") == "2026-01-05 09:00:00", "the scenario's start")
    assert _text(browser, "#clock-zone") == "America/Los_Angeles (-08:00)"
    assert "No job definitions yet" in _text(browser, "#definitions")
    assert browser.find_element(By.ID, "assets-panel").is_displayed()  # the catalog, empty so far
    assert "No assets." in _text(browser, "#assets")
    _submit(_ips(server.url), "good-upload")  # the page learns of it by polling
    row = _until(browser, lambda: browser.find_elements(By.CSS_SELECTOR, 'tr[data-job="good-upload"]'), "the job")
    assert row[0].text.split()[:3] == ["good-upload", "uploadUrlsJob", "c|100"]
    assert _outcome(browser, "good-upload") == "queued"  # fired at submit, New for its start delay
    _ips(server.url).submitJob(
        companyHandle="c|100",
        jobName="quarterly",
        execSchedule="0 */15 * * * ?",
        uploadUrlsJob=upload_urls_job("https://images.example.com/b.jpg"),
    )
    cell = _until(browser, lambda: browser.find_elements(By.CSS_SELECTOR, 'tr[data-job="quarterly"] .next-fire'), "it")
    assert cell[0].text == "2026-01-05 09:15:00 (in 15m)"
    # 15 minutes ahead of a 1-minute window: named in its lane, not drawn; 10 minutes on, it is near enough to draw.
    assert _text(browser, '.lane[data-job="quarterly"] .meta') == "0 runs · next 01-05 09:15:00"
    assert not browser.find_elements(By.CSS_SELECTOR, ".marker")
    browser.find_element(By.CSS_SELECTOR, 'button[data-by="10m"]').click()
    marker = _until(browser, lambda: browser.find_elements(By.CSS_SELECTOR, '.lane[data-job="quarterly"] .marker'), "")
    assert marker[0].get_attribute("data-next") == "2026-01-05T09:15:00.000-08:00"
    assert _text(browser, "#status").startswith("live")


def test_the_advance_control_moves_the_clock_and_the_run_along_the_timeline(
    browser: WebDriver, server: ServerThread
) -> None:
    _submit(_ips(server.url), "slow-upload", emailSetting="All", postHttpUrl="https://hooks.example.com/done")
    browser.get(f"{server.url}/__admin/ui/")
    _until(browser, lambda: _outcome(browser, "slow-upload") == "queued", "the queued run")
    assert _text(browser, "#outbox") == "Nothing to send yet."
    browser.find_element(By.CSS_SELECTOR, 'button[data-by="1m"]').click()
    _until(browser, lambda: _text(browser, "#clock-now") == "2026-01-05 09:01:00", "the clock a minute on")
    _until(browser, lambda: _outcome(browser, "slow-upload") == "running", "the run running")
    (bar,) = _bars(browser).values()
    assert bar.get_attribute("data-progress") == "10"
    assert bar.text == "10%"
    fill = bar.find_element(By.CSS_SELECTOR, ".fill")
    assert fill.rect["width"] == pytest.approx(bar.rect["width"] * 0.10, abs=1.5)

    browser.find_element(By.ID, "advance-by").clear()
    browser.find_element(By.ID, "advance-by").send_keys("2m")
    browser.find_element(By.CSS_SELECTOR, "#advance-form button").click()
    _until(browser, lambda: _text(browser, "#clock-now") == "2026-01-05 09:03:00", "the clock at 09:03")
    _until(browser, lambda: next(iter(_bars(browser).values())).text == "40%", "the run at 40 %")
    browser.find_element(By.CSS_SELECTOR, "details.log summary").click()  # open its log: it stays open

    move = browser.find_element(By.ID, "move-to")
    move.clear()
    move.send_keys("2026-01-05T09:20:00-08:00")
    browser.find_element(By.CSS_SELECTOR, "#move-form button").click()
    _until(browser, lambda: _outcome(browser, "slow-upload") == "success", "the run ended")
    assert _text(browser, "#clock-now") == "2026-01-05 09:20:00"
    # The bar runs from the fire (09:00) to the end (09:10): half way to now (09:20) on the timeline.
    (bar,) = _bars(browser).values()
    now_line = browser.find_element(By.CSS_SELECTOR, '.lane[data-job="slow-upload"] .nowline')
    left, right, now = bar.rect["x"], bar.rect["x"] + bar.rect["width"], now_line.rect["x"] + 1
    assert right - left == pytest.approx((now - left) / 2, abs=2)
    log = browser.find_element(By.CSS_SELECTOR, "details.log")
    assert log.get_attribute("open") is not None  # re-rendered since it was opened, still open
    assert "success" in log.find_element(By.TAG_NAME, "summary").text
    details = [row.text for row in log.find_elements(By.CSS_SELECTOR, "tr")]
    assert details[0] == "09:00:01 BeginUploadUrls Upload has begun!"
    assert len(details) == int(log.find_element(By.TAG_NAME, "summary").text.split(" · ")[-1].split()[0])
    outbox = [r.text.split() for r in browser.find_elements(By.CSS_SELECTOR, "#outbox tr")]
    assert outbox == [
        ["2026-01-05", "09:10:00", "HTTP", "https://hooks.example.com/done", "slow-upload", "success", *REFUSED],
        ["2026-01-05", "09:10:00", "e-mail", "admin@example.com", "slow-upload", "success", "not", "sent"],
    ]  # newest first

    move.clear()
    move.send_keys("yesterday")
    browser.find_element(By.CSS_SELECTOR, "#move-form button").click()
    error = _until(browser, lambda: browser.find_element(By.ID, "clock-error").text, "the server's error")
    assert "Invalid isoformat" in error


def test_the_journal_filter_shows_one_operation(browser: WebDriver, server: ServerThread) -> None:
    service = _ips(server.url)
    service.getCompanyInfo(companyName="Example")
    _submit(service, "good-a")
    with pytest.raises(zeep.exceptions.Fault):
        service.getCompanyInfo(companyName="Other")  # the admin is not in Other
    _submit(service, "good-b")
    browser.get(f"{server.url}/__admin/ui/")
    rows = _until(browser, lambda: len(browser.find_elements(By.CSS_SELECTOR, "#journal tr")) == 4, "4 requests")
    assert rows
    select = Select(browser.find_element(By.ID, "journal-filter"))
    assert [o.text for o in select.options] == ["all operations", "getCompanyInfo (2)", "submitJob (2)"]
    select.select_by_value("getCompanyInfo")  # the page asks the server for that operation's requests
    _until(browser, lambda: _text(browser, "#journal-count") == "2 of 4 requests", "the filtered count")
    rows = browser.find_elements(By.CSS_SELECTOR, "#journal tr")
    assert [r.get_attribute("data-operation") for r in rows] == ["getCompanyInfo", "getCompanyInfo"]
    faults = [r.find_elements(By.TAG_NAME, "td")[5].text for r in rows]
    assert [f.isdigit() for f in faults] == [True, False]  # newest first: the fault code, then none
    # The filter survives the page's next update.
    service.getCompanyInfo(companyName="Example")
    _until(browser, lambda: _text(browser, "#journal-count") == "3 of 5 requests", "the new request, filtered")
    assert {r.get_attribute("data-operation") for r in browser.find_elements(By.CSS_SELECTOR, "#journal tr")} == {
        "getCompanyInfo"
    }


def test_a_tenants_page_shows_only_that_tenant(browser: WebDriver, server: ServerThread) -> None:
    _submit(_ips(server.url), "good-default")
    _submit(_ips(f"{server.url}/t/alice"), "good-alice")
    _ips(f"{server.url}/t/bob").getCompanyInfo(companyName="Example")
    browser.get(f"{server.url}/t/alice/__admin/ui/")
    _until(browser, lambda: browser.find_elements(By.CSS_SELECTOR, 'tr[data-job="good-alice"]'), "alice's job")
    assert [r.get_attribute("data-job") for r in browser.find_elements(By.CSS_SELECTOR, "#definitions tr")] == [
        "good-alice"
    ]
    assert [r.get_attribute("data-operation") for r in browser.find_elements(By.CSS_SELECTOR, "#journal tr")] == [
        "submitJob"
    ]
    assert _text(browser, "#where") == "tenant alice"
    links = browser.find_elements(By.CSS_SELECTOR, "#tenants a")
    assert [(a.text, a.get_attribute("aria-current")) for a in links] == [
        ("default", None),
        ("alice", "page"),
        ("bob", None),
    ]
    links[0].click()  # the default fake's page
    _until(browser, lambda: browser.find_elements(By.CSS_SELECTOR, 'tr[data-job="good-default"]'), "the default")
    assert browser.current_url == f"{server.url}/__admin/ui/"
    assert not browser.find_elements(By.CSS_SELECTOR, 'tr[data-job="good-alice"]')


def test_with_a_token_the_page_asks_for_it_once_and_keeps_it_out_of_the_address(browser: WebDriver) -> None:
    app = StandaloneApp(load_scenario_text(SCENARIO, name="dashboard.yaml"), policy=AdminPolicy(token="s3cret"))
    with ServerThread(app) as server:
        browser.get(f"{server.url}/__admin/ui/")
        _until(browser, lambda: browser.find_element(By.ID, "token-panel").is_displayed(), "the token form")
        assert _text(browser, "#status") == "admin token needed"
        browser.find_element(By.ID, "token-input").send_keys("s3cret")
        browser.find_element(By.CSS_SELECTOR, "#token-form button").click()
        _until(browser, lambda: _text(browser, "#clock-now") == "2026-01-05 09:00:00", "the clock")
        assert not browser.find_element(By.ID, "token-panel").is_displayed()

    app = StandaloneApp(load_scenario_text(SCENARIO, name="dashboard.yaml"), policy=AdminPolicy(token="t0ken"))
    with ServerThread(app) as server:
        browser.get(f"{server.url}/__admin/ui/?token=t0ken")
        _until(browser, lambda: _text(browser, "#clock-now") == "2026-01-05 09:00:00", "the clock")
        assert browser.current_url == f"{server.url}/__admin/ui/"  # taken out of the address bar and history
        browser.find_element(By.CSS_SELECTOR, 'button[data-by="1h"]').click()  # mutations carry it too
        _until(browser, lambda: _text(browser, "#clock-now") == "2026-01-05 10:00:00", "the clock an hour on")


def test_in_the_request_log_the_pages_polls_are_debug_lines_and_its_clicks_info(
    browser: WebDriver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER_NAME)
    with ServerThread(RequestLog(StandaloneApp(load_scenario_text(SCENARIO, name="dashboard.yaml")))) as server:
        browser.get(f"{server.url}/__admin/ui/")
        browser.find_element(By.CSS_SELECTOR, 'button[data-by="1m"]').click()
        _until(browser, lambda: _text(browser, "#clock-now") == "2026-01-05 09:01:00", "the clock a minute on")
    lines = {(r.levelname, *r.getMessage().split()[:2]) for r in caplog.records}
    assert {("INFO", "GET", "/__admin/ui/"), ("INFO", "GET", "/__admin/ui/dashboard.js")} <= lines
    assert ("INFO", "POST", "/__admin/clock/advance") in lines
    polls = {line for line in lines if line[1] == "GET" and not line[2].startswith("/__admin/ui")}
    assert {level for level, *_ in polls} == {"DEBUG"}, sorted(polls)
    assert {path for *_, path in polls} >= {"/__admin/state", "/__admin/clock", "/__admin/journal"}


def _colour_at(image: Image.Image, x: float, y: float) -> tuple[int, int, int]:
    pixel = image.getpixel((round(x), round(y)))
    assert isinstance(pixel, tuple)
    return (int(pixel[0]), int(pixel[1]), int(pixel[2]))


def test_the_timeline_screenshot_shows_coloured_bars_in_fire_order(browser: WebDriver, server: ServerThread) -> None:
    service = _ips(server.url)
    for name in ["good-upload", "warn-upload", "bad-upload"]:
        _submit(service, name)
        requests.post(
            f"{server.url}/__admin/clock/advance", json={"by": "3m"}, timeout=10
        ).raise_for_status()  # each run ends (2 min) before the next fires
    _submit(service, "slow-upload")
    requests.post(f"{server.url}/__admin/clock/advance", json={"by": "2m"}, timeout=10).raise_for_status()
    browser.get(f"{server.url}/__admin/ui/")
    _until(browser, lambda: _outcome(browser, "slow-upload") == "running", "four runs")
    timeline = browser.find_element(By.ID, "timeline")
    image = Image.open(io.BytesIO(timeline.screenshot_as_png)).convert("RGB")
    origin = timeline.rect
    # The screenshot is the timeline element, at one device pixel per CSS pixel: four lanes and an axis.
    assert image.size == (round(origin["width"]), round(origin["height"]))
    assert origin["width"] > 1000
    assert len(browser.find_elements(By.CSS_SELECTOR, ".lane")) == 4

    bars = _bars(browser)
    lefts = []
    for job, outcome in [("good-upload", "success"), ("warn-upload", "warning"), ("bad-upload", "error")]:
        (name,) = [n for n in bars if n.startswith(job)]
        rect = bars[name].rect
        centre = (rect["x"] - origin["x"] + rect["width"] / 2, rect["y"] - origin["y"] + rect["height"] / 2)
        colour = _colour_at(image, *centre)
        assert max(abs(a - b) for a, b in zip(colour, COLOURS[outcome], strict=True)) <= 8, (job, colour)
        lefts.append(rect["x"])
    # Fired 3 minutes apart over a window of 11 minutes (09:00 to 09:11): equal steps, left to right.
    assert lefts[0] < lefts[1] < lefts[2]
    assert lefts[2] - lefts[1] == pytest.approx(lefts[1] - lefts[0], abs=2)
    # The running run: its progress fill at its left, the rest of its bar lighter, the now line at its right end.
    running = next(b for n, b in bars.items() if n.startswith("slow-upload")).rect
    y = running["y"] - origin["y"] + running["height"] / 2
    fill_colour = _colour_at(image, running["x"] - origin["x"] + 2, y)
    rest_colour = _colour_at(image, running["x"] - origin["x"] + running["width"] * 0.9, y)
    assert sum(fill_colour) < sum(rest_colour)
