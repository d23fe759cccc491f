"""Time from `streamlit run` to a usable chat and to the first answer, in headless Chromium.

Two starts: with an index that matches the corpus (as a committed bundled index would), and with
no index at all (built in the background while the page is usable). Prints the figures side by
side; asserts nothing.

    python benchmarks/first_answer.py [--index-dir index]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_browser import QUESTION, ask_in_chat, make_driver, start_app, stop_app, wait_healthy  # noqa: E402


def one_start(tmp: Path, index_dir: Path) -> dict[str, float]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    started = time.perf_counter()
    server, url, _ = start_app(tmp, index_dir=index_dir)
    driver = None
    try:
        wait_healthy(url, server, timeout=120)
        healthy = time.perf_counter()
        driver = make_driver(tmp / "profile")
        driver.get(url)
        WebDriverWait(driver, 120).until(
            ec.element_to_be_clickable((By.CSS_SELECTOR, '[data-testid="stChatInputTextArea"]')))
        usable = time.perf_counter()
        ask_in_chat(driver, QUESTION, timeout=600)
        answered = time.perf_counter()
    finally:
        if driver is not None:
            driver.quit()
        stop_app(server)
    return {"server": healthy - started, "chat usable": usable - healthy, "first answer": answered - healthy}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, help="an index that matches the corpus (default: built first)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="first-answer-") as tmp_dir:
        tmp = Path(tmp_dir)
        shipped = args.index_dir
        if shipped is None:
            shipped = tmp / "shipped-index"
            subprocess.run([sys.executable, "-m", "assistant", "index", "--index-dir", str(shipped)], cwd=ROOT,
                           check=True, capture_output=True)
        (tmp / "a").mkdir()
        (tmp / "b").mkdir()
        fresh = one_start(tmp / "a", shipped)
        empty = one_start(tmp / "b", tmp / "b" / "no-index")
    print("seconds after the server is up     index shipped and fresh | no index (background build)")
    for key in ("chat usable", "first answer"):
        print(f"  {key:<32} {fresh[key]:>8.1f} s                 | {empty[key]:>8.1f} s")
    print(f"  (server start itself: {fresh['server']:.1f} s / {empty['server']:.1f} s)")


if __name__ == "__main__":
    main()
