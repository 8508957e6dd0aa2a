"""The assessor's queue: fixed query count, filters, search, sorting, deadlines."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beoordeling.assessment.queue import CountedUpTo
from beoordeling.models import Assessment
from subsidies.models import Application
from subsidies.workflow import Status
from tests.factories import (
    ApplicantFactory,
    RoundFactory,
    SchemeFactory,
    TeamFactory,
    WijkFactory,
    assessor,
    decision_maker,
    rubric_for,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("beoordelen:index")


def bulk_applications(count, *, round_, wijk, applicant, start=0, **fields):
    """``count`` submitted applications in one INSERT (no workflow, no log)."""
    now = timezone.now()
    statuses = [Status.SUBMITTED, Status.IN_ASSESSMENT, Status.SUPPLEMENT_REQUESTED]
    rows = []
    for n in range(start, start + count):
        values = {
            "reference": f"IF-2026-{n:05d}",
            "round": round_,
            "applicant": applicant,
            "wijk": wijk,
            "title": f"Buurtinitiatief {n}",
            "summary": "Samen eten.",
            "status": statuses[n % 3],
            "requested_cents": 100_000 + n,
            "submitted_at": now - timedelta(days=n % 40),
            "complete_at": now - timedelta(days=n % 40),
            "decision_due_at": now + timedelta(days=(n % 60) - 20),
            "supplement_due_at": now + timedelta(days=5) if n % 3 == 2 else None,
        }
        values.update(fields)
        rows.append(Application(**values))
    return Application.objects.bulk_create(rows)


@pytest.fixture
def world():
    scheme = SchemeFactory()
    rubric = rubric_for(scheme)
    round_ = RoundFactory(scheme=scheme)
    wijk = WijkFactory()
    applicant = ApplicantFactory()
    me, colleague = assessor(), assessor()
    TeamFactory(members=[me, colleague], wijken=[wijk])
    return {
        "scheme": scheme,
        "rubric": rubric,
        "round_": round_,
        "wijk": wijk,
        "applicant": applicant,
        "me": me,
        "colleague": colleague,
    }


def assign_all(applications, people, rubric):
    now = timezone.now()
    Assessment.objects.bulk_create(
        Assessment(
            application=application,
            assessor=person,
            rubric=rubric,
            assigned_at=now,
            declared_at=now,
        )
        for application in applications
        for person in people
    )


def queue_queries(client, path=QUEUE):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), response


def test_queue_query_count_does_not_grow_with_applications(client, world):
    """10 or 500 applications: the same number of queries for the queue page."""
    common = {k: world[k] for k in ("wijk", "applicant")}
    first = bulk_applications(10, round_=world["round_"], **common)
    assign_all(first, [world["me"], world["colleague"]], world["rubric"])
    client.force_login(world["me"])
    client.get(QUEUE)  # warm up caches that are not per request
    small, response = queue_queries(client)
    assert response.content.decode().count("Buurtinitiatief") == 10

    more = bulk_applications(490, round_=world["round_"], start=10, **common)
    assign_all(more, [world["me"], world["colleague"]], world["rubric"])
    large, response = queue_queries(client)
    assert Application.objects.count() == 500
    assert large == small
    assert response.content.decode().count("Buurtinitiatief") == 25

    filtered, _response = queue_queries(
        client, f"{QUEUE}?deadline=verlopen&ordering=-requested_cents&q=Buurt"
    )
    assert filtered <= small + 2


def test_overdue_and_due_soon_are_marked(client, world):
    """The deadline cell says overdue or within 7 days; a paused clock says so."""
    now = timezone.now()
    common = {k: world[k] for k in ("round_", "wijk", "applicant")}
    bulk_applications(
        1,
        start=1,
        decision_due_at=now - timedelta(days=1),
        status=Status.SUBMITTED,
        **common,
    )
    bulk_applications(
        1,
        start=2,
        decision_due_at=now + timedelta(days=3),
        status=Status.IN_ASSESSMENT,
        **common,
    )
    bulk_applications(
        1,
        start=3,
        decision_due_at=now + timedelta(days=30),
        status=Status.ASSESSED,
        **common,
    )
    bulk_applications(
        1,
        start=4,
        supplement_due_at=now + timedelta(days=3),
        status=Status.SUPPLEMENT_REQUESTED,
        **common,
    )
    client.force_login(world["me"])
    content = client.get(QUEUE).content.decode()
    assert 'data-deadline="verlopen"' in content
    assert "Beslistermijn verlopen" in content
    assert 'data-deadline="binnenkort"' in content
    assert 'data-deadline="lopend"' in content
    assert 'data-deadline="stilgezet"' in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("deadline=verlopen", {"IF-2026-00001"}),
        ("deadline=binnenkort", {"IF-2026-00002"}),
        ("task=scoren", {"IF-2026-00002"}),
        ("task=besluiten", {"IF-2026-00003"}),
        ("status=aanvulling_gevraagd", {"IF-2026-00004"}),
        ("q=00003", {"IF-2026-00003"}),
    ],
)
def test_filters_and_search(client, world, query, expected):
    """Each filter narrows the queue to what it says."""
    now = timezone.now()
    common = {k: world[k] for k in ("round_", "wijk", "applicant")}
    bulk_applications(
        1,
        start=1,
        decision_due_at=now - timedelta(days=1),
        status=Status.SUBMITTED,
        **common,
    )
    bulk_applications(
        1,
        start=2,
        decision_due_at=now + timedelta(days=3),
        status=Status.IN_ASSESSMENT,
        **common,
    )
    bulk_applications(
        1,
        start=3,
        decision_due_at=now + timedelta(days=30),
        status=Status.ASSESSED,
        **common,
    )
    bulk_applications(
        1,
        start=4,
        supplement_due_at=now + timedelta(days=3),
        status=Status.SUPPLEMENT_REQUESTED,
        **common,
    )
    client.force_login(world["me"])
    response = client.get(f"{QUEUE}?{query}")
    shown = {a.reference for a in response.context["object_list"]}
    assert shown == expected


def test_filter_by_scheme_round_wijk_and_assessor(client, world):
    """Scheme, round, wijk and assessor filters."""
    other_scheme = SchemeFactory(
        slug="duurzaam", name="Duurzaam", reference_prefix="DB"
    )
    other_round = RoundFactory(scheme=other_scheme)
    other_wijk = WijkFactory()
    TeamFactory(members=[world["me"]], wijken=[other_wijk])
    mine = bulk_applications(
        2, round_=world["round_"], wijk=world["wijk"], applicant=world["applicant"]
    )
    theirs = bulk_applications(
        2, start=10, round_=other_round, wijk=other_wijk, applicant=world["applicant"]
    )
    assign_all(mine[:1], [world["colleague"]], world["rubric"])
    client.force_login(world["me"])

    def shown(query):
        response = client.get(f"{QUEUE}?{query}")
        return {a.pk for a in response.context["object_list"]}

    assert shown(f"scheme={other_scheme.pk}") == {a.pk for a in theirs}
    assert shown(f"round={world['round_'].pk}") == {a.pk for a in mine}
    assert shown(f"wijk={other_wijk.pk}") == {a.pk for a in theirs}
    assert shown(f"assessor={world['colleague'].pk}") == {mine[0].pk}


def test_sorting_by_a_column(client, world):
    """Sorting by the requested amount, both ways; equal amounts keep one order, so
    one way round is exactly the other reversed."""
    common = {k: world[k] for k in ("round_", "wijk", "applicant")}
    bulk_applications(5, **common)
    bulk_applications(3, start=5, requested_cents=100_002, **common)
    client.force_login(world["me"])
    up = client.get(f"{QUEUE}?ordering=requested_cents").context["object_list"]
    down = client.get(f"{QUEUE}?ordering=-requested_cents").context["object_list"]
    assert [a.requested_cents for a in up] == sorted(a.requested_cents for a in up)
    assert len(up) == 8
    assert [a.pk for a in down] == [a.pk for a in reversed(list(up))]


def test_pages_of_a_sorted_queue_hold_every_application_once(client, world):
    """Three pages sorted by amount: 25, 25 and 10 rows, each in order, none twice."""
    bulk_applications(
        60, round_=world["round_"], wijk=world["wijk"], applicant=world["applicant"]
    )
    client.force_login(world["me"])
    pages = [
        list(
            client.get(f"{QUEUE}?ordering=-requested_cents&p={number}").context[
                "object_list"
            ]
        )
        for number in (1, 2, 3)
    ]
    assert [len(page) for page in pages] == [25, 25, 10]
    amounts = [a.requested_cents for page in pages for a in page]
    assert amounts == sorted(
        Application.objects.values_list("requested_cents", flat=True), reverse=True
    )


def test_a_long_queue_says_more_than_1000(client, world):
    """Past 1,000 applications the queue does not count them all: it says "meer dan
    1.000" and that there are more pages than it shows."""
    bulk_applications(
        1010, round_=world["round_"], wijk=world["wijk"], applicant=world["applicant"]
    )
    client.force_login(world["me"])
    content = client.get(QUEUE).content.decode()
    assert "Meer dan 1.000 aanvragen" in content
    assert "Pagina 1 van meer dan 40" in content
    assert content.count("Buurtinitiatief") == 25

    searched = client.get(f"{QUEUE}?q=Buurt").content.decode()
    assert "Er zijn meer dan 1.000 aanvragen gevonden" in searched

    # A filter that leaves fewer is counted exactly, as before.
    few = client.get(f"{QUEUE}?task=controleren").content.decode()
    assert "337 aanvragen" in few and "Meer dan" not in few


def test_each_page_of_a_long_queue_counts_further(client, world, monkeypatch):
    """With the count bounded at 30 rows past the page: page 1 says more than 30 and
    links on to page 2, page 2 more than 55, and page 3, within reach of the end,
    the exact total; Volgende leads through all 70."""
    monkeypatch.setattr(CountedUpTo, "reach", 30)
    bulk_applications(
        70, round_=world["round_"], wijk=world["wijk"], applicant=world["applicant"]
    )
    client.force_login(world["me"])

    first = client.get(QUEUE)
    content = first.content.decode()
    assert "Meer dan 30 aanvragen" in content
    assert "Pagina 1 van meer dan 2" in content
    assert f'href="{QUEUE}?p=2"' in content
    assert first.context["elided_page_range"] == [1, 2, CountedUpTo.ELLIPSIS]

    second = client.get(f"{QUEUE}?p=2").content.decode()
    assert "Meer dan 55 aanvragen" in second
    assert "Pagina 2 van meer dan 3" in second
    assert f'href="{QUEUE}?p=3"' in second

    third = client.get(f"{QUEUE}?p=3")
    content = third.content.decode()
    assert "70 aanvragen" in content and "Meer dan" not in content
    assert "Pagina 3 van 3" in content
    shown = [
        a.pk
        for number in (1, 2, 3)
        for a in client.get(f"{QUEUE}?p={number}").context["object_list"]
    ]
    assert sorted(shown) == sorted(Application.objects.values_list("pk", flat=True))
    assert len(third.context["object_list"]) == 20

    # A page number past the end shows the last page, as Wagtail's listings do.
    beyond = client.get(f"{QUEUE}?p=9999")
    assert beyond.context["page_obj"].number == 3


def test_decision_maker_sees_the_whole_city(client, world):
    """The queue of a Besluitvormer holds every submitted application."""
    other_wijk = WijkFactory()
    bulk_applications(
        3, round_=world["round_"], wijk=other_wijk, applicant=world["applicant"]
    )
    client.force_login(decision_maker())
    assert len(client.get(QUEUE).context["object_list"]) == 3
    client.force_login(world["me"])
    assert len(client.get(QUEUE).context["object_list"]) == 0


def test_dashboard_panel_summarises_deadlines(client, world):
    """The admin home shows how many are overdue and due within 7 days."""
    now = timezone.now()
    common = {k: world[k] for k in ("round_", "wijk", "applicant")}
    bulk_applications(
        2,
        start=1,
        decision_due_at=now - timedelta(days=1),
        status=Status.SUBMITTED,
        **common,
    )
    bulk_applications(
        1,
        start=5,
        decision_due_at=now + timedelta(days=2),
        status=Status.IN_ASSESSMENT,
        **common,
    )
    bulk_applications(
        1,
        start=6,
        decision_due_at=now + timedelta(days=20),
        status=Status.IN_ASSESSMENT,
        **common,
    )
    client.force_login(world["me"])
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Termijnen beoordeling" in content
    assert "<strong>2</strong> aanvragen met een verlopen beslistermijn" in content
    assert (
        "<strong>1</strong> aanvragen waarvan de beslistermijn binnen 7 dagen"
        in content
    )
    assert "IF-2026-00001" in content and "IF-2026-00006" not in content


def test_queue_shows_money_in_dutch(client, world):
    """Amounts read '€ 1.234,56'."""
    bulk_applications(
        1,
        round_=world["round_"],
        wijk=world["wijk"],
        applicant=world["applicant"],
        requested_cents=123_456,
    )
    client.force_login(world["me"])
    assert "€ 1.234,56" in client.get(QUEUE).content.decode()
