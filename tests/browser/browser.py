"""Headless Chromium from Debian's packages (chromium, chromium-driver), driven by Selenium,
and axe-core from npm (package.json) run inside each page."""

from __future__ import annotations

import json
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

# The rules of WCAG 2.1 levels A and AA, the level BITV 2.0 asks of public bodies.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

DESKTOP = (1280, 900)
PHONE = (390, 844)


def chromium() -> webdriver.Chrome:
    assert Path(CHROMIUM).exists(), "the browser tests need Debian's chromium (see .ci/run)"
    assert AXE_SCRIPT.exists(), "the browser tests need axe-core: run `npm ci` (make test does)"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--hide-scrollbars", "--lang=de-DE"):  # fmt: skip
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    return driver


def set_width(driver: webdriver.Chrome, size: tuple[int, int]) -> None:
    """The layout viewport exactly this wide (window size includes no frame when headless)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": size[0] < 600},
    )


def load(driver: webdriver.Chrome, url: str, ready: str = "body") -> None:
    """Open the page and wait until the element `ready` selects is there."""
    driver.get(url)
    WebDriverWait(driver, 20).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ready))
    )


def axe_violations(driver: webdriver.Chrome) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations of the loaded page."""
    driver.execute_script(AXE_SCRIPT.read_text(encoding="utf-8"))
    options = json.dumps({"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"axe.run(document, {options}).then(r => done(r.violations), e => done(String(e)));"
    )
    assert isinstance(result, list), f"axe-core failed: {result}"
    return result


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:4]]
        lines.append(
            f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}×): "
            f"{violation['help']} — {'; '.join(targets)}"
        )
    return "\n".join(lines)


def overflow(driver: webdriver.Chrome) -> dict:
    """How far the page is wider than the viewport, and the widest elements that make it so."""
    return driver.execute_script(
        """
        const width = document.documentElement.clientWidth;
        const wide = [];
        for (const el of document.body.querySelectorAll('*')) {
          const box = el.getBoundingClientRect();
          if (box.right > width + 1 && box.width > 0 && getComputedStyle(el).position !== 'fixed') {
            // Inside a box that scrolls on its own (a wide table), nothing pushes the page.
            let parent = el.parentElement, scrolls = false;
            while (parent && parent !== document.body) {
              const x = getComputedStyle(parent).overflowX;
              if (x === 'auto' || x === 'scroll' || x === 'hidden') { scrolls = true; break; }
              parent = parent.parentElement;
            }
            if (!scrolls) wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
              (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '') +
              ' ' + Math.round(box.right));
          }
        }
        return {viewport: width, page: document.documentElement.scrollWidth, wide: wide.slice(0, 6)};
        """
    )


def broken_references(driver: webdriver.Chrome) -> list[str]:
    """Attributes that name an element by id where no element has it (axe lets an
    aria-describedby pass if one of its ids exists; a screen reader then reads less)."""
    return driver.execute_script(
        """
        const broken = [];
        for (const attr of ['aria-describedby', 'aria-labelledby', 'aria-controls', 'for']) {
          for (const el of document.querySelectorAll('[' + attr + ']')) {
            for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
              if (!document.getElementById(id)) broken.push(attr + '="' + id + '"');
            }
          }
        }
        return broken;
        """
    )
