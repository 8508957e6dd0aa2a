"""The resident's verantwoording with the test client: what is due on "Mijn aanvragen"
and the status page, every step saving and reading back what was typed, nothing lost on
an error, sending it (read-only afterwards), the gemeente's question and the answer,
and another resident's view of every URL."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone

from subsidies import reports, steps
from subsidies.models import (
    Application,
    BudgetLine,
    Document,
    OutgoingMail,
    Report,
    TransitionLog,
)
from subsidies.workflow import Status
from tests.factories import (
    ApplicationFactory,
    RoundFactory,
    SchemeFactory,
    UserFactory,
    assessor,
)

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def url(application, step):
    return reverse("subsidies:report_step", args=[application.reference, step])


@pytest.fixture
def awarded():
    application = ApplicationFactory(awarded=True)
    # Two approved lines, together the award: 2.000 + 500 euro.
    line = application.budget_lines.get()
    BudgetLine.objects.filter(pk=line.pk).update(amount_cents=200_000)
    BudgetLine.objects.create(
        application=application,
        category=BudgetLine.Category.RENT,
        description="Huur buurthuis",
        amount_cents=50_000,
    )
    return application


@pytest.fixture
def resident(client, awarded):
    client.force_login(awarded.applicant_user)
    return client


def _post(client, application, step, data, action="next"):
    page = client.get(url(application, step))
    version = page.context.get("step_version")
    payload = {**data, "action": action}
    if version is not None:
        payload["stap_versie"] = version
    return client.post(url(application, step), payload)


def _money(application, spent, income=()):
    lines = list(application.budget_lines.all())
    data = {
        "spent-TOTAL_FORMS": len(lines),
        "spent-INITIAL_FORMS": len(lines),
        "income-TOTAL_FORMS": max(len(income), 1),
        "income-INITIAL_FORMS": 0,
    }
    for index, amount in enumerate(spent):
        data[f"spent-{index}-spent"] = amount
    for index, (source, amount) in enumerate(income):
        data[f"income-{index}-source"] = source
        data[f"income-{index}-amount"] = amount
    return data


def fill_in(client, application):
    _post(
        client,
        application,
        steps.REPORT_ACTIVITY,
        {
            "what_happened": "Elke woensdag koken met de buurt.",
            "course": "deels",
            "deviations": "Twee avonden vielen uit door de hitte.",
            "started_on": "01-03-2026",
            "ended_on": "30-06-2026",
        },
    )
    _post(
        client,
        application,
        steps.REPORT_PEOPLE,
        {"participants": "140", "volunteers": "12"},
    )
    _post(
        client,
        application,
        steps.REPORT_MONEY,
        _money(application, ["1.850,50", "500"], [("Fonds Buurt", "250")]),
    )
    client.post(
        url(application, steps.REPORT_PROOF),
        {"action": "upload", "file": SimpleUploadedFile("foto.png", PNG)},
    )


def test_the_status_page_and_my_applications_say_when_the_report_is_due(
    resident, awarded
):
    due = date_filter(awarded.report_due_on, "j F Y")
    for page in (
        resident.get(reverse("subsidies:my_applications")),
        resident.get(reverse("subsidies:detail", args=[awarded.reference])),
    ):
        text = page.content.decode()
        assert f"Stuur uw verantwoording uiterlijk op {due}." in text
        assert reverse("subsidies:report_resume", args=[awarded.reference]) in text


def test_a_direct_grant_without_a_report_says_nothing_is_to_be_sent(client):
    scheme = SchemeFactory(
        slug="flex", name="Flex", reference_prefix="FX", settlement_route="direct"
    )
    application = ApplicationFactory(awarded=True, round=RoundFactory(scheme=scheme))
    client.force_login(application.applicant_user)
    page = client.get(reverse("subsidies:detail", args=[application.reference]))
    assert "U hoeft ons niets te sturen." in page.content.decode()
    assert client.get(url(application, steps.REPORT_ACTIVITY)).status_code == 302


def test_every_step_saves_and_reads_back_what_was_typed(resident, awarded):
    fill_in(resident, awarded)
    report = Report.objects.get(application=awarded)
    assert report.what_happened == "Elke woensdag koken met de buurt."
    assert report.course == "deels"
    assert report.deviations.startswith("Twee avonden")
    assert report.started_on.isoformat() == "2026-03-01"
    assert report.ended_on.isoformat() == "2026-06-30"
    assert (report.participants, report.volunteers) == (140, 12)
    spent = {
        line.budget_line.description: line.spent_cents for line in report.lines.all()
    }
    assert spent == {"Kookgerei en boodschappen": 185_050, "Huur buurthuis": 50_000}
    assert [(i.source, i.amount_cents) for i in report.income.all()] == [
        ("Fonds Buurt", 25_000)
    ]
    proof = Document.objects.get(application=awarded, kind=Document.Kind.REPORT)
    assert proof.original_name == "foto.png"
    # Coming back, each step shows what is stored.
    page = resident.get(url(awarded, steps.REPORT_ACTIVITY)).content.decode()
    assert "Elke woensdag koken met de buurt." in page and "01-03-2026" in page
    page = resident.get(url(awarded, steps.REPORT_PEOPLE)).content.decode()
    assert 'value="140"' in page and 'value="12"' in page
    page = resident.get(url(awarded, steps.REPORT_MONEY)).content.decode()
    assert 'value="1.850,50"' in page and 'value="Fonds Buurt"' in page
    assert "€ 2.350,50" in page.replace("\xa0", " ")
    page = resident.get(url(awarded, steps.REPORT_SEND)).content.decode()
    assert "foto.png" in page and "Fonds Buurt" in page and "140" in page


def test_the_money_step_is_prefilled_with_the_approved_amounts(resident, awarded):
    page = resident.get(url(awarded, steps.REPORT_MONEY)).content.decode()
    assert 'value="2.000,00"' in page and 'value="500,00"' in page


def test_an_error_loses_nothing_typed(resident, awarded):
    response = _post(
        resident,
        awarded,
        steps.REPORT_MONEY,
        _money(awarded, ["12,3,4", "500"], [("Sponsor", "75")]),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="12,3,4"' in page and 'value="Sponsor"' in page
    assert "Vul een bedrag in euro" in page
    assert not Report.objects.get(application=awarded).lines.exists()
    # Step 1 keeps the valid part and shows the rest as typed.
    response = _post(
        resident,
        awarded,
        steps.REPORT_ACTIVITY,
        {"what_happened": "Koken.", "course": "", "started_on": "31-02-2026"},
    )
    page = response.content.decode()
    assert "Kies of het ging zoals u had gepland." in page
    assert 'value="31-02-2026"' in page
    report = Report.objects.get(application=awarded)
    assert report.what_happened == "Koken." and report.started_on is None
    # After a reload the stored part is there.
    assert (
        "Koken." in resident.get(url(awarded, steps.REPORT_ACTIVITY)).content.decode()
    )


def test_a_stale_tab_is_refused_and_keeps_what_it_typed(resident, awarded):
    page = resident.get(url(awarded, steps.REPORT_PEOPLE))
    version = page.context["step_version"]
    first = {"participants": "10", "volunteers": "2", "stap_versie": version}
    resident.post(url(awarded, steps.REPORT_PEOPLE), {**first, "action": "next"})
    second = {"participants": "99", "volunteers": "3", "stap_versie": version}
    response = resident.post(
        url(awarded, steps.REPORT_PEOPLE), {**second, "action": "next"}
    )
    text = response.content.decode()
    assert "Nu bewaard" in text and 'value="99"' in text
    assert Report.objects.get(application=awarded).participants == 10


def test_sending_fires_submit_report_and_makes_it_read_only(resident, awarded):
    fill_in(resident, awarded)
    response = resident.post(
        url(awarded, steps.REPORT_SEND), {"truthful_declaration": "on"}
    )
    assert response.status_code == 302
    stored = Application.objects.get(pk=awarded.pk)
    assert stored.status == Status.REPORT_SUBMITTED
    assert TransitionLog.objects.filter(
        application=awarded, transition="submit_report"
    ).exists()
    receipt = OutgoingMail.objects.filter(reference=awarded.reference).latest("pk")
    assert "verantwoording" in receipt.subject and "Fonds Buurt" in receipt.body
    # Read-only: the steps send the resident to the report as sent.
    again = resident.get(url(awarded, steps.REPORT_MONEY))
    assert again.url == reverse("subsidies:report", args=[awarded.reference])
    shown = resident.get(again.url).content.decode()
    assert (
        "Elke woensdag koken met de buurt." in shown
        and "€ 1.850,50" in shown.replace("\xa0", " ")
    )
    detail = resident.get(reverse("subsidies:detail", args=[awarded.reference]))
    assert "Wij hebben uw verantwoording ontvangen." in detail.content.decode()


def test_an_incomplete_report_is_not_sent_and_says_what_is_missing(resident, awarded):
    response = resident.post(
        url(awarded, steps.REPORT_SEND), {"truthful_declaration": "on"}
    )
    assert response.status_code == 200
    assert "Vertel wat er is gebeurd (stap 1)." in response.content.decode()
    assert Application.objects.get(pk=awarded.pk).status == Status.AWARDED


def test_a_question_pauses_the_clock_and_the_answer_resumes_it(resident, awarded):
    fill_in(resident, awarded)
    resident.post(url(awarded, steps.REPORT_SEND), {"truthful_declaration": "on"})
    sent = Application.objects.get(pk=awarded.pk)
    fixing_due = sent.fixing_due_on
    asked_at = timezone.now()
    reports.report_question_ask(
        application=sent,
        actor=assessor(),
        message="Stuur de bon van de huur.",
        due_on=timezone.localdate() + timedelta(days=14),
        at=asked_at,
    )
    detail = resident.get(reverse("subsidies:detail", args=[awarded.reference]))
    text = detail.content.decode()
    assert "Stuur de bon van de huur." in text and "Vraag beantwoorden" in text
    # The report opens again; sending it needs the answer.
    response = resident.post(
        url(awarded, steps.REPORT_SEND), {"truthful_declaration": "on"}
    )
    assert "Schrijf uw antwoord op onze vraag." in response.content.decode()
    later = asked_at + timedelta(days=5)
    reports.report_submit(
        application=Application.objects.get(pk=awarded.pk),
        user=awarded.applicant_user,
        truthful_declaration=True,
        answer="De bon zit erbij.",
        at=later,
    )
    stored = Application.objects.get(pk=awarded.pk)
    assert stored.status == Status.REPORT_SUBMITTED
    assert stored.fixing_due_on == fixing_due + timedelta(days=5)
    question = Report.objects.get(application=awarded).questions.get()
    assert question.answer == "De bon zit erbij."


URL_NAMES = [
    ("subsidies:report", ()),
    ("subsidies:report_resume", ()),
    ("subsidies:report_step", (steps.REPORT_ACTIVITY,)),
    ("subsidies:report_step", (steps.REPORT_MONEY,)),
    ("subsidies:report_step", (steps.REPORT_SEND,)),
]


def test_another_resident_gets_404_on_every_report_url(client, awarded):
    client.force_login(awarded.applicant_user)
    fill_in(client, awarded)
    proof = Document.objects.get(application=awarded, kind=Document.Kind.REPORT)
    client.force_login(UserFactory(role="Aanvrager"))
    for name, args in URL_NAMES:
        target = reverse(name, args=[awarded.reference, *args])
        assert client.get(target).status_code == 404, name
        assert client.post(target, {"action": "next"}).status_code == 404, name
    delete = reverse(
        "subsidies:report_document_delete", args=[awarded.reference, proof.pk]
    )
    assert client.post(delete).status_code == 404
    assert Document.objects.filter(pk=proof.pk).exists()
    assert Report.objects.get(application=awarded).participants == 140
