"""A beschikking names each legal basis and each obligation once, read back from the
PDF; the e-mails of the assessment mask an IBAN like the letter does."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from beoordeling.assessment import services as assessment
from beoordeling.decisions.services import decisions as services
from beoordeling.decisions.services.letter_content import letter_content
from beoordeling.letters import (
    LetterType,
    format_date,
    legal_basis_items,
    render_letter,
)
from beoordeling.models import DecisionKind
from subsidies.models import Scheme
from tests.beoordeling.decisions.test_decision_letters import pdf_text, scenario  # noqa: F401
from tests.beoordeling.test_letters import make_content, pdf_pages
from tests.factories import assessment_case

pytestmark = pytest.mark.django_db

#: As the demo schemes have them: the general grounds again, then the nadere regel.
LEGAL_BASIS = (
    "Algemene wet bestuursrecht, titel 4.2 (subsidies); Algemene Subsidieverordening "
    "gemeente Utrecht (ASV); Nadere regel Initiatievenfonds Utrecht 2026, artikel 5."
)
#: The scheme's own list says the activity is carried out as applied for, and one
#: obligation is on two lines.
OBLIGATIONS = (
    "U voert de activiteit uit zoals in uw aanvraag staat.\n"
    "U regelt zelf de vergunningen die nodig zijn.\n"
    "Bewaar de bonnen en rekeningen vijf jaar.\n"
    "U regelt zelf de vergunningen die nodig zijn."
)


def count(needle, text):
    return len(re.findall(re.escape(needle), text, re.IGNORECASE))


def test_a_verlening_names_each_legal_basis_and_each_obligation_once(scenario):  # noqa: F811
    application = scenario["apps"]["verlening"]
    Scheme.objects.filter(pk=application.round.scheme_id).update(
        legal_basis=LEGAL_BASIS, letter_obligations=OBLIGATIONS
    )
    decision, _ = services.decision_issue(application=application, notify=False)
    text = pdf_text(decision)

    # The legal basis: Awb titel 4.2, the ASV and the nadere regel, once each.
    assert count("titel 4.2", text) == 1
    assert count("Algemene wet bestuursrecht", text) == 1
    assert count("subsidieverordening", text) == 1
    assert count("(ASV)", text) == 1
    assert count("Nadere regel Initiatievenfonds Utrecht 2026, artikel 5.", text) == 1

    # The obligations: carrying out the activity, its last day and each other one.
    end = format_date(application.activity_end)
    assert count("voert de activiteit", text) == 1
    assert count(f"uiterlijk op {end}", text) == 1
    assert count(end, text) == 2  # the period in the dictum, the deadline once
    assert count("De activiteiten moeten", text) == 0
    for obligation in (
        "U voert de activiteit uit zoals in uw aanvraag staat.",
        f"U bent uiterlijk op {end} klaar met de activiteiten.",
        "U regelt zelf de vergunningen die nodig zijn.",
        "Bewaar de bonnen en rekeningen vijf jaar.",
    ):
        assert count(obligation, text) == 1, obligation


def test_without_a_carry_out_obligation_the_letter_states_it_with_the_date(scenario):  # noqa: F811
    application = scenario["apps"]["verlening"]
    Scheme.objects.filter(pk=application.round.scheme_id).update(
        letter_obligations="Bewaar de bonnen en rekeningen vijf jaar."
    )
    application.refresh_from_db()
    content = letter_content(
        application=application,
        kind=DecisionKind.VERLENING,
        kenmerk="D2026-000001",
        date_sent=timezone.localdate(),
    )
    end = format_date(application.activity_end)
    assert content.obligations == (
        f"U voert de activiteiten uit zoals beschreven in uw aanvraag, uiterlijk op {end}.",
        "Bewaar de bonnen en rekeningen vijf jaar.",
    )


@pytest.mark.parametrize(
    # After the award: tests/beoordeling/test_letters_after_award.py.
    "letter_type",
    [t for t in LetterType if not t.after_award],
)
def test_every_letter_type_names_each_ground_once(letter_type):
    """Also the article a refusal adds (4:25, 4:5) when the scheme names it too."""
    basis = (
        "Awb titel 4.2 en de ASV gemeente Utrecht;\n"
        "artikel 4:25, tweede lid, Awb; artikel 4:5 Awb;\n"
        "Nadere regel Initiatievenfonds Utrecht, artikel 5"
    )
    content = make_content(letter_type, legal_basis=basis)
    text = " ".join(pdf_pages(render_letter(content)))
    items = legal_basis_items(content)
    assert len(items) == len(set(items))
    assert count("titel 4.2", text) == 1
    assert count("(ASV)", text) == 1
    assert count("Nadere regel Initiatievenfonds Utrecht, artikel 5", text) == 1
    assert len(re.findall(r"4:25\b", text)) == 1
    assert len(re.findall(r"4:5\b", text)) == 1


def test_the_supplement_request_e_mail_masks_an_iban(
    django_capture_on_commit_callbacks,
):
    case = assessment_case()
    with django_capture_on_commit_callbacks(execute=True):
        assessment.supplement_request(
            application=case.application,
            actor=case.assessors[0],
            message="Klopt rekening NL91 ABNA 0417 1643 00 nog?",
            due_on=timezone.localdate() + timedelta(days=14),
        )
    body = mail.outbox[-1].body
    assert "Klopt rekening NL91 **** **** 4300 nog?" in body
    assert "NL91ABNA0417164300" not in body.replace(" ", "")
