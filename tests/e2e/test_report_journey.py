"""A resident with an award sends the verantwoording in a real browser.

"Mijn aanvragen" says what is due and when; each of the five steps is filled in, with
one deliberate mistake on the first two (reported above the form, nothing typed lost);
halfway the browser is closed and the resident comes back in a fresh one and resumes
where they were. The round-trip law of the steps: every step, opened again, shows
exactly what was stored, and sending it back unchanged changes nothing. axe-core checks
every page, with and without errors, against WCAG 2.2 AA. After sending, the status
page says it was received and the steps are read-only.
"""

import pytest
from django.template.defaultfilters import date as date_filter
from playwright.sync_api import expect

from subsidies.models import Application, Document, Report
from subsidies.workflow import Status
from tests.factories import ApplicationFactory

from .conftest import log_in_by_mail

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _next(page):
    page.get_by_role("button", name="Opslaan en verder").click()


def _stored(application):
    report = Report.objects.get(application=application)
    return (
        report.what_happened,
        report.course,
        report.started_on,
        report.participants,
        report.volunteers,
        sorted(line.spent_cents for line in report.lines.all()),
        sorted((i.source, i.amount_cents) for i in report.income.all()),
    )


def _step(page, title):
    page.get_by_role("navigation", name="Stappen van de verantwoording").get_by_role(
        "link", name=title
    ).click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()


def test_a_resident_sends_the_verantwoording(
    live_server, settings, browser, context, page, assert_accessible, tmp_path
):
    settings.PUBLIC_SITE_URL = live_server.url
    application = ApplicationFactory(awarded=True)
    email = application.applicant_user.email
    due = date_filter(application.report_due_on, "j F Y")

    page.goto(f"{live_server.url}/inloggen/")
    log_in_by_mail(page, email)
    page.goto(f"{live_server.url}/mijn-aanvragen/")
    expect(
        page.get_by_text(f"Stuur uw verantwoording uiterlijk op {due}.")
    ).to_be_visible()
    assert_accessible(page, "Mijn aanvragen with a report due")
    page.get_by_role("link", name="Verantwoording invullen").click()

    # Step 1, with a mistake: no choice made. What was typed stays.
    expect(
        page.get_by_role("heading", level=1, name="Wat is er gebeurd?")
    ).to_be_visible()
    assert_accessible(page, "report step 1")
    page.get_by_label("Wat is er gebeurd?").fill("Elke woensdag samen koken.")
    page.get_by_label("Eerste dag van de activiteit").fill("01-03-2026")
    _next(page)
    expect(page.locator(".portal-error-summary")).to_contain_text(
        "Kies of het ging zoals u had gepland."
    )
    expect(page.get_by_label("Wat is er gebeurd?")).to_have_value(
        "Elke woensdag samen koken."
    )
    assert_accessible(page, "report step 1 with an error")
    page.get_by_label("Ja, zoals gepland").check()
    page.get_by_label("Laatste dag van de activiteit").fill("30-06-2026")
    _next(page)

    # Step 2, with a mistake: a word for a number.
    expect(
        page.get_by_role("heading", level=1, name="Wie deden er mee?")
    ).to_be_visible()
    page.get_by_label("Hoeveel mensen deden mee?").fill("veertig")
    page.get_by_label("Hoeveel vrijwilligers hielpen mee?").fill("5")
    _next(page)
    expect(page.locator(".portal-error-summary")).to_contain_text("heel getal")
    expect(page.get_by_label("Hoeveel mensen deden mee?")).to_have_value("veertig")
    assert_accessible(page, "report step 2 with an error")
    page.get_by_label("Hoeveel mensen deden mee?").fill("40")
    _next(page)

    # Step 3: the approved amount is filled in; the resident spent a little less.
    expect(
        page.get_by_role("heading", level=1, name="Uitgaven en inkomsten")
    ).to_be_visible()
    spent = page.get_by_label("Uitgegeven aan: Kookgerei en boodschappen")
    expect(spent).to_have_value("2.500,00")
    assert_accessible(page, "report step 3")
    spent.fill("2.400,50")
    page.get_by_label("Van wie?").fill("Buurtfonds")
    page.get_by_label("Ontvangen in euro").fill("150")
    _next(page)

    # Halfway the browser is closed; a fresh one resumes at step 4.
    context.close()
    fresh = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    fresh.set_default_timeout(10_000)
    page = fresh.new_page()
    page.goto(f"{live_server.url}/inloggen/")
    log_in_by_mail(page, email)
    page.goto(f"{live_server.url}/mijn-aanvragen/")
    page.get_by_role("link", name="Verantwoording invullen").click()
    expect(
        page.get_by_role("heading", level=1, name="Foto's en bewijs")
    ).to_be_visible()
    assert_accessible(page, "report step 4")
    photo = tmp_path / "kookavond.png"
    photo.write_bytes(PNG)
    page.get_by_label("Kies een foto of ander bestand").set_input_files(str(photo))
    page.get_by_role("button", name="Bestand toevoegen").click()
    expect(page.get_by_role("link", name="kookavond.png")).to_be_visible()
    assert_accessible(page, "report step 4 with a file")

    # The round-trip law: every step shows what is stored, and sending it back
    # unchanged changes nothing.
    stored = _stored(application)
    assert stored[0] == "Elke woensdag samen koken." and stored[3] == 40
    assert stored[5] == [240_050] and stored[6] == [("Buurtfonds", 15_000)]
    _step(page, "Wat is er gebeurd?")
    expect(page.get_by_label("Wat is er gebeurd?")).to_have_value(
        "Elke woensdag samen koken."
    )
    expect(page.get_by_label("Ja, zoals gepland")).to_be_checked()
    expect(page.get_by_label("Eerste dag van de activiteit")).to_have_value(
        "01-03-2026"
    )
    _next(page)
    expect(page.get_by_label("Hoeveel mensen deden mee?")).to_have_value("40")
    expect(page.get_by_label("Hoeveel vrijwilligers hielpen mee?")).to_have_value("5")
    _next(page)
    expect(
        page.get_by_label("Uitgegeven aan: Kookgerei en boodschappen")
    ).to_have_value("2.400,50")
    expect(page.get_by_label("Van wie?").first).to_have_value("Buurtfonds")
    _next(page)
    assert _stored(application) == stored

    # Step 4 on to step 5: check and send.
    _next(page)
    expect(
        page.get_by_role("heading", level=1, name="Controleren en versturen")
    ).to_be_visible()
    expect(page.get_by_text("Elke woensdag samen koken.")).to_be_visible()
    assert_accessible(page, "report step 5")
    page.get_by_label("Ik verklaar dat alles klopt wat ik heb ingevuld.").check()
    page.get_by_role("button", name="Verantwoording versturen").click()
    expect(
        page.get_by_text("Wij hebben uw verantwoording ontvangen.", exact=True)
    ).to_be_visible()
    assert_accessible(page, "the status page after sending")

    stored_application = Application.objects.get(pk=application.pk)
    assert stored_application.status == Status.REPORT_SUBMITTED
    assert (
        Document.objects.filter(
            application=application, kind=Document.Kind.REPORT
        ).count()
        == 1
    )
    page.get_by_role("link", name="Bekijk uw verantwoording").click()
    expect(page.get_by_text("Elke woensdag samen koken.")).to_be_visible()
    assert_accessible(page, "the report as sent")
    fresh.close()
