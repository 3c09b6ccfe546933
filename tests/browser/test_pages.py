"""Every page type of the portal in a real browser, in German and English: axe-core finds no
violation of WCAG 2.1 A/AA (the level BITV 2.0 asks), and at 390 px nothing makes the page
wider than the screen (WCAG 1.4.10 reflow: a wide table may scroll inside its own box).

The portal runs as `make run` serves it (tests/browser/server.py); the pages are those of the
real shipped data, whose slugs the test database of this run holds too.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import translation
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from tests.browser.browser import (
    DESKTOP,
    PHONE,
    axe_violations,
    broken_references,
    describe,
    load,
    overflow,
    set_width,
)

FIXED = [
    "/", "/impressum/", "/datenschutz/", "/barrierefreiheit/", "/leichte-sprache/",
    "/gibt-es-nicht/",  # the 404 page
    "/nachrichten/", "/thema-des-monats/", "/publikationen/", "/clusterpolitik/",
    "/clusteragentur/", "/veranstaltungen/", "/veranstaltungen/?archive=on",
    "/cluster/", "/cluster/?region=region-neckar-alb&q=Auto", "/karte/",
    "/cluster/?q=Baden-Baden",  # an empty result with suggestions
    "/suche/", "/suche/?q=Medizintechnik", "/suche/?q=Stuttgart&kind=event",
    "/cluster/aufnahmekriterien/", "/cluster/aufnahme/", "/cluster/kontakte/",
    "/atlas/", "/atlas/methode/",
    "/konto/login/", "/konto/signup/", "/konto/login/code/", "/konto/password/reset/",
    "/foerderung/", "/foerderung/?country=DK", "/foerderung/gold-label-2023-2027/",
    "/foerderung/programme/", "/foerderung/programme/clusterwettbewerb/",
    "/foerderung/programme/gold-label-foerderung/?cost=12000&initiative=biolago",
    "/leistungen/", "/leistungen/workshops-qualifizierung/",
    "/international/", "/international/CN/", "/international/US/",
    "/partnersuche/", "/partnersuche/?field=textiles-clothing&country=FR",
    "/partnersuche/?q=gibtesnicht",  # an empty result
    "/vernetzung/", "/vernetzung/?region=region-neckar-alb",
    "/cluster/medicalmountains/",  # cross-clustering reasons with long cluster names, sources
    "/vernetzung/?field=medical-engineering",
]  # fmt: skip


# The European edition: a NUTS-2 region (its "Chancen" table was 680 px wide at 390 px
# before it scrolled in its own box), a division across Europe, the four BW Regierungsbezirke.
EUROPE = [
    "/atlas/eu-nuts2-nace-2010-2014/region/nuts2/DE11/",
    "/atlas/eu-nuts2-nace-2010-2014/cluster/C29/?region_type=nuts2",
    "/atlas/eu-nuts2-nace-2010-2014/vergleich/?region=nuts2:DE11&region=nuts2:DE12"
    "&region=nuts2:DE13&region=nuts2:DE14",
]


def record_pages() -> list[str]:
    """One page of each kind of record, from the shipped data."""
    from clusterportal.atlas.models import AtlasRegion, Cluster, Edition
    from clusterportal.content.models import Article
    from clusterportal.events.models import Event
    from clusterportal.registry.models import ClusterInitiative

    with translation.override("de"):
        edition = Edition.objects.order_by("pk").first()
        region = AtlasRegion.objects.filter(edition=edition).order_by("code").first()
        cluster = Cluster.objects.filter(edition=edition).order_by("code").first()
        articles = [
            Article.objects.filter(kind=kind).order_by("slug").first()
            for kind in (Article.Kind.NEWS, Article.Kind.THEMA)
        ]
        return [
            ClusterInitiative.objects.order_by("slug").first().get_absolute_url(),
            *(article.get_absolute_url() for article in articles),
            Event.objects.order_by("starts_at").first().get_absolute_url(),
            edition.get_absolute_url(),
            region.get_absolute_url(),
            cluster.get_absolute_url(),
            reverse("atlas:compare", kwargs={"edition": edition.slug}),
            reverse("contacts:region", kwargs={"slug": "region-stuttgart"}),
            *EUROPE,
        ]


@pytest.fixture
def pages(db) -> list[str]:
    return FIXED + record_pages()


def check_page(browser, url: str, ready: str = "body") -> list[str]:
    """What fails at 1280 px and at 390 px; `ready` is what must be on the page before."""
    problems = []
    set_width(browser, DESKTOP)
    load(browser, url, ready)
    if violations := axe_violations(browser):
        problems.append(f"{url} at 1280 px:\n{describe(violations)}")
    if broken := broken_references(browser):
        problems.append(f"{url} names ids that are not on the page: {broken}")
    set_width(browser, PHONE)
    load(browser, url, ready)
    wide = overflow(browser)
    # A phone lays a page without a viewport <meta> out 980 px wide, and scales it down.
    if wide["viewport"] != PHONE[0]:
        problems.append(f"{url} at 390 px is laid out {wide['viewport']} px wide")
    elif wide["page"] > wide["viewport"]:
        problems.append(f"{url} at 390 px is {wide['page']} px wide: {wide['wide']}")
    if violations := axe_violations(browser):
        problems.append(f"{url} at 390 px:\n{describe(violations)}")
    return problems


# What people with a role see, by persona (clusterportal/tests/personas.py).
PERSONA_PAGES = {
    "mia": [  # the cluster manager of the Technische Textilien Neckar-Alb
        "/konto/uebersicht/", "/cluster/{initiative}/bearbeiten/", "/cluster/{initiative}/verlauf/",
        "/nachrichten/schreiben/", "/nachrichten/meine/", "{event}teilnehmende/",
        "/foerderung/gold-label-2023-2027/",  # with the eligibility check of her initiative
        "/leistungen/anfragen/neu/?service=coaching-clustermanagement", "{service_request}",
        "/foerderung/{call}/", "{application}", "/foerderung/antraege/",
        "/partnersuche/neu/", "{pending_posting}", "{posting}interesse/",
        "{matchmaking}organisation/",  # her initiative organises the matchmaking event
    ],
    "ute": [  # a registered company user: her posting with the messages, her postings
        "{posting}", "/partnersuche/meine/", "{posting}bearbeiten/",
        # a matchmaking participant: her profile, the others, a request, her agenda
        "{matchmaking}", "{matchmaking}profil/", "{matchmaking}teilnehmende/", "{to_max}",
        "{matchmaking}gespraeche/",
    ],
    "max": ["{matchmaking}gespraeche/"],  # his agenda with Ute's request to answer
    "jana": ["/foerderung/begutachtung/", "{review}"],  # a juror (calls/tests/conftest.py)
    "clara": [  # a curator of the ministry
        "/konto/uebersicht/", "/cluster/antraege/", "/cluster/labels/", "/cluster/aufnahme/",
        "/leistungen/anfragen/", "{service_request}",
        "/foerderung/{call}/verfahren/", "/foerderung/{call}/rangliste/", "{submitted}",
        "/partnersuche/pruefung/", "/partnersuche/ergebnisse/", "{pending_posting}",
    ],
}  # fmt: skip


def log_in(browser, base_url: str, session_key: str | None) -> None:
    """The browser as the persona whose session this is (None: an anonymous visitor)."""
    browser.get(base_url + "/robots.txt")
    browser.delete_all_cookies()
    if session_key:
        browser.add_cookie({"name": "sessionid", "value": session_key, "path": "/"})


def check_all(browser, base_url: str, language: str, paths: list[str]) -> None:
    prefix = "" if language == "de" else "/en"
    problems = [p for path in paths for p in check_page(browser, base_url + prefix + path)]
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_page_type_passes_axe_and_reflows_at_390_px(portal, browser, pages, language):
    base_url, made = portal
    log_in(browser, base_url, None)
    # made["event"]: an event open for registration, its form with a question.
    check_all(browser, base_url, language, [*pages, made["event"], made["posting"]])


@pytest.mark.parametrize("persona", sorted(PERSONA_PAGES))
@pytest.mark.parametrize("language", ["de", "en"])
def test_the_pages_of_people_with_a_role_pass_too(portal, browser, persona, language):
    base_url, made = portal
    log_in(browser, base_url, made["sessions"][persona])
    paths = [path.format(**made) for path in PERSONA_PAGES[persona]]
    try:
        check_all(browser, base_url, language, paths)
    finally:
        log_in(browser, base_url, None)


def test_the_api_documentation_passes_axe(portal, browser):
    base_url, _ = portal
    log_in(browser, base_url, None)
    # Swagger UI draws the page after loading it: check once the operations are there.
    problems = check_page(browser, base_url + "/api/v1/docs", ready="#swagger-ui .opblock")
    assert not problems, "\n\n".join(problems)


def test_the_checks_find_what_they_look_for(browser):
    """A page with a picture without text and a box wider than a phone fails both checks."""
    page = (
        '<!DOCTYPE html><html lang="de"><head><title>Probe</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<div style="width: 600px">breit</div></main></body></html>'
    )
    problems = check_page(browser, "data:text/html;charset=utf-8," + quote(page))
    assert len(problems) == 3, problems  # axe at both widths, and the width at 390 px
    assert problems[0].splitlines()[1].startswith("image-alt (critical, 1×)")
    assert "at 390 px is 608 px wide" in problems[1]  # the box and the body's margin of 8 px


FOCUSABLE = (
    "a[href], button, input:not([type=hidden]), select, textarea, summary, "
    "[tabindex]:not([tabindex='-1'])"
)


def tab_stops_before(browser, selector: str) -> int:
    """How many visible elements a keyboard passes before it reaches `selector`."""
    return browser.execute_script(
        """
        const target = document.querySelector(arguments[0]);
        return [...document.querySelectorAll(arguments[1])].filter(el =>
          el.getClientRects().length &&
          (el.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING)).length;
        """,
        selector,
        FOCUSABLE,
    )


def top_of(browser, selector: str) -> int:
    return browser.execute_script(
        "return Math.round(document.querySelector(arguments[0]).getBoundingClientRect().top"
        " + window.scrollY);",
        selector,
    )


def test_on_a_phone_the_first_result_comes_before_the_filters(portal, browser):
    """The audit found 2,230 px of filters and 108 tab stops before the first result."""
    base_url, _ = portal
    log_in(browser, base_url, None)
    set_width(browser, PHONE)
    load(browser, base_url + "/cluster/", "ol.results li a")
    first_result = "ol.results li a"
    assert top_of(browser, first_result) < 900  # within the first screen and a bit (844 px)
    assert top_of(browser, "#filters") > top_of(browser, first_result)
    # The skip link, the site's navigation and language switch, the search form, the result bar.
    assert tab_stops_before(browser, first_result) <= 20
    assert browser.find_element(By.CSS_SELECTOR, ".to-filters").is_displayed()
    set_width(browser, DESKTOP)  # on a wide screen the filters stand to the left of the results
    load(browser, base_url + "/cluster/", first_result)
    assert top_of(browser, "#filters") < top_of(browser, first_result)
    filters_right = browser.execute_script(
        "return document.querySelector('#filters').getBoundingClientRect().right"
    )
    results_left = browser.execute_script(
        "return document.querySelector('ol.results').getBoundingClientRect().left"
    )
    assert filters_right < results_left
    assert not browser.find_element(By.CSS_SELECTOR, ".to-filters").is_displayed()


def test_the_portfolio_of_a_kreis_fits_a_wide_screen(portal, browser):
    """The audit measured the portfolio table 8,225 px wide at 1280 px: every cell kept
    its text on one line, the initiatives column too."""
    base_url, _ = portal
    log_in(browser, base_url, None)
    set_width(browser, DESKTOP)
    load(browser, base_url + "/atlas/bw-kreise-2015-2020/region/kreis/08111/", "table.numbers")
    widths = browser.execute_script(
        "const table = document.querySelector('#portfolio-heading').parentElement"
        ".querySelector('table');"
        "return [table.scrollWidth, table.parentElement.clientWidth,"
        " table.querySelectorAll('tbody td.list a').length];"
    )
    table, box, initiative_links = widths
    assert initiative_links > 0  # Stuttgart's initiatives are in the table
    assert table <= box  # the page's column, 1,168 px: no scrolling sideways


def test_a_draft_saves_itself_as_one_types(portal, browser):
    """The application form sends itself three seconds after the last change
    (calls/static/calls/autosave.js): what was typed is there after a reload."""
    base_url, made = portal
    log_in(browser, base_url, made["sessions"]["mia"])
    try:
        set_width(browser, DESKTOP)
        load(browser, base_url + made["application"], "#id_hinweise")
        field = browser.find_element(By.ID, "id_hinweise")
        field.clear()
        field.send_keys("Von selbst gespeichert")
        status = browser.find_element(By.CSS_SELECTOR, ".autosave-status")
        WebDriverWait(browser, 15).until(lambda _: "Entwurf gespeichert um" in status.text)
        load(browser, base_url + made["application"], "#id_hinweise")
        saved = browser.find_element(By.ID, "id_hinweise").get_attribute("value")
        assert saved == "Von selbst gespeichert"
    finally:
        log_in(browser, base_url, None)
