"""Findings from a resident's walk through the portal, each read back from what the
resident sees: the rendered page or the e-mail."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core import mail
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone, translation

from subsidies import services, steps
from subsidies.iban import mask_iban, mask_ibans_in
from subsidies.mail import queue_mail
from subsidies.models import (
    Application,
    QuestionSet,
    TargetGroup,
    Theme,
)
from tests.factories import (
    ApplicantFactory,
    ApplicationFactory,
    RoundFactory,
    SchemeFactory,
)

pytestmark = pytest.mark.django_db

IBAN = "NL91ABNA0417164300"
MASKED = "NL91 **** **** 4300"


def step_url(application, step):
    return reverse("subsidies:step", args=[application.reference, step])


def page(client, application, url):
    client.force_login(application.applicant_user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def text(html):
    """The visible text of an HTML fragment, with white space squashed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def legends(html):
    return [
        text(legend)
        for legend in re.findall(r"<legend[^>]*>(.*?)</legend>", html, re.S)
    ]


def dutch_date(moment):
    with translation.override("nl"):
        return date_filter(timezone.localtime(moment), "j F Y")


@pytest.fixture
def scheme_with_questions():
    scheme = SchemeFactory()
    QuestionSet.objects.create(
        scheme=scheme,
        version=1,
        questions=[
            {
                "key": "bezoekers",
                "label": "Hoeveel bezoekers verwacht u per keer?",
                "kind": "number",
                "required": True,
            },
            {
                "key": "toegankelijk",
                "label": "Is de plek toegankelijk?",
                "kind": "yesno",
                "required": True,
            },
        ],
    )
    return RoundFactory(scheme=scheme)


# --- 1. a required row is not called optional ---------------------------------------------


def test_the_first_cost_line_is_not_called_optional(client):
    """The budget needs one cost line: 'Kostenpost 1' is not '(niet verplicht)'; the
    extra rows and the other income still are."""
    application = ApplicationFactory(amount_cents=0)
    found = legends(page(client, application, step_url(application, steps.BUDGET)))
    assert "Kostenpost 1" in found
    assert "Kostenpost 2 (niet verplicht)" in found
    assert "Inkomsten 1 (niet verplicht)" in found


def test_a_stored_cost_line_stays_required_and_the_next_one_is_optional(client):
    application = ApplicationFactory(amount_cents=50_000)
    found = legends(page(client, application, step_url(application, steps.BUDGET)))
    assert "Kostenpost 1" in found
    assert "Kostenpost 2 (niet verplicht)" in found


def test_the_first_cost_line_is_not_called_optional_after_an_error(client):
    """Sent back empty: the error asks for a cost line, the row still is not optional."""
    application = ApplicationFactory(amount_cents=0)
    client.force_login(application.applicant_user)
    response = client.post(
        step_url(application, steps.BUDGET),
        {
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0",
            "other-TOTAL_FORMS": "1",
            "other-INITIAL_FORMS": "0",
            "action": "next",
        },
    )
    html = response.content.decode()
    assert "Vul minstens één kostenpost in" in html
    assert "Kostenpost 1" in legends(html)
    assert "Kostenpost 1 (niet verplicht)" not in legends(html)


def test_optional_partners_are_still_marked_optional(client):
    application = ApplicationFactory()
    found = legends(page(client, application, step_url(application, steps.INITIATIVE)))
    assert "Partner 1 (niet verplicht)" in found


# --- 2. a number error names its question --------------------------------------------------


def _error_summary(html):
    block = re.search(r'portal-error-summary__list">(.*?)</ul>', html, re.S).group(1)
    return [text(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", block, re.S)]


def _field_error(html, field_id):
    match = re.search(rf'id="{field_id}-error">(.*?)</div>', html, re.S)
    assert match, f"no error at {field_id}"
    return text(match.group(1))


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("veel", "een heel getal in"),
        ("-3", "kan niet negatief zijn"),
        ("99999999", "is te hoog. Het mag hoogstens 1000000 zijn"),
    ],
)
def test_a_number_error_names_the_question(client, scheme_with_questions, typed, says):
    """At the field and in the summary above the form, the message names the question,
    for the scheme's own question and for the step's fixed numbers."""
    application = ApplicationFactory(round=scheme_with_questions)
    client.force_login(application.applicant_user)
    response = client.post(
        step_url(application, steps.IMPACT),
        {
            "impact_plan": "Wij tellen wie er komt.",
            "expected_reach": typed,
            "volunteers": "4",
            "q_bezoekers": typed,
            "q_toegankelijk": "ja",
            "action": "next",
        },
    )
    html = response.content.decode()
    question = "Hoeveel bezoekers verwacht u per keer?"
    reach = "Hoeveel mensen doen ongeveer mee?"
    own = _field_error(html, "id_q_bezoekers")
    fixed = _field_error(html, "id_expected_reach")
    assert question in own and says in own
    assert reach in fixed and says in fixed
    summary = _error_summary(html)
    assert any(question in item and says in item for item in summary), summary
    assert any(reach in item and says in item for item in summary), summary


def test_a_percent_sign_in_a_question_does_not_break_its_message(client):
    scheme = SchemeFactory()
    QuestionSet.objects.create(
        scheme=scheme,
        version=1,
        questions=[{"key": "deel", "label": "Welk % is eigen geld?", "kind": "number"}],
    )
    application = ApplicationFactory(round=RoundFactory(scheme=scheme))
    client.force_login(application.applicant_user)
    response = client.post(
        step_url(application, steps.IMPACT),
        {
            "impact_plan": "Wij tellen wie er komt.",
            "expected_reach": "10",
            "volunteers": "4",
            "q_deel": "-1",
            "action": "next",
        },
    )
    error = _field_error(response.content.decode(), "id_q_deel")
    assert "Het aantal bij 'Welk % is eigen geld?' kan niet negatief zijn." in error


# --- 3. on the last step, what is missing links to its field --------------------------------


def test_each_missing_answer_links_to_its_step_and_field(client, scheme_with_questions):
    """Every 'nog aanvullen' item is a link to its step page with the field's id, and
    that id is on that page."""
    TargetGroup.objects.create(slug="ouderen", name="Ouderen")
    Theme.objects.create(slug="ontmoeting", name="Ontmoeting")
    application = ApplicationFactory(round=scheme_with_questions, amount_cents=0)
    Application.objects.filter(pk=application.pk).update(title="", activity_start=None)
    html = page(client, application, step_url(application, steps.REVIEW))
    block = re.search(r'id="nog-niet-compleet">(.*?)</div></div>', html, re.S).group(1)
    items = re.findall(
        r'<li class="utrecht-unordered-list__item"><a class="utrecht-link" '
        r'href="([^"#]+)#([^"]+)">(.*?)</a></li>',
        block,
        re.S,
    )
    links = {text(label): (url, anchor) for url, anchor, label in items}
    expected = {
        "Vul de straat en het huisnummer in.": (steps.ORGANISATION, "id_street"),
        "Vul de titel van uw initiatief in.": (steps.INITIATIVE, "id_title"),
        "Vul de eerste dag van de activiteit in.": (
            steps.INITIATIVE,
            "id_activity_start",
        ),
        "Kies voor wie de activiteit is.": (steps.INITIATIVE, "id_target_groups_0"),
        "Vul in hoeveel mensen ongeveer meedoen.": (steps.IMPACT, "id_expected_reach"),
        "Beantwoord de vraag: Hoeveel bezoekers verwacht u per keer?": (
            steps.IMPACT,
            "id_q_bezoekers",
        ),
        "Beantwoord de vraag: Is de plek toegankelijk?": (
            steps.IMPACT,
            "id_q_toegankelijk_0",
        ),
        "Vul minstens één kostenpost in.": (steps.BUDGET, "id_lines-0-category"),
    }
    for problem, (step, anchor) in expected.items():
        assert links.get(problem) == (step_url(application, step), anchor), problem
    # Every item in the block is such a link, and each id is on the step it names.
    assert len(items) == block.count('<li class="utrecht-unordered-list__item">')
    pages = {}
    for url, anchor, _label in items:
        pages.setdefault(url, page(client, application, url))
        assert f'id="{anchor}"' in pages[url], (url, anchor)


# --- 4. a withdrawal is no decision -------------------------------------------------------


def test_a_withdrawn_application_says_when_it_was_withdrawn_not_decided(client):
    application = ApplicationFactory(submitted=True)
    services.application_withdraw(
        application=application, user=application.applicant_user
    )
    application.refresh_from_db()
    withdrawn_on = dutch_date(application.decided_at)
    detail = text(
        page(
            client,
            application,
            reverse("subsidies:detail", args=[application.reference]),
        )
    )
    assert f"Ingetrokken op {withdrawn_on}" in detail
    assert "Besloten op" not in detail
    assert "besluit uiterlijk" not in detail.lower()
    listing = text(page(client, application, reverse("subsidies:my_applications")))
    assert f"Ingetrokken op {withdrawn_on}" in listing
    assert "Besloten op" not in listing and "Besluit uiterlijk" not in listing


# --- 5. a late decision is explained --------------------------------------------------------


def test_a_passed_decision_deadline_is_explained(client):
    """Past the beslistermijn without a decision: the page says the gemeente is late and
    what the resident can do (ingebrekestelling, dwangsom after 2 weeks, Awb 4:17)."""
    application = ApplicationFactory(submitted=True)
    due = timezone.now() - timedelta(days=3)
    Application.objects.filter(pk=application.pk).update(decision_due_at=due)
    url = reverse("subsidies:detail", args=[application.reference])
    detail = text(page(client, application, url))
    assert "Wij zijn te laat met ons besluit" in detail
    assert f"Wij hadden uiterlijk op {dutch_date(due)} moeten beslissen" in detail
    assert "ingebrekestelling" in detail
    assert f"Zet uw kenmerk {application.reference} in de brief" in detail
    assert (
        "Heeft u 2 weken nadat wij uw brief kregen nog steeds geen besluit?" in detail
    )
    assert "dwangsom" in detail and "artikel 4:17" in detail
    assert "U krijgt een besluit uiterlijk op" not in detail
    listing = text(page(client, application, reverse("subsidies:my_applications")))
    assert f"{dutch_date(due)} (wij zijn te laat)" in listing


def test_no_lateness_before_the_deadline_nor_while_the_clock_is_paused(client):
    waiting = ApplicationFactory(submitted=True)
    url = reverse("subsidies:detail", args=[waiting.reference])
    assert "te laat" not in page(client, waiting, url)

    paused = ApplicationFactory(supplement_requested=True)
    Application.objects.filter(pk=paused.pk).update(
        decision_due_at=timezone.now() - timedelta(days=1)
    )
    url = reverse("subsidies:detail", args=[paused.reference])
    assert "te laat" not in page(client, paused, url)


# --- 6. no e-mail carries a full IBAN ------------------------------------------------------


def test_the_mask_is_the_letters_mask_and_finds_every_way_of_writing():
    assert ApplicantFactory.build(iban=IBAN).masked_iban == mask_iban(IBAN) == MASKED
    for written in (IBAN, "NL91 ABNA 0417 1643 00", "nl91 abna 0417 1643 00"):
        assert mask_ibans_in(f"Rekening {written}, dank u.") == (
            f"Rekening {MASKED}, dank u."
        )
    # Not an IBAN (the check digits fail), and a kenmerk: left alone.
    assert mask_ibans_in("NL12ABCD1234567890 IF-2026-0042") == (
        "NL12ABCD1234567890 IF-2026-0042"
    )


def test_queue_mail_masks_the_subject_and_the_body(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue_mail(to=["a@example.nl"], subject=f"Over {IBAN}", body=f"IBAN: {IBAN}")
    sent = mail.outbox[-1]
    assert sent.subject == f"Over {MASKED}" and sent.body == f"IBAN: {MASKED}"


def _no_full_iban(message):
    for content in (message.subject, message.body):
        assert IBAN not in content.replace(" ", "").upper()


def test_the_withdrawal_e_mail_masks_an_iban_in_the_reason(
    django_capture_on_commit_callbacks,
):
    application = ApplicationFactory(submitted=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_withdraw(
            application=application,
            user=application.applicant_user,
            reason="Stort het voorschot terug op NL91 ABNA 0417 1643 00.",
        )
    sent = mail.outbox[-1]
    assert "ingetrokken" in sent.subject
    assert f"terug op {MASKED}." in sent.body
    _no_full_iban(sent)


def test_the_supplement_e_mail_masks_an_iban_in_the_answer(
    django_capture_on_commit_callbacks,
):
    application = ApplicationFactory(
        supplement_requested=True, supplement_message="Klopt uw rekeningnummer?"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.supplement_submit(
            application=application,
            user=application.applicant_user,
            answer=f"Mijn nieuwe rekening is {IBAN}.",
            files=[],
        )
    sent = mail.outbox[-1]
    assert f"Mijn nieuwe rekening is {MASKED}." in sent.body
    _no_full_iban(sent)
