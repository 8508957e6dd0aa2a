"""Aanvragen met hulp in Chromium (issue 18): a Wijkbureau staff member starts an
application for a resident without e-mail, fills in a step, records the consent and
prints the hand-over code; the resident, logged in with DigiD, types the code and
lands on "Controleren en versturen" with what the wijkbureau filled in."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from accounts.models import LoginIdentity, User
from accounts.roles import WIJKBUREAU
from subsidies.models import ApplicationAssistance, TransitionLog
from tests.e2e.test_staff_queue_width import staff_session
from tests.factories import RoundFactory, SchemeFactory, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def _session(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )


def test_the_wijkbureau_hands_over_by_code_and_the_resident_takes_it_over(
    browser, live_server, settings, assert_accessible
):
    """Start, step 1, consent and the printed code in the admin; the resident types
    the code after a DigiD login and sees the concept at its last step; the log
    names the staff member and the resident."""
    settings.STAFF_REQUIRE_2FA = False
    scheme = SchemeFactory()
    RoundFactory(scheme=scheme)
    staff = UserFactory(role=WIJKBUREAU, first_name="Wendy", last_name="Wijkhuis")

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        staff_session(context, live_server, staff)
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/aanvragen-met-hulp/")
        page.get_by_role("link", name="Aanvraag met hulp beginnen").click()
        page.select_option('select[name="scheme"]', str(scheme.pk))
        page.fill('input[name="resident_name"]', "Henk de Vries")
        page.fill('input[name="resident_phone"]', "030 1234567")
        page.check('input[name="no_email"]')
        page.get_by_role("button", name="Beginnen met invullen").click()
        page.wait_for_url("**/invullen/organisatie/")
        expect(
            page.get_by_text("U vult deze aanvraag in namens Henk de Vries")
        ).to_be_visible()
        page.check('input[name="kind"][value="bewonersgroep"]')
        page.fill('input[name="name"]', "Bewoners Lombok-West")
        page.fill('input[name="contact_name"]', "Henk de Vries")
        # No e-mail for a resident handed over by DigiD: the field says letters come
        # by post. The address and the bank details are still missing; what is right
        # is saved.
        expect(
            page.get_by_text("Geen e-mailadres? Laat dit veld dan leeg.")
        ).to_be_visible()
        page.get_by_role("button", name="Opslaan en later verder").click()
        expect(
            page.get_by_text("Wat u goed had ingevuld, is bewaard.").first
        ).to_be_visible()
        page.get_by_role("link", name="Terug naar Aanvragen met hulp").click()
        page.wait_for_url("**/admin/aanvragen-met-hulp/")
        page.get_by_role("link", name="Toestemming", exact=True).click()
        page.check('input[name="method"][value="telefoon"]')
        page.check('input[name="confirmed"]')
        page.get_by_role("button", name="Toestemming vastleggen").click()
        page.wait_for_url("**/overdragen/")
        expect(
            page.get_by_text("Wij hebben de toestemming vastgelegd.").first
        ).to_be_visible()
        # The same page in a second tab, as a second click would send it again.
        second = context.new_page()
        second.goto(page.url)
        # A real double click sends the form once (static/js/assisted.js): the
        # browser shows the sheet, not the answer to a second request.
        page.get_by_role("button", name="Code voor DigiD afdrukken").dblclick()
        code = page.locator(".code").inner_text().strip()
        assert len(code) == 14
        # "Afdrukken" prints without an inline script, which the CSP would block.
        page.evaluate("window.print = () => { window.printed = true; }")
        page.get_by_role("button", name="Afdrukken").click()
        assert page.evaluate("window.printed === true")
        # The second click makes no new code: the first sheet keeps working.
        second.get_by_role("button", name="Code voor DigiD afdrukken").click()
        expect(second.get_by_text("U heeft de code al gemaakt.").first).to_be_visible()
        expect(second.get_by_role("button", name="Nieuwe code maken")).to_be_visible()
        assert second.locator(".code").count() == 0
    finally:
        context.close()

    assistance = ApplicationAssistance.objects.get(resident_name="Henk de Vries")
    reference = assistance.application.reference
    resident = User.objects.create_identified_user()
    LoginIdentity.objects.create(
        user=resident, provider=LoginIdentity.Provider.DIGID, subject_hash="a" * 64
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        _session(context, live_server, resident)
        page = context.new_page()
        page.goto(f"{live_server.url}/aanvraag-overnemen/")
        assert_accessible(page, "the claim page")
        page.get_by_label("Overdrachtscode").fill("ABCD-EFGH-JKMN")
        page.get_by_role("button", name="Aanvraag overnemen").click()
        expect(page.get_by_text("Deze code klopt niet.").first).to_be_visible()
        assert_accessible(page, "the claim page with an error")
        page.get_by_label("Overdrachtscode").fill(code)
        page.get_by_role("button", name="Aanvraag overnemen").click()
        page.wait_for_url(f"**/mijn-aanvragen/{reference}/invullen/controle/")
        expect(page.get_by_text("Bewoners Lombok-West").first).to_be_visible()
    finally:
        context.close()

    assert list(assistance.application.applicant.members.all()) == [resident]
    log = list(
        TransitionLog.objects.filter(application=assistance.application)
        .order_by("at", "pk")
        .values_list("transition", "actor")
    )
    assert log[0] == ("met_hulp_gestart", staff.pk)
    assert ("met_hulp_toestemming", staff.pk) in log
    assert ("met_hulp_overgedragen", staff.pk) in log
    assert log[-1] == ("met_hulp_overgenomen", resident.pk)
