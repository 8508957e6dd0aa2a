"""Who reaches which assessment screen: teams, assignments, roles, applicants."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse

from accounts.roles import ADMINISTRATOR
from beoordeling.assessment import selectors
from beoordeling.assessment import services as services
from subsidies.models import Application, Document
from subsidies.workflow import Status
from tests.beoordeling.assessment.test_assessment_services import (
    accept,
    assign_and_declare,
    submit,
)
from tests.factories import (
    ApplicationFactory,
    RoundFactory,
    TeamFactory,
    UserFactory,
    WijkFactory,
    assessment_case,
    assessor,
    decision_maker,
)

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"beoordelen:{name}", args=args)


APPLICATION_URLS = [
    "detail",
    "preconditions",
    "supplement",
    "set_aside",
    "assign",
    "declare",
    "score",
    "consensus",
    "complete",
]


def assert_denied(response):
    """403, or Wagtail's way of saying it: back to the dashboard with a message."""
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")


def add_document(application):
    content = b"%PDF-1.4 begroting"
    digest = hashlib.sha256(content).hexdigest()
    document = Document(
        application=application,
        kind=Document.Kind.BUDGET,
        original_name="begroting.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=digest,
    )
    document.file.save("begroting.pdf", ContentFile(content), save=False)
    document.save()
    return document


def test_assessor_of_another_team_gets_404_everywhere(client):
    """An application outside my teams and not assigned to me does not exist for me."""
    case = assessment_case()
    document = add_document(case.application)
    other_team_member = assessor()
    TeamFactory(members=[other_team_member], wijken=[WijkFactory()])
    client.force_login(other_team_member)
    for name in APPLICATION_URLS:
        assert client.get(url(name, case.application.pk)).status_code == 404, name
        assert client.post(url(name, case.application.pk)).status_code == 404, name
    response = client.get(url("document", case.application.pk, document.pk))
    assert response.status_code == 404
    queue = client.get(url("index")).content.decode()
    assert case.application.reference not in queue


def test_assignment_makes_an_application_visible_outside_the_team():
    """Being assigned is enough to see it; the team covers wijk or scheme."""
    case = assessment_case()
    outsider = assessor()
    assert not selectors.applications_visible_to(outsider).filter(
        pk=case.application.pk
    )
    services.assessor_assign(
        application=case.application, assessor=outsider, actor=case.assessors[0]
    )
    assert selectors.applications_visible_to(outsider).filter(pk=case.application.pk)
    scheme_member = assessor()
    TeamFactory(members=[scheme_member], schemes=[case.scheme])
    assert selectors.applications_visible_to(scheme_member).filter(
        pk=case.application.pk
    )


def test_concepts_are_never_in_the_queue():
    """A draft application is not visible to anybody in the assessment screens."""
    draft = ApplicationFactory(round=RoundFactory())
    everyone = UserFactory(is_superuser=True, is_staff=True)
    assert not selectors.applications_visible_to(everyone).filter(pk=draft.pk)


def test_applicant_never_reaches_an_assessment_url(client):
    """Every assessment and rubric URL answers a logged-in applicant with 403."""
    case = assessment_case()
    document = add_document(case.application)
    client.force_login(case.application.applicant_user)
    urls = [url("index"), url("index_results")]
    urls += [url(name, case.application.pk) for name in APPLICATION_URLS]
    urls += [url("document", case.application.pk, document.pk)]
    urls += [
        reverse("beoordelingsmatrices:index"),
        reverse("beoordelingsmatrices:detail", args=[case.rubric.pk]),
        reverse("beoordelingsmatrices:publish", args=[case.scheme.pk]),
        reverse("randvoorwaarden:index"),
        reverse("beoordelingsteams:index"),
        reverse("wagtailadmin_home"),
    ]
    for target in urls:
        for method in (client.get, client.post):
            assert method(target).status_code == 403, target


def test_decision_maker_reads_everything_but_changes_nothing(client):
    """Besluitvormer: every application visible, no assessment action."""
    case = assessment_case()
    client.force_login(decision_maker())
    assert client.get(url("detail", case.application.pk)).status_code == 200
    assert case.application.reference in client.get(url("index")).content.decode()
    for name in ("preconditions", "supplement", "assign", "complete"):
        assert_denied(client.post(url(name, case.application.pk)))
    assert Application.objects.get(pk=case.application.pk).status == Status.SUBMITTED


def test_administrator_reads_the_queue_and_configures(client):
    """Beheerder: the queue read-only, and the randvoorwaarden, rubrics and teams."""
    case = assessment_case()
    client.force_login(UserFactory(role=ADMINISTRATOR))
    assert client.get(url("detail", case.application.pk)).status_code == 200
    assert_denied(client.get(url("preconditions", case.application.pk)))
    for name in ("randvoorwaarden:index", "beoordelingsteams:index"):
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("beoordelingsmatrices:index")).status_code == 200


def test_assessor_cannot_configure(client):
    """Randvoorwaarden, rubrics and teams are for the Beheerder."""
    client.force_login(assessor())
    assert_denied(client.get(reverse("randvoorwaarden:index")))
    assert_denied(client.get(reverse("beoordelingsteams:index")))
    assert_denied(client.get(reverse("beoordelingsmatrices:index")))


def test_documents_download_from_private_storage_for_who_may_see(client):
    """The team's assessor downloads the file as an attachment; it is not public."""
    case = assessment_case()
    document = add_document(case.application)
    client.force_login(case.assessors[0])
    response = client.get(url("document", case.application.pk, document.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 begroting"
    assert "attachment" in response["Content-Disposition"]
    assert "begroting.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    detail = client.get(url("detail", case.application.pk)).content.decode()
    assert url("document", case.application.pk, document.pk) in detail
    assert document.file.storage is storages["private"]


def test_a_document_of_another_application_is_not_served(client):
    """The document id must belong to the application in the URL."""
    case = assessment_case()
    other = assessment_case()
    document = add_document(other.application)
    client.force_login(case.assessors[0])
    response = client.get(url("document", case.application.pk, document.pk))
    assert response.status_code == 404


def test_scores_stay_hidden_from_the_second_assessor_on_the_screen(client):
    """The detail screen shows the other scores only after submitting one's own."""
    case = assessment_case()
    first, second = case.assessors
    accept(case)
    mine, theirs = assign_and_declare(case)
    services.assessment_save(
        assessment=mine,
        actor=first,
        scores={
            c: (4, f"Geheime motivering {c}") for c in ("I1", "I2", "I3", "I4", "I5")
        },
        submit=True,
    )
    client.force_login(second)
    detail = client.get(url("detail", case.application.pk)).content.decode()
    assert "Geheime motivering" not in detail
    other_team_member = assessor()
    TeamFactory(members=[other_team_member], wijken=[case.application.wijk])
    client.force_login(other_team_member)
    detail = client.get(url("detail", case.application.pk)).content.decode()
    assert "Geheime motivering" not in detail
    submit(theirs, {"I1": 3, "I2": 4, "I3": 4, "I4": 4, "I5": 4})
    client.force_login(second)
    detail = client.get(url("detail", case.application.pk)).content.decode()
    assert "Geheime motivering I1" in detail
