"""Who a beschikking is addressed to.

On the demo a bewonersgroep without legal form was the addressee. A group without legal
form cannot hold the subsidy: the person who applied for it receives it, so the letter
names that person, "namens" the group.
"""

import io

import pytest
from pypdf import PdfReader

from beoordeling.decisions.services import letters as letter_services
from beoordeling.decisions.services.letter_content import letter_content
from subsidies.models import Applicant, ApplicantKind
from tests.factories import fixed_round

pytestmark = pytest.mark.django_db


def _content(application):
    application.refresh_from_db()
    return letter_content(
        application=application,
        kind="verlening",
        kenmerk="D2026-000001",
        date_sent=None,
    )


def test_a_group_without_legal_form_is_addressed_through_the_person_who_applied():
    """Addressee: the contact person; the address says on whose behalf; the PDF
    shows the person and the group."""
    _round, (application,), _decider = fixed_round(count=1)
    Applicant.objects.filter(pk=application.applicant_id).update(
        kind=ApplicantKind.INFORMAL_GROUP,
        kvk_number="",
        name="Bewoners van de Zonstraat",
        contact_name="Anouk Bakker",
        penvoerder_name="",
    )
    content = _content(application)
    assert content.addressee_name == "Anouk Bakker"
    assert content.addressee_address[0] == "namens Bewoners van de Zonstraat"
    decision, _created = letter_services.decision_issue(
        application=application, notify=False
    )
    with decision.document.file.open("rb") as handle:
        text = " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages
        )
    assert "Anouk Bakker" in text
    assert "namens Bewoners van de Zonstraat" in text


def test_an_organisation_and_a_group_with_penvoerder_stay_the_addressee():
    """A stichting is addressed itself, for the attention of its contact person."""
    _round, (application,), _decider = fixed_round(count=1)
    Applicant.objects.filter(pk=application.applicant_id).update(
        name="Stichting Buurtkracht", contact_name="Petra de Vries"
    )
    content = _content(application)
    assert content.addressee_name == "Stichting Buurtkracht"
    assert content.addressee_address[0] == "t.a.v. Petra de Vries"
