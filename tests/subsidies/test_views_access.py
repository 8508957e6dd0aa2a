"""Who may open what: only the applicant's own members; others get a 404, anonymous
visitors are sent to log in, and a sent application can no longer be changed."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from subsidies.models import Application, Document
from subsidies.services import ApplicationLocked, application_update
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _document(application, kind=Document.Kind.SUPPORT, name="lijst.pdf"):
    document = Document(
        application=application,
        kind=kind,
        original_name=name,
        content_type="application/pdf",
        size=9,
        sha256="a" * 64,
    )
    document.file.save("x", ContentFile(b"%PDF-1.4\n"), save=False)
    document.save()
    return document


def _urls(application, document):
    ref = application.reference
    return [
        reverse("subsidies:detail", args=[ref]),
        reverse("subsidies:resume", args=[ref]),
        reverse("subsidies:step", args=[ref, "initiatief"]),
        reverse("subsidies:step", args=[ref, "controle"]),
        reverse("subsidies:received", args=[ref]),
        reverse("subsidies:copy", args=[ref]),
        reverse("subsidies:supplement", args=[ref]),
        reverse("subsidies:withdraw", args=[ref]),
        reverse("subsidies:letter", args=[ref]),
        reverse("subsidies:document", args=[ref, document.pk]),
    ]


@pytest.fixture
def own_and_foreign():
    mine = ApplicationFactory()
    foreign = ApplicationFactory(submitted=True)
    return mine, foreign, _document(foreign)


def test_anonymous_visitors_are_sent_to_log_in(client, own_and_foreign):
    """Every page of an application redirects an anonymous visitor to the login."""
    _mine, foreign, document = own_and_foreign
    login = reverse("accounts:login")
    for url in [reverse("subsidies:my_applications"), *_urls(foreign, document)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{login}?next="), url


def test_another_applicants_application_document_and_letter_are_not_found(
    client, own_and_foreign
):
    """A logged-in applicant gets a 404 for every URL of someone else's application."""
    mine, foreign, document = own_and_foreign
    _document(foreign, kind=Document.Kind.DECISION_LETTER, name="besluit.pdf")
    client.force_login(mine.applicant_user)
    for url in _urls(foreign, document):
        assert client.get(url).status_code == 404, url
    delete = reverse("subsidies:document_delete", args=[foreign.reference, document.pk])
    assert client.post(delete).status_code == 404
    assert Document.objects.filter(pk=document.pk).exists()


def test_a_foreign_document_is_not_reachable_through_ones_own_application(
    client, own_and_foreign
):
    """Pairing one's own reference with another's document id still gives a 404."""
    mine, _foreign, document = own_and_foreign
    client.force_login(mine.applicant_user)
    url = reverse("subsidies:document", args=[mine.reference, document.pk])
    assert client.get(url).status_code == 404


def test_posting_to_another_applicants_step_changes_nothing(client, own_and_foreign):
    """A POST to a step of a foreign concept is a 404 and leaves it as it was."""
    mine, _foreign, _document_ = own_and_foreign
    other = ApplicationFactory()
    client.force_login(mine.applicant_user)
    url = reverse("subsidies:step", args=[other.reference, "initiatief"])
    response = client.post(url, {"title": "Overgenomen"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.title != "Overgenomen"


def test_a_staff_member_without_membership_sees_no_applicant_pages(client):
    """Being staff gives no access to the applicant's pages either."""
    application = ApplicationFactory(submitted=True)
    client.force_login(UserFactory(role="Beoordelaar"))
    url = reverse("subsidies:detail", args=[application.reference])
    assert client.get(url).status_code == 404


def test_own_documents_are_served_as_attachments(client):
    """The owner downloads a document, as an attachment with nosniff."""
    application = ApplicationFactory()
    document = _document(application)
    client.force_login(application.applicant_user)
    url = reverse("subsidies:document", args=[application.reference, document.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n"


def test_the_letter_download_is_a_404_until_there_is_a_letter(client):
    """No letter yet: 404. Once the letters issue stored one: the PDF."""
    application = ApplicationFactory(submitted=True)
    client.force_login(application.applicant_user)
    url = reverse("subsidies:letter", args=[application.reference])
    assert client.get(url).status_code == 404
    _document(application, kind=Document.Kind.DECISION_LETTER, name="besluit.pdf")
    response = client.get(url)
    assert response.status_code == 200
    assert f"besluit-{application.reference}.pdf" in response["Content-Disposition"]


def test_a_submitted_application_can_no_longer_be_edited(client):
    """Its steps redirect to the status page; a POST changes nothing."""
    application = ApplicationFactory(submitted=True)
    client.force_login(application.applicant_user)
    for step in ("organisatie", "initiatief", "begroting", "controle"):
        url = reverse("subsidies:step", args=[application.reference, step])
        response = client.post(url, {"title": "Veranderd", "action": "next"})
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "subsidies:detail", args=[application.reference]
        )
    application.refresh_from_db()
    assert application.title != "Veranderd"


def test_the_services_refuse_to_change_a_submitted_application():
    """The second line: the service itself refuses, whatever the view does."""
    application = ApplicationFactory(submitted=True)
    with pytest.raises(ApplicationLocked):
        application_update(
            application=application,
            user=application.applicant_user,
            fields={"title": "Veranderd"},
        )
    assert Application.objects.get(pk=application.pk).title != "Veranderd"


def test_documents_of_a_submitted_application_cannot_be_deleted(client):
    """The applicant cannot remove what was sent."""
    application = ApplicationFactory(submitted=True)
    document = _document(application)
    client.force_login(application.applicant_user)
    url = reverse(
        "subsidies:document_delete", args=[application.reference, document.pk]
    )
    client.post(url)
    assert Document.objects.filter(pk=document.pk).exists()


def test_an_unknown_step_is_not_found(client):
    """Only the six steps exist."""
    application = ApplicationFactory()
    client.force_login(application.applicant_user)
    url = reverse("subsidies:step", args=[application.reference, "geheim"])
    assert client.get(url).status_code == 404
