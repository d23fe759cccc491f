"""The real app in a real browser: `streamlit run` as a subprocess, driven by headless Chromium.

Run with: python -m pytest tests/test_browser.py -m browser -q
Needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver).
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from assistant.config import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
QUESTION = "Quelle part des musées a une stratégie numérique ?"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                       reason="Chromium or chromedriver missing: apt-get install -y chromium chromium-driver"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, server: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} not healthy after {timeout:.0f} s")


def start_app(tmp_path: Path, index_dir: Path | None = None) -> tuple[subprocess.Popen, str, Path]:
    """`streamlit run app_streamlit.py` on a free port, with its own data dir (and index dir unless given)."""
    port = free_port()
    env = {**os.environ, "MUSENOR_INDEX_DIR": str(index_dir or tmp_path / "index"),
           "MUSENOR_DATA_DIR": str(tmp_path / "data")}
    log_path = tmp_path / "streamlit.log"
    log = open(log_path, "wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app_streamlit.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    log.close()
    return server, f"http://127.0.0.1:{port}", log_path


def stop_app(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=15)


def make_driver(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,1000", "--lang=fr-FR", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def ask_in_chat(driver, question: str, timeout: float = 120):
    """Type the question in the chat input, send it, and return the last assistant message element."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(driver, timeout)
    box = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, '[data-testid="stChatInputTextArea"]')))
    box.click()
    box.send_keys(question)
    box.send_keys(Keys.ENTER)

    def answered(drv):
        messages = drv.find_elements(By.CSS_SELECTOR, '[data-testid="stChatMessage"]')
        texts = [m.text for m in messages]
        return messages[-1] if any("34" in t and "[1]" in t for t in texts) else False

    return wait.until(answered)


def open_tab(driver, label: str, ready_css: str, timeout: float = 60) -> None:
    """Click one of the app's page tabs and wait until an element of that page is shown."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    tab = next(t for t in driver.find_elements(By.CSS_SELECTOR, '[role="tab"]') if t.text.strip() == label)
    driver.execute_script("arguments[0].click();", tab)  # a real click can land on the sticky header
    WebDriverWait(driver, timeout).until(ec.visibility_of_element_located((By.CSS_SELECTOR, ready_css)))
    time.sleep(1)  # let the page settle (charts, fonts) before a screenshot or an audit


PAGES = [("Assistant", '[data-testid="stChatInput"]', "chat"),
         ("Chiffres clés", '[data-testid="stDataFrame"]', "chiffres"),
         ("Ressources du réseau", '[data-testid="stExpander"]', "ressources"),
         ("Préparer une intervention", '[data-testid="stMultiSelect"]', "intervention")]
WIDTHS = (1366, 390)


def screenshot(driver, name: str, width: int, height: int = 2400) -> None:
    """A tall screenshot of the page at `width` px (the window grows so the page is seen whole)."""
    driver.set_window_size(width, height)
    time.sleep(1.5)
    driver.execute_script("""window.scrollTo(0, 0);
        for (const el of document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppScrollToBottomContainer"]'))
            el.scrollTop = 0;""")
    time.sleep(0.5)
    driver.save_screenshot(str(ARTIFACTS / f"{name}_{width}.png"))


def chart_labels(driver) -> list[dict]:
    """Every text of the key-figures chart (an SVG drawn by Vega) with its box in the page."""
    return driver.execute_script("""
        return [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg text')].map(t => {
            const r = t.getBoundingClientRect();
            return {text: t.textContent, left: r.left, right: r.right, width: r.width};
        });""")


def choose_themes(driver, labels: list[str]) -> None:
    """Pick themes in the kit page's multiselect the way a user does: type, then Enter."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element(By.CSS_SELECTOR, '[data-testid="stMultiSelect"] input')
    for label in labels:
        box.click()
        box.send_keys(label)
        time.sleep(0.8)
        box.send_keys(Keys.ENTER)
        time.sleep(1.5)
    box.send_keys(Keys.ESCAPE)


def wait_for_file(folder: Path, suffix: str, timeout: float = 60) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for p in folder.glob(f"*{suffix}") if p.stat().st_size > 0]
        if found:
            time.sleep(0.5)
            return found[0]
        time.sleep(0.5)
    raise TimeoutError(f"no {suffix} downloaded into {folder}")


@contextlib.contextmanager
def browser_on_app(tmp_path: Path, index_dir: Path) -> Iterator:
    """A Chromium driver on a freshly started app; on failure the server log and a screenshot are kept."""
    server, url, log_path = start_app(tmp_path, index_dir=index_dir)
    driver = None
    try:
        wait_healthy(url, server, timeout=60)
        driver = make_driver(tmp_path / "chromium-profile")
        yield driver, url
        assert "Traceback" not in driver.page_source
    except Exception:
        print(log_path.read_text(errors="replace")[-4000:])
        if driver is not None:
            driver.save_screenshot(str(ARTIFACTS / "browser_failure.png"))
        raise
    finally:
        if driver is not None:
            driver.quit()
        stop_app(server)


def test_kit_downloads_chart_labels_and_screenshots(tmp_path: Path, real_settings, real_engine) -> None:
    """A talk kit built and downloaded (deck and Markdown) in a real browser; the key-figures chart
    read at 390 px; every page photographed at 1366 and 390 px (tests/artifacts/)."""
    from pptx import Presentation
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with browser_on_app(tmp_path, real_settings.index_dir) as (driver, url):
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        driver.get(url)
        ask_in_chat(driver, QUESTION, timeout=180)
        assert driver.execute_script("return document.documentElement.lang") == "fr"

        open_tab(driver, "Préparer une intervention", '[data-testid="stMultiSelect"]')
        choose_themes(driver, ["Éco-responsabilité", "Réseaux"])
        WebDriverWait(driver, 60).until(ec.visibility_of_element_located(
            (By.CSS_SELECTOR, '[data-testid="stVegaLiteChart"] svg text')))
        for label in ("Diaporama (PowerPoint)", "Kit complet (Markdown)"):
            button = next(b for b in driver.find_elements(By.CSS_SELECTOR, '[data-testid="stDownloadButton"] button')
                          if label in b.text)
            driver.execute_script("arguments[0].click();", button)
        deck_path = wait_for_file(downloads, ".pptx")
        markdown = wait_for_file(downloads, ".md").read_text(encoding="utf-8")
        deck = Presentation(str(deck_path))
        texts = ["\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides]
        assert texts[1].startswith("Éco-responsabilité") and texts[2].startswith("Réseaux")
        assert "moins de 30 %" in texts[1] and "près d'un tiers" in texts[1]
        assert any(t.startswith("Sources") and "[1] " in t for t in texts[3:])
        assert "## Éco-responsabilité" in markdown and "## Sources" in markdown and "moins de 30 %" in markdown

        driver.set_window_size(390, 2400)
        open_tab(driver, "Chiffres clés", '[data-testid="stVegaLiteChart"] svg text')
        labels = chart_labels(driver)
        width = driver.execute_script("return document.documentElement.clientWidth")
        words = [label["text"] for label in labels]
        assert "moins de 40 %" in words and "moins de 30 %" in words and "près d'un tiers" in words
        assert all(label["right"] <= width + 1 and label["left"] >= -1 for label in labels), (width, labels)
        assert not any(w.endswith("…") for w in words)  # labels wrapped, never cut
        assert sum("— selon «" in w for w in words) >= 2  # both sides of a divergence named

        for label, ready, name in PAGES:
            for size in WIDTHS:
                driver.set_window_size(size, 1000)
                open_tab(driver, label, ready)
                screenshot(driver, f"page_{name}", size)


def test_chat_answers_in_a_real_browser(tmp_path: Path, real_settings) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # The session's temporary real index: built by the first test that needs it, here or elsewhere.
    with browser_on_app(tmp_path, real_settings.index_dir) as (driver, url):
        driver.get(url)
        message = ask_in_chat(driver, QUESTION, timeout=180)  # may build the index first (~1 min)
        assert "34" in message.text and "[1]" in message.text
        from selenium.webdriver.common.by import By

        assert driver.find_elements(By.CSS_SELECTOR, '[data-testid="stExpander"]'), "no source expanders"
        driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", message)
        time.sleep(1)
        driver.save_screenshot(str(ARTIFACTS / "browser_chat.png"))
        assert "Traceback" not in driver.page_source

        message.find_element(By.CSS_SELECTOR, '[data-testid="stExpander"] summary').click()
        time.sleep(1)
        driver.save_screenshot(str(ARTIFACTS / "browser_sources.png"))
        open_tab(driver, "Chiffres clés", '[data-testid="stDataFrame"]')
        driver.save_screenshot(str(ARTIFACTS / "browser_figures.png"))
        open_tab(driver, "Ressources du réseau", '[data-testid="stExpander"]')
        driver.save_screenshot(str(ARTIFACTS / "browser_resources.png"))
