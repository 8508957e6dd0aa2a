"""The e-mails staff send name the scheme in the resident's language: its English name
when an editor filled one in, the Dutch name otherwise; always as plain text, never
the page's ``<span lang="nl">`` markup."""

import pytest
from django.utils import translation

from subsidies.models import Applicant, OutgoingMail
from tests.factories import AddressedApplicantFactory, ApplicationFactory, RoundFactory

pytestmark = pytest.mark.django_db


def _request_mail(applicant, round_):
    # The assessor asks on a Dutch screen.
    with translation.override("nl"):
        application = ApplicationFactory(
            applicant=applicant, round=round_, supplement_requested=True
        )
    return OutgoingMail.objects.filter(reference=application.reference).last()


@pytest.mark.parametrize(
    ("language", "name_en", "expected"),
    [
        ("en", "Residents' Initiatives Fund", "Residents' Initiatives Fund"),
        ("en", "", "Initiatievenfonds Test"),
        ("nl", "Residents' Initiatives Fund", "Initiatievenfonds Test"),
    ],
)
def test_the_request_for_more_information_names_the_scheme_in_the_residents_language(
    language, name_en, expected
):
    round_ = RoundFactory(
        scheme__name="Initiatievenfonds Test", scheme__name_en=name_en
    )
    applicant = AddressedApplicantFactory()
    Applicant.objects.filter(pk=applicant.pk).update(mail_language=language)
    applicant.refresh_from_db()

    mail = _request_mail(applicant, round_)

    assert expected in mail.body
    if expected != "Initiatievenfonds Test":
        assert "Initiatievenfonds Test" not in mail.body
    assert "<span" not in mail.body and "lang=" not in mail.body
