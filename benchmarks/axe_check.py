"""Accessibility audit of the running app with axe-core (WCAG 2.x A/AA rules), in headless Chromium.

Starts `streamlit run app_streamlit.py`, asks a question, opens each page, runs axe on it and saves
the violations to tests/artifacts/axe.json; prints a summary. Asserts nothing.

    python benchmarks/axe_check.py                   # installs axe-core with npm into a temp dir
    python benchmarks/axe_check.py --axe node_modules/axe-core/axe.min.js --index-dir index

Needs Debian's chromium and chromium-driver, and npm (or --axe) for axe-core.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_browser import (ARTIFACTS, PAGES, QUESTION, ask_in_chat, choose_themes,  # noqa: E402
                                make_driver, open_tab, start_app, stop_app, wait_healthy)

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (1366, 390)
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})
   .then(r => done(JSON.stringify(r.violations)))
   .catch(e => done(JSON.stringify({error: String(e)})));
"""


def axe_source(given: str | None, workdir: Path) -> str:
    if given:
        return Path(given).read_text(encoding="utf-8")
    subprocess.run(["npm", "install", "--prefix", str(workdir), "--no-audit", "--no-fund", "--silent", "axe-core"],
                   check=True, timeout=300)
    return (workdir / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


def audit(driver, source: str) -> list[dict]:
    driver.execute_script(source)
    raw = json.loads(driver.execute_async_script(RUN_AXE, TAGS))
    if isinstance(raw, dict):
        raise RuntimeError(f"axe failed: {raw.get('error')}")
    return [{"id": v["id"], "impact": v.get("impact"), "help": v["help"], "helpUrl": v.get("helpUrl"),
             "nodes": [{"target": n.get("target"), "html": n.get("html", "")[:300],
                        "summary": n.get("failureSummary", "")[:300]} for n in v["nodes"][:10]],
             "count": len(v["nodes"])} for v in raw]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--axe", help="path to axe.min.js (default: npm install axe-core in a temp dir)")
    parser.add_argument("--index-dir", type=Path, help="existing index to reuse (default: built in a temp dir)")
    parser.add_argument("--output", type=Path, default=ARTIFACTS / "axe.json")
    args = parser.parse_args()

    from selenium.webdriver.common.by import By

    with tempfile.TemporaryDirectory(prefix="axe-check-") as tmp:
        tmp_path = Path(tmp)
        source = axe_source(args.axe, tmp_path / "npm")
        server, url, log_path = start_app(tmp_path, index_dir=args.index_dir)
        driver = None
        results: dict[str, list[dict]] = {}
        try:
            wait_healthy(url, server, timeout=60)
            driver = make_driver(tmp_path / "profile")
            driver.set_script_timeout(120)
            driver.get(url)
            message = ask_in_chat(driver, QUESTION, timeout=300)
            message.find_element(By.CSS_SELECTOR, '[data-testid="stExpander"] summary').click()
            time.sleep(1)
            open_tab(driver, "Préparer une intervention", '[data-testid="stMultiSelect"]')
            choose_themes(driver, ["Accessibilité", "Réseaux"])  # audit the kit page with a kit on it
            time.sleep(3)
            for width in WIDTHS:
                driver.set_window_size(width, 1000)
                for label, ready, _ in PAGES:
                    open_tab(driver, label, ready)
                    if label == "Ressources du réseau":
                        driver.find_element(By.CSS_SELECTOR, '[data-testid="stExpander"] summary').click()
                        time.sleep(1)
                    results[f"{label} ({width} px)"] = audit(driver, source)
        except Exception:
            print(log_path.read_text(errors="replace")[-3000:], file=sys.stderr)
            raise
        finally:
            if driver is not None:
                driver.quit()
            stop_app(server)

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"axe-core ({', '.join(TAGS)}) -> {args.output}")
    severe = sum(v["count"] for vs in results.values() for v in vs if v["impact"] in ("critical", "serious"))
    print(f"critical + serious nodes on all pages: {severe}")
    for page, violations in results.items():
        print(f"\n{page}: {len(violations)} rule(s) violated")
        for v in sorted(violations, key=lambda v: ["critical", "serious", "moderate", "minor"].index(v["impact"] or "minor")):
            print(f"  [{v['impact']}] {v['id']} ({v['count']} node(s)): {v['help']}")
            for node in v["nodes"][:2]:
                print(f"      {node['target']}  {node['html'][:120]}")


if __name__ == "__main__":
    main()
