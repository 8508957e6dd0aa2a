"""Logging in through the real OpenID provider in Chromium (issue 17).

The provider is ``tests/oidc/provider.mjs`` on loopback (fixture ``oidc``); its login
page lets the test pick a test account ("Testaccount") or cancel. A resident with
DigiD applies and finds the application again after a login on another browser; an
organisation with eHerkenning EH3 sees its KvK number filled in, read-only and marked
verified; DigiD Basis is refused with the Dutch page; a staff member signs on with
multi-factor and reaches the Wagtail admin with the Beoordelaar's menu and no code
page. axe-core checks the login page with its buttons and the refusal page.

Logging out at the provider too (RP-initiated logout), for a resident and for staff,
is walked here as well: the Content-Security-Policy allows the configured providers'
origins as form targets (portal/csp.py), since the logout form's answer is a redirect
to the provider.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import LoginIdentity
from subsidies.models import Application
from subsidies.workflow import Status
from tests.services.oidc_provider import (
    DIGID_BASIS,
    DIGID_MIDDEN,
    EHERKENNING_EH3,
    EHERKENNING_KVK,
    STAFF_MFA,
    STAFF_MFA_EMAIL,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CONTACT_EMAIL = "noor.bewoner@example.nl"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _day(days):
    return (timezone.localdate() + timedelta(days=days)).strftime("%d-%m-%Y")


def _pick_account(page, account):
    """On the provider's login page: choose the test account and log in."""
    expect(
        page.get_by_role("heading", name="Inloggen bij de testprovider")
    ).to_be_visible()
    page.get_by_label("Testaccount").select_option(account)
    page.get_by_role("button", name="Inloggen", exact=True).click()


def _start_application(page, site, assert_accessible=None):
    """From the scheme's start page to the provider: the login page offers DigiD
    and eHerkenning (axe-checked once)."""
    page.goto(site + "/aanvragen/initiatievenfonds/")
    page.get_by_role("link", name="Inloggen en beginnen").click()
    expect(page.get_by_role("heading", name="Inloggen", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Inloggen met DigiD")).to_be_visible()
    expect(page.get_by_role("link", name="Inloggen met eHerkenning")).to_be_visible()
    if assert_accessible:
        assert_accessible(page, "the login page with DigiD and eHerkenning")


def _fill_steps_2_to_6(page):
    """Steps 2 to 6 of the form, without mistakes, and send it."""
    expect(page.get_by_role("heading", name="Uw initiatief", level=1)).to_be_visible()
    page.get_by_label("Titel van uw initiatief").fill("Eettafel voor buren")
    page.get_by_label("Korte beschrijving").fill(
        "Elke woensdag koken buren voor buren die alleen wonen."
    )
    page.get_by_label("In welke wijk vindt de activiteit plaats?").select_option(
        label="Zuid"
    )
    page.get_by_label("Hoograven (Zuid)").check()
    page.get_by_label("Eerste dag van de activiteit").fill(_day(40))
    page.get_by_label("Laatste dag van de activiteit").fill(_day(200))
    page.get_by_label("Ouderen", exact=True).check()
    page.get_by_label("Samen eten", exact=True).check()
    page.get_by_role("button", name="Opslaan en verder").click()

    expect(
        page.get_by_role("heading", name="Wat levert het op?", level=1)
    ).to_be_visible()
    page.get_by_label("Wat verandert er door uw initiatief?").fill(
        "Buren die alleen wonen eten samen en leren elkaar kennen. We tellen de "
        "gasten en vragen twee keer per jaar wat het hun oplevert."
    )
    page.get_by_label("Hoeveel mensen doen ongeveer mee?").fill("35")
    page.get_by_label("Hoeveel vrijwilligers helpen mee?").fill("6")
    page.get_by_label("In hoeveel eerdere jaren").fill("0")
    page.get_by_label("Hoe weet u dat de buurt dit wil?").fill(
        "Veertig buren tekenden de lijst."
    )
    page.locator("input[name=q_toegankelijk][value=ja]").check()
    page.locator("input[name=q_volledig_vrijwillig][value=ja]").check()
    page.get_by_role("button", name="Opslaan en verder").click()

    expect(page.get_by_role("heading", name="Begroting", level=1)).to_be_visible()
    page.locator("select[name='lines-0-category']").select_option(
        label="Eten en drinken"
    )
    page.locator("input[name='lines-0-description']").fill("Boodschappen")
    page.locator("input[name='lines-0-amount']").fill("1.250")
    page.get_by_role("button", name="Opslaan en verder").click()

    expect(page.get_by_role("heading", name="Bijlagen", level=1)).to_be_visible()
    page.get_by_label("Wat voor document is het?").select_option(
        label="Bewijs van draagvlak"
    )
    page.get_by_label("Kies een bestand").set_input_files(
        {"name": "handtekeningen.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Bestand toevoegen").click()
    expect(page.get_by_role("link", name="handtekeningen.pdf")).to_be_visible()
    page.get_by_role("button", name="Opslaan en verder").click()

    expect(
        page.get_by_role("heading", name="Controleren en versturen", level=1)
    ).to_be_visible()
    page.get_by_label("Ik verklaar dat ik alles naar waarheid heb ingevuld.").check()
    page.get_by_role("button", name="Aanvraag versturen").click()
    expect(
        page.get_by_role("heading", name="Wij hebben uw aanvraag ontvangen")
    ).to_be_visible()


def _digid_login(page, site, start="/inloggen/"):
    page.goto(site + start)
    page.get_by_role("link", name="Inloggen met DigiD").click()
    _pick_account(page, DIGID_MIDDEN)


def test_a_resident_with_digid_applies_and_finds_it_after_logging_in_again(
    oidc, site, browser, context, assert_accessible
):
    """DigiD Midden picked on the provider's page: the resident fills in the form
    (no e-mail address to log in with: they type a contact address) and sends it;
    on another browser (no cookies) a new DigiD login finds the same account, and
    "Mijn aanvragen" shows the application (one identity, a keyed hash)."""
    page = context.new_page()
    _start_application(page, site, assert_accessible)
    page.get_by_role("link", name="Inloggen met DigiD").click()
    _pick_account(page, DIGID_MIDDEN)
    expect(page).to_have_url(re.compile(r"/aanvragen/initiatievenfonds/$"))
    expect(page.get_by_text("U bent ingelogd met DigiD.")).to_be_visible()
    page.get_by_role("button", name="Start de aanvraag").click()

    # Step 1: a person without a login address types the contact address.
    expect(
        page.get_by_role("heading", name="Over de aanvrager", level=1)
    ).to_be_visible()
    page.get_by_label("Bewonersgroep zonder rechtsvorm").check()
    page.get_by_label("Naam van de stichting, vereniging of bewonersgroep").fill(
        "Bewonersgroep Eettafel Hoograven"
    )
    page.get_by_label("Naam van de contactpersoon").fill("Noor Bakker")
    contact = page.get_by_label("E-mailadres van de contactpersoon")
    expect(contact).to_have_value("")
    contact.fill(CONTACT_EMAIL)
    page.get_by_label("Straat en huisnummer").fill("Hoofdstraat 12")
    page.get_by_label("Postcode").fill("3526 AB")
    page.get_by_label("IBAN (rekeningnummer)").fill("NL91 ABNA 0417 1643 00")
    page.get_by_label("Tenaamstelling van de rekening").fill("N. Bakker")
    page.get_by_role("button", name="Opslaan en verder").click()
    _fill_steps_2_to_6(page)

    identity = LoginIdentity.objects.get(provider="digid")
    application = Application.objects.get(applicant__members=identity.user)
    assert application.status == Status.SUBMITTED
    assert application.title == "Eettafel voor buren"
    assert application.created_by == identity.user
    assert identity.user.email is None

    # Another device: a new DigiD login, the same account, the application there.
    other = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    try:
        other.set_default_timeout(10_000)
        page = other.new_page()
        page.goto(site + "/mijn-aanvragen/")
        expect(page).to_have_url(re.compile(r"/inloggen/\?next="))
        page.get_by_role("link", name="Inloggen met DigiD").click()
        _pick_account(page, DIGID_MIDDEN)
        expect(page).to_have_url(re.compile(r"/mijn-aanvragen/$"))
        item = page.locator(".portal-application").filter(
            has_text=application.reference
        )
        expect(item.get_by_role("link", name="Eettafel voor buren")).to_be_visible()
    finally:
        other.close()
    assert LoginIdentity.objects.filter(provider="digid").count() == 1


def test_logging_out_after_digid_ends_the_provider_session_too(oidc, site, context):
    """ "Uitloggen" after a DigiD login ends the session here and at the provider:
    the browser lands on /uitgelogd/, "Mijn aanvragen" asks for a login again, and
    the next DigiD login shows the provider's page again (no silent login)."""
    page = context.new_page()
    _digid_login(page, site, start="/mijn-aanvragen/")
    expect(page).to_have_url(re.compile(r"/mijn-aanvragen/$"))
    page.get_by_role("button", name="Uitloggen").first.click()
    expect(page).to_have_url(re.compile(r"/uitgelogd/$"))
    expect(page.get_by_role("heading", name="U bent uitgelogd")).to_be_visible()
    page.goto(site + "/mijn-aanvragen/")
    expect(page).to_have_url(re.compile(r"/inloggen/\?next="))
    page.get_by_role("link", name="Inloggen met DigiD").click()
    _pick_account(page, DIGID_MIDDEN)
    expect(page).to_have_url(re.compile(r"/mijn-aanvragen/$"))


def test_an_organisation_with_eherkenning_sees_its_verified_kvk_number(
    oidc, site, context
):
    """eHerkenning EH3 for KvK 69599084: on step 1 the KvK number is the verified
    one, read-only and marked verified; the stored applicant carries it, verified."""
    page = context.new_page()
    _start_application(page, site)
    page.get_by_role("link", name="Inloggen met eHerkenning").click()
    _pick_account(page, EHERKENNING_EH3)
    expect(page).to_have_url(re.compile(r"/aanvragen/initiatievenfonds/$"))
    expect(page.get_by_text("U bent ingelogd met eHerkenning.")).to_be_visible()
    page.get_by_role("button", name="Start de aanvraag").click()

    expect(
        page.get_by_role("heading", name="Over de aanvrager", level=1)
    ).to_be_visible()
    # No choice of kind: the organisation is the one eHerkenning verified.
    expect(page.get_by_label("Bewonersgroep zonder rechtsvorm")).to_have_count(0)
    expect(page.locator("#kvk-geverifieerd")).to_contain_text(
        f"KvK-nummer {EHERKENNING_KVK}"
    )
    kvk = page.get_by_role("textbox", name=re.compile(r"^KvK-nummer"))
    expect(kvk).to_have_value(EHERKENNING_KVK)
    expect(kvk).to_be_disabled()
    expect(page.get_by_text("Geverifieerd met eHerkenning.")).to_be_visible()
    page.get_by_label("Naam van de stichting, vereniging of bewonersgroep").fill(
        "Stichting Buurtkracht"
    )
    page.get_by_label("Naam van de contactpersoon").fill("Sem de Wit")
    page.get_by_label("E-mailadres van de contactpersoon").fill(
        "sem@buurtkracht.example"
    )
    page.get_by_label("Straat en huisnummer").fill("Hoofdstraat 12")
    page.get_by_label("Postcode").fill("3526 AB")
    page.get_by_label("IBAN (rekeningnummer)").fill("NL91 ABNA 0417 1643 00")
    page.get_by_label("Tenaamstelling van de rekening").fill("Stichting Buurtkracht")
    page.get_by_role("button", name="Opslaan en verder").click()
    expect(page.get_by_role("heading", name="Uw initiatief", level=1)).to_be_visible()

    identity = LoginIdentity.objects.get(provider="eherkenning")
    application = Application.objects.get(applicant__members=identity.user)
    assert application.applicant.kvk_number == EHERKENNING_KVK
    assert application.applicant.kvk_verified is True


def test_digid_basis_is_refused_with_the_dutch_page(
    oidc, site, context, assert_accessible
):
    """DigiD Basis is below Midden: the Dutch page says so and offers to try again;
    nobody is logged in and no account is made."""
    page = context.new_page()
    page.goto(site + "/inloggen/")
    page.get_by_role("link", name="Inloggen met DigiD").click()
    _pick_account(page, DIGID_BASIS)
    expect(
        page.get_by_role("heading", name="Dit inlogmiddel is niet sterk genoeg")
    ).to_be_visible()
    expect(page.get_by_text("minimaal DigiD Midden nodig")).to_be_visible()
    expect(page.get_by_role("link", name="Opnieuw inloggen")).to_be_visible()
    assert_accessible(page, "the refusal page (DigiD Basis)")
    assert not LoginIdentity.objects.exists()
    page.goto(site + "/mijn-aanvragen/")
    expect(page).to_have_url(re.compile(r"/inloggen/\?next="))


def test_a_staff_member_signs_on_to_the_admin_with_the_beoordelaars_menu(
    oidc, live_server, context, settings
):
    """The gemeente's provider asserted a second factor (amr otp): from the admin
    login's button straight into the Wagtail admin, with the Beoordelaar's menu
    (Beoordelen, not Verdelen en besluiten) and without the portal's code page."""
    settings.STAFF_REQUIRE_2FA = True
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_role("link", name="Inloggen met uw gemeente-account").click()
    _pick_account(page, STAFF_MFA)
    expect(page).to_have_url(re.compile(r"/admin/$"))
    sidebar = page.locator("aside, nav").filter(has_text="Beoordelen").first
    expect(sidebar.get_by_role("link", name="Beoordelen", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Verdelen en besluiten")).to_have_count(0)
    identity = LoginIdentity.objects.get(provider="medewerker")
    assert identity.user.email == STAFF_MFA_EMAIL
    assert list(identity.user.groups.values_list("name", flat=True)) == ["Beoordelaar"]


def test_a_staff_member_who_signed_on_logs_out_at_the_provider_too(
    oidc, live_server, context
):
    """Logging out of the admin after the sign-on ends the provider's session too:
    the browser lands on /uitgelogd/ and the admin asks for a login again."""
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_role("link", name="Inloggen met uw gemeente-account").click()
    _pick_account(page, STAFF_MFA)
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.locator("form[action$='/admin/logout/'] button").first.dispatch_event("click")
    expect(page).to_have_url(re.compile(r"/uitgelogd/$"))
    page.goto(live_server.url + "/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
