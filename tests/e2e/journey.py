"""The six steps of the resident's application form in a real browser, in Dutch or in
English: one deliberate mistake per step, reported above the form and at the field,
nothing typed lost, axe-core at 0 violations on every page with and without errors.

test_journey.py (Dutch, with a closed browser between step 3 and step 4 and the
decision letter) and test_journey_english.py (English) both fill the form through
``fill_steps_one_to_three`` and ``fill_steps_four_to_six``; ``DUTCH`` and ``ENGLISH``
hold what the resident reads and types in each language. Content that lives in the
database (wijken, buurten, target groups, themes, the scheme's own questions) stays
Dutch in both; the scheme's questions are found by their field name.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 256
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
#: The budget lines: two amounts of which the second is first typed in words.
AMOUNT, RENT = "1.250,50", "300"
#: What the resident asks for, in cents.
REQUESTED_CENTS = 155050


@dataclass(frozen=True)
class Texts:
    """What the resident reads and types on the six steps, in one language."""

    lang: str
    save: str
    # step 1
    applicant_heading: str
    residents_group: str
    organisation_name: str
    group_name: str
    contact_name_label: str
    contact_name: str
    contact_email: str
    street: str
    postcode: str
    iban: str
    account_holder_label: str
    account_holder: str
    wrong_iban: str
    # step 2
    initiative_heading: str
    title_label: str
    title: str
    summary_label: str
    summary: str
    wijk_label: str
    first_day: str
    last_day: str
    partner_label: str
    end_before_start: str
    # step 3
    impact_heading: str
    impact_label: str
    impact: str
    reach_label: str
    volunteers_label: str
    support: str
    open_question: str
    # step 4
    budget_heading: str
    food: str
    groceries: str
    rent: str
    hall: str
    in_words: str
    amount_in_words: str
    # step 5
    documents_heading: str
    document_kind: str
    kind_budget: str
    kind_support: str
    choose_file: str
    add_file: str
    budget_file: str
    support_file: str
    file_refused: str
    # step 6
    review_heading: str
    still_to_add: str
    by_email: str
    send: str
    not_declared: str
    declaration: str


DUTCH = Texts(
    lang="nl",
    save="Opslaan en verder",
    applicant_heading="Over de aanvrager",
    residents_group="Bewonersgroep zonder rechtsvorm",
    organisation_name="Naam van de stichting, vereniging of bewonersgroep",
    group_name="Bewonersgroep Eettafel Hoograven",
    contact_name_label="Naam van de contactpersoon",
    contact_name="Fatima El Amrani",
    contact_email="E-mailadres van de contactpersoon",
    street="Straat en huisnummer",
    postcode="Postcode",
    iban="IBAN (rekeningnummer)",
    account_holder_label="Tenaamstelling van de rekening",
    account_holder="F. El Amrani",
    wrong_iban="Dit IBAN klopt niet",
    initiative_heading="Uw initiatief",
    title_label="Titel van uw initiatief",
    title="Eettafel voor buren",
    summary_label="Korte beschrijving",
    summary="Elke woensdag koken buren voor buren die alleen wonen.",
    wijk_label="In welke wijk vindt de activiteit plaats?",
    first_day="Eerste dag van de activiteit",
    last_day="Laatste dag van de activiteit",
    partner_label="Naam van de partner",
    end_before_start="De laatste dag ligt voor de eerste dag",
    impact_heading="Wat levert het op?",
    impact_label="Wat verandert er door uw initiatief?",
    impact=(
        "Buren die alleen wonen eten samen en leren elkaar kennen. We tellen de "
        "gasten en vragen twee keer per jaar wat het hun oplevert."
    ),
    reach_label="Hoeveel mensen doen ongeveer mee?",
    volunteers_label="Hoeveel vrijwilligers helpen mee?",
    support="Veertig buren tekenden de lijst.",
    open_question="Draait uw initiatief helemaal op vrijwilligers?",
    budget_heading="Begroting",
    food="Eten en drinken",
    groceries="Boodschappen",
    rent="Huur van ruimte",
    hall="Zaal in het buurthuis",
    in_words="twintig",
    amount_in_words="Kostenpost 2: Vul een bedrag",
    documents_heading="Bijlagen",
    document_kind="Wat voor document is het?",
    kind_budget="Begroting",
    kind_support="Bewijs van draagvlak",
    choose_file="Kies een bestand",
    add_file="Bestand toevoegen",
    budget_file="begroting.pdf",
    support_file="handtekeningen.pdf",
    file_refused="Dit soort bestand kunnen wij niet aannemen",
    review_heading="Controleren en versturen",
    still_to_add="Dit moet u nog aanvullen",
    by_email="Ik wil het besluit over deze aanvraag",
    send="Aanvraag versturen",
    not_declared="naar waarheid",
    declaration="Ik verklaar dat ik alles naar waarheid heb ingevuld.",
)

ENGLISH = Texts(
    lang="en",
    save="Save and continue",
    applicant_heading="About the applicant",
    residents_group="Residents' group without a legal form",
    organisation_name="Name of the foundation, association or residents' group",
    group_name="Residents of Hoograven",
    contact_name_label="Name of the contact person",
    contact_name="Sam Jansen",
    contact_email="E-mail address of the contact person",
    street="Street and house number",
    postcode="Postcode",
    iban="IBAN (account number)",
    account_holder_label="Account holder's name",
    account_holder="S. Jansen",
    wrong_iban="This IBAN is not correct",
    initiative_heading="Your initiative",
    title_label="Title of your initiative",
    title="Dinner table for neighbours",
    summary_label="Short description",
    summary="Every Wednesday neighbours cook for neighbours who live alone.",
    wijk_label="In which district (wijk) does the activity take place?",
    first_day="First day of the activity",
    last_day="Last day of the activity",
    partner_label="Name of the partner",
    end_before_start="The last day is before the first day",
    impact_heading="What does it bring?",
    impact_label="What changes because of your initiative?",
    impact="Neighbours who live alone eat together and get to know each other.",
    reach_label="About how many people take part?",
    volunteers_label="How many volunteers help?",
    support="Forty neighbours signed.",
    open_question="Choose yes or no for:",
    budget_heading="Budget",
    food="Food and drink",
    groceries="Groceries",
    rent="Rent of a space",
    hall="Hall in the community centre",
    in_words="twenty",
    amount_in_words="Cost item 2: Enter an amount in euros",
    documents_heading="Attachments",
    document_kind="What kind of document is it?",
    kind_budget="Budget",
    kind_support="Proof of support",
    choose_file="Choose a file",
    add_file="Add a file",
    budget_file="budget.pdf",
    support_file="signatures.pdf",
    file_refused="We cannot accept this type of file",
    review_heading="Check and send",
    still_to_add="You still need to add this",
    by_email="I want to receive the decision on this application by e-mail",
    send="Send application",
    not_declared="truthfully",
    declaration="I declare that I have filled in everything truthfully.",
)


def day(days):
    """A date ``days`` from today as the form takes it (dd-mm-jjjj)."""
    return (timezone.localdate() + timedelta(days=days)).strftime("%d-%m-%Y")


def summary(page):
    return page.locator(".portal-error-summary")


def expect_error(page, text):
    """The error summary is shown, has the focus and names ``text``."""
    expect(summary(page)).to_be_visible()
    expect(page.locator("#error-summary-title")).to_be_focused()
    expect(summary(page)).to_contain_text(text)


def _save(page, t):
    page.get_by_role("button", name=t.save, exact=True).click()


def fill_steps_one_to_three(page, t, assert_accessible, *, email):
    """Steps 1 (a wrong IBAN), 2 (the end before the start) and 3 (a scheme question
    left open), each first with its mistake and then right; ends on step 4."""
    # --- step 1: the applicant, with a wrong IBAN -------------------------------------
    expect(
        page.get_by_role("heading", name=t.applicant_heading, level=1)
    ).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", t.lang)
    assert_accessible(page, "step 1")
    page.get_by_label(t.residents_group).check()
    page.get_by_label(t.organisation_name).fill(t.group_name)
    page.get_by_label(t.contact_name_label).fill(t.contact_name)
    expect(page.get_by_label(t.contact_email)).to_have_value(email)
    page.get_by_label(t.street).fill("Hoofdstraat 12")
    page.get_by_label(t.postcode).fill("3526 AB")
    page.get_by_label(t.iban).fill("NL91 ABNA 0417 1643 01")
    page.get_by_label(t.account_holder_label).fill(t.account_holder)
    _save(page, t)
    expect_error(page, t.wrong_iban)
    expect(page.get_by_label(t.organisation_name)).to_have_value(t.group_name)
    expect(page.get_by_label(t.contact_name_label)).to_have_value(t.contact_name)
    expect(page.get_by_label(t.postcode)).to_have_value("3526 AB")
    expect(page.get_by_label(t.iban)).to_have_value("NL91 ABNA 0417 1643 01")
    expect(page.get_by_label(t.iban)).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "step 1 with an error")
    summary(page).get_by_role("link", name=re.compile(t.wrong_iban)).click()
    expect(page.get_by_label(t.iban)).to_be_focused()
    page.get_by_label(t.iban).fill("NL91 ABNA 0417 1643 00")
    _save(page, t)

    # --- step 2: the initiative, with the end before the start ------------------------
    expect(
        page.get_by_role("heading", name=t.initiative_heading, level=1)
    ).to_be_visible()
    assert_accessible(page, "step 2")
    page.get_by_label(t.title_label).fill(t.title)
    page.get_by_label(t.summary_label).fill(t.summary)
    page.get_by_label(t.wijk_label).select_option(label="Zuid")
    page.get_by_label("Hoograven (Zuid)").check()
    page.get_by_label(t.first_day).fill(day(40))
    page.get_by_label(t.last_day).fill(day(10))
    page.get_by_label("Ouderen", exact=True).check()
    page.get_by_label("Samen eten", exact=True).check()
    page.get_by_label(t.partner_label).fill("Buurthuis De Boog")
    _save(page, t)
    expect_error(page, t.end_before_start)
    expect(page.get_by_label(t.title_label)).to_have_value(t.title)
    expect(page.get_by_label(t.last_day)).to_have_value(day(10))
    expect(page.get_by_label("Hoograven (Zuid)")).to_be_checked()
    expect(page.get_by_label(t.partner_label)).to_have_value("Buurthuis De Boog")
    assert_accessible(page, "step 2 with an error")
    page.get_by_label(t.last_day).fill(day(200))
    _save(page, t)

    # --- step 3: impact, with a scheme question left open -----------------------------
    expect(page.get_by_role("heading", name=t.impact_heading, level=1)).to_be_visible()
    assert_accessible(page, "step 3")
    page.get_by_label(t.impact_label).fill(t.impact)
    page.get_by_label(t.reach_label).fill("35")
    page.get_by_label(t.volunteers_label).fill("6")
    page.locator("[name=q_jaren_gefinancierd]").fill("0")
    page.locator("[name=q_draagvlak]").fill(t.support)
    page.locator("input[name=q_toegankelijk][value=ja]").check()
    _save(page, t)
    expect_error(page, t.open_question)
    expect(page.get_by_label(t.reach_label)).to_have_value("35")
    expect(page.get_by_label(t.impact_label)).to_have_value(t.impact)
    expect(page.locator("input[name=q_toegankelijk][value=ja]")).to_be_checked()
    assert_accessible(page, "step 3 with an error")
    page.locator("input[name=q_volledig_vrijwillig][value=ja]").check()
    _save(page, t)
    expect(page.get_by_role("heading", name=t.budget_heading, level=1)).to_be_visible()


def fill_steps_four_to_six(page, t, assert_accessible):
    """Steps 4 (an amount in words), 5 (an executable called .pdf) and 6 (the
    declaration left open), each first with its mistake and then right; the resident
    asks for the decision by e-mail and sends the application."""
    # --- step 4: the budget, with an amount in words ----------------------------------
    expect(page.get_by_role("heading", name=t.budget_heading, level=1)).to_be_visible()
    expect(page.locator(".portal-stepper__item--done")).to_have_count(3)
    assert_accessible(page, "step 4")
    page.locator("select[name='lines-0-category']").select_option(label=t.food)
    page.locator("input[name='lines-0-description']").fill(t.groceries)
    page.locator("input[name='lines-0-amount']").fill(AMOUNT)
    page.locator("select[name='lines-1-category']").select_option(label=t.rent)
    page.locator("input[name='lines-1-description']").fill(t.hall)
    page.locator("input[name='lines-1-amount']").fill(t.in_words)
    expect(page.locator("[data-budget-total]")).to_have_text("€ 1.250,50 *")
    _save(page, t)
    expect_error(page, t.amount_in_words)
    expect(page.locator("input[name='lines-1-amount']")).to_have_value(t.in_words)
    expect(page.locator("input[name='lines-0-amount']")).to_have_value(AMOUNT)
    assert_accessible(page, "step 4 with an error")
    page.locator("input[name='lines-1-amount']").fill(RENT)
    expect(page.locator("[data-budget-total]")).to_have_text("€ 1.550,50")
    _save(page, t)

    # --- step 5: documents, first an executable called .pdf ---------------------------
    expect(
        page.get_by_role("heading", name=t.documents_heading, level=1)
    ).to_be_visible()
    assert_accessible(page, "step 5")
    page.get_by_label(t.document_kind).select_option(label=t.kind_budget)
    page.get_by_label(t.choose_file).set_input_files(
        {"name": t.budget_file, "mimeType": "application/pdf", "buffer": EXECUTABLE}
    )
    page.get_by_role("button", name=t.add_file).click()
    expect_error(page, t.file_refused)
    expect(page.get_by_label(t.document_kind)).to_have_value("begroting")
    assert_accessible(page, "step 5 with an error")
    page.get_by_label(t.document_kind).select_option(label=t.kind_support)
    page.get_by_label(t.choose_file).set_input_files(
        {"name": t.support_file, "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name=t.add_file).click()
    expect(page.get_by_role("link", name=t.support_file)).to_be_visible()
    _save(page, t)

    # --- step 6: review, first without the declaration --------------------------------
    expect(page.get_by_role("heading", name=t.review_heading, level=1)).to_be_visible()
    expect(page.get_by_text(t.still_to_add)).to_have_count(0)
    expect(page.locator("html")).to_have_attribute("lang", t.lang)
    assert_accessible(page, "step 6")
    by_email = page.get_by_label(re.compile(re.escape(t.by_email)))
    by_email.check()
    page.get_by_role("button", name=t.send).click()
    expect_error(page, t.not_declared)
    expect(by_email).to_be_checked()
    assert_accessible(page, "step 6 with an error")
    page.get_by_label(t.declaration).check()
    page.get_by_role("button", name=t.send).click()
