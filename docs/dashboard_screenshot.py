"""Redo docs/dashboard.png: the dashboard of a server with a few runs, tenants, an outbox and a fault.

Run from the checkout, with Debian's chromium and chromium-driver installed (``.ci/run`` installs them):
``.venv/bin/python docs/dashboard_screenshot.py``. The PNG is reduced to 256 colours to stay small.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
import zeep
import zeep.exceptions
from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from ips_mock import ServerThread
from ips_mock.scenario import load_scenario_text
from ips_mock.standalone import StandaloneApp
from ips_mock.testing import upload_urls_job

OUT = Path(__file__).resolve().parent / "dashboard.png"
SCENARIO = """
ips_mock: 1
clock: {start: "2026-01-05T09:00:00-08:00", zone: America/Los_Angeles}
companies: [{name: Example, id: 100}, {name: Other, id: 200}]
users: [{email: admin@example.com, password: password, role: IpsAdmin, companies: [Example]}]
behaviours:
  - {match: {name: "good-*"}, start_delay: 1s, duration: 2m}
  - {match: {name: "warn-*"}, start_delay: 1s, duration: 2m, warning_items: 1}
  - {match: {name: "bad-*"}, start_delay: 1s, duration: 2m, error_items: 1}
  - {match: {name: "slow-*"}, start_delay: 1s, duration: 10m, steps: [{at: 2m, progress: 40}]}
"""
IMAGES = "https://images.example.com"


def _ips(base: str) -> Any:
    session = requests.Session()
    session.auth = ("admin@example.com", "password")
    client = zeep.Client(f"{base}/scene7/webservice/IpsApi-2014-04-03.wsdl", transport=zeep.Transport(session=session))
    return client.service


def _fill(base: str) -> None:
    ips = _ips(base)

    def advance(by: str) -> None:
        requests.post(f"{base}/__admin/clock/advance", json={"by": by}, timeout=10).raise_for_status()

    def submit(name: str, *urls: str, **fields: Any) -> None:
        job = upload_urls_job(*(f"{IMAGES}/{u}" for u in urls), **fields)
        ips.submitJob(companyHandle="c|100", jobName=name, uploadUrlsJob=job)

    ips.getCompanyInfo(companyName="Example")
    submit(
        "good-upload", "hero.jpg", "banner.png", emailSetting="All", postHttpUrl="https://hooks.example.com/ips/done"
    )
    advance("3m")
    submit("warn-upload", "a.jpg", "b.jpg", emailSetting="ErrorAndWarning")
    advance("3m")
    submit("bad-upload", "c.jpg", "d.jpg", emailSetting="Error")
    advance("3m")
    submit("slow-upload", "e.tif")
    job = upload_urls_job(f"{IMAGES}/feed.jpg")
    ips.submitJob(companyHandle="c|100", jobName="sync-every-15m", execSchedule="0 */15 * * * ?", uploadUrlsJob=job)
    ips.getActiveJobs(companyHandle="c|100")
    advance("3m")
    ips.getJobLogs(companyHandle="c|100")
    with contextlib.suppress(zeep.exceptions.Fault):
        ips.getCompanyInfo(companyName="Other")  # the admin is not in Other: a fault in the journal
    for tenant in ["alice", "ci-run-42"]:
        _ips(f"{base}/t/{tenant}").getCompanyInfo(companyName="Example")


def main() -> int:
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or chromedriver is None:
        print("chromium or chromedriver not found: run .ci/run", file=sys.stderr)
        return 2
    profile = tempfile.mkdtemp(prefix="ips-mock-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--window-size=1280,1000",
        f"--user-data-dir={profile}",
    ]:
        options.add_argument(flag)
    with ServerThread(StandaloneApp(load_scenario_text(SCENARIO, name="screenshot.yaml"))) as server:
        _fill(server.url)
        driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
        try:
            driver.get(f"{server.url}/__admin/ui/")
            time.sleep(2)  # a poll or two: the page is complete
            driver.find_element(By.CSS_SELECTOR, "details.log summary").click()
            height = driver.execute_script(
                "return document.documentElement.scrollHeight + window.outerHeight - window.innerHeight"
            )
            driver.set_window_size(1280, height)
            time.sleep(0.5)
            png = driver.get_screenshot_as_png()
        finally:
            driver.quit()
            shutil.rmtree(profile, ignore_errors=True)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(OUT, optimize=True)
    print(f"{OUT}: {image.size[0]}x{image.size[1]}, {OUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
