"""Reflow (WCAG 1.4.10): on a phone, 320 and 375 CSS pixels wide, no page scrolls
sideways, and at 320 px axe-core still finds nothing.

One browser context per width walks every public page, every resident page and every
step of the six-step form, each form with and without errors. The resident has a long
e-mail address and a long title, so long words must wrap too. A failure names the page
and the widest element that sticks out on the right. Staff pages (the Wagtail admin)
are left out. Every select on the way must be the Utrecht select, with its arrow.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from cms.demo import CONTENT_PAGES
from subsidies import services, steps
from subsidies.models import Scheme, SupplementRequest
from tests.factories import ApplicationFactory, assessor

from .conftest import answer_quick_check, log_in_by_mail

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 375)
AXE_WIDTH = 320
EMAIL = "fatima.el-amrani-van-den-heuvel@bewonersgroep-hoograven-zuid.example.nl"
LONG_WORD = "Buurtbewonersinitiatiefcommissievergaderingsverslagen"

# The widest elements whose right edge lies beyond the viewport, skipping those that a
# scroll container (overflow other than visible) keeps to itself.
OFFENDERS = r"""
() => {
  const limit = window.innerWidth;
  const clipped = (element) => {
    for (let parent = element.parentElement; parent && parent !== document.body;
         parent = parent.parentElement) {
      if (getComputedStyle(parent).overflowX !== "visible") return true;
    }
    return false;
  };
  const describe = (element) => {
    let name = element.tagName.toLowerCase();
    if (element.id) name += "#" + element.id;
    const classes = [...element.classList].join(".");
    if (classes) name += "." + classes;
    const text = (element.innerText || element.value || "")
      .replace(/\s+/g, " ").trim().slice(0, 60);
    return name + (text ? ` ("${text}")` : "");
  };
  return [...document.body.querySelectorAll("*")]
    .map((element) => [element, element.getBoundingClientRect()])
    .filter(([element, box]) => box.right > limit + 0.5 && box.width > 0
      && !clipped(element))
    .sort((a, b) => b[1].width - a[1].width)
    .slice(0, 3)
    .map(([element, box]) =>
      `${describe(element)}: ${Math.round(box.left)}..${Math.round(box.right)} px`);
}
"""

# Every select: its classes, and how the browser draws it.
SELECTS = """
() => [...document.querySelectorAll("select")].map((select) => ({
  name: select.name,
  classes: select.className,
  appearance: getComputedStyle(select).appearance,
  image: getComputedStyle(select).backgroundImage,
}))
"""


def _no_sideways_scroll(page, label, assert_accessible):
    # A click only waits for the next page to start; measure once its CSS is in.
    page.wait_for_load_state("load")
    width = page.evaluate("window.innerWidth")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    offenders = page.evaluate(OFFENDERS) if scroll_width > width else []
    assert scroll_width <= width, (
        f"{label} ({page.url}) scrolls sideways at {width} px: the page is "
        f"{scroll_width} px wide. Widest elements sticking out:\n  "
        + "\n  ".join(offenders or ["(none found)"])
    )
    for select in page.evaluate(SELECTS):
        assert "utrecht-select utrecht-select--html-select" in select["classes"], (
            f"{label}: select {select['name']} is not the Utrecht select"
        )
        # The Utrecht select hides the browser's own arrow and draws one instead.
        assert select["appearance"] == "none" and select["image"].startswith("url("), (
            f"{label}: select {select['name']} shows no arrow: {select}"
        )
    if width == AXE_WIDTH:
        assert_accessible(page, f"{label} at {width} px")


def _goto(page, url, status=200):
    response = page.goto(url)
    assert response.status == status, url
    return response


def _errors(page):
    expect(page.locator(".portal-error-summary")).to_be_visible()


def _resident_applications(email):
    """A submitted application and one the gemeente asked more about, for ``email``."""
    user = User.objects.get(email=email)
    submitted = ApplicationFactory(submitted=True, title=f"Buurtfeest {LONG_WORD}")
    asked = ApplicationFactory(submitted=True, title="Eettafel voor buren")
    for application in (submitted, asked):
        application.applicant.members.add(user)
    staff = assessor()
    now = timezone.now()
    services.fire(
        application=asked,
        transition="request_supplement",
        actor=staff,
        due_at=now + timedelta(days=14),
    )
    SupplementRequest.objects.create(
        application=asked,
        requested_by=staff,
        message=f"Stuur het {LONG_WORD} mee, en de IBAN NL91ABNA0417164300.",
        requested_at=now,
        due_at=now + timedelta(days=14),
    )
    return submitted, asked


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways_on_a_phone(site, browser, assert_accessible, width):
    """Public pages, login, every form step with and without errors, and the resident's
    own pages fit 320 and 375 px without sideways scrolling; at 320 px axe passes."""
    context = browser.new_context(
        viewport={"width": width, "height": 640}, locale="nl-NL"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()

    def check(page, label):
        _no_sideways_scroll(page, label, assert_accessible)

    # --- public pages -------------------------------------------------------------------
    schemes = list(Scheme.objects.order_by("slug").values_list("slug", flat=True))
    assert len(schemes) == 3
    public = ["/", "/open-data/", "/inloggen/"]
    public += [f"/{slug}/" for slug in schemes]
    public += [f"/aanvragen/{slug}/" for slug in schemes]
    public += [f"/{slug}/" for slug, *_ in CONTENT_PAGES]
    for path in public:
        _goto(page, site + path)
        check(page, path)
    _goto(page, site + "/bestaat-niet/", status=404)
    check(page, "the 404 page")

    _goto(page, site + "/aanvragen/")
    check(page, "the quick check")
    page.get_by_role("button", name="Bekijk welke regeling past").click()
    _errors(page)
    check(page, "the quick check with errors")
    answer_quick_check(page)
    check(page, "the quick check result")

    _goto(page, site + "/inloggen/")
    page.get_by_label("Uw e-mailadres").fill(f"{LONG_WORD}@")
    page.get_by_role("button", name="Stuur mij een inloglink").click()
    _errors(page)
    check(page, "the login page with an error")

    # --- log in and start an application --------------------------------------------------
    _goto(page, site + "/aanvragen/initiatievenfonds/")
    page.get_by_role("link", name="Inloggen en beginnen").click()
    log_in_by_mail(page, EMAIL, visit=check)
    expect(page).to_have_url(re.compile(r"/aanvragen/initiatievenfonds/$"))
    check(page, "the start page, logged in")
    page.get_by_role("button", name="Start de aanvraag").click()
    expect(page).to_have_url(re.compile(r"/invullen/[^/]+/$"))
    form_url = re.sub(r"[^/]+/$", "", page.url)

    # --- the six steps, each first as it is and then with errors --------------------------
    save = page.get_by_role("button", name="Opslaan en verder")
    for step in steps.STEPS:
        label = f"step {step.number} ({step.slug})"
        _goto(page, form_url + step.slug + "/")
        expect(page.get_by_role("heading", name=step.title, level=1)).to_be_visible()
        check(page, label)
        if step.slug == steps.ORGANISATION:
            page.get_by_label("Naam van de stichting").fill(LONG_WORD)
            page.get_by_label("IBAN (rekeningnummer)").fill("NL91ABNA041716430099999")
            save.click()
        elif step.slug == steps.INITIATIVE:
            page.get_by_label("Titel van uw initiatief").fill(LONG_WORD)
            save.click()
        elif step.slug == steps.BUDGET:
            page.locator("input[name='lines-0-description']").fill(LONG_WORD)
            page.locator("input[name='lines-0-amount']").fill("twintig")
            save.click()
        elif step.slug == steps.DOCUMENTS:
            page.get_by_role("button", name="Bestand toevoegen").click()
        elif step.slug == steps.REVIEW:
            page.get_by_role("button", name="Aanvraag versturen").click()
        else:
            save.click()
        _errors(page)
        check(page, f"{label} with errors")

    # --- the resident's own pages ----------------------------------------------------------
    submitted, asked = _resident_applications(EMAIL)
    _goto(page, site + "/mijn-aanvragen/")
    check(page, "Mijn aanvragen")
    for application, what in ((submitted, "submitted"), (asked, "asked for more")):
        base = f"{site}/mijn-aanvragen/{application.reference}/"
        for path, name in (
            ("", "the status page"),
            ("ontvangen/", "the receipt"),
            ("kopie/", "the copy of the application"),
        ):
            _goto(page, base + path)
            check(page, f"{name} of the {what} application")

    base = f"{site}/mijn-aanvragen/{asked.reference}/"
    _goto(page, base + "aanvullen/")
    check(page, "the supplement page")
    page.get_by_role("button", name=re.compile("versturen|Verstuur")).click()
    _errors(page)
    check(page, "the supplement page with errors")

    base = f"{site}/mijn-aanvragen/{submitted.reference}/"
    _goto(page, base + "intrekken/")
    check(page, "the withdraw page")
    reason = page.get_by_label("Waarom trekt u de aanvraag in?")
    reason.evaluate("element => element.removeAttribute('maxlength')")
    reason.fill(LONG_WORD * 20)
    page.get_by_role("button", name="Ja, trek mijn aanvraag in").click()
    _errors(page)
    check(page, "the withdraw page with errors")
    context.close()
