"""The Betalingen screens in the Wagtail admin, as the financial administrators use them."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from beoordeling.models import BankStatement, PaymentBatch, PaymentInstruction
from beoordeling.payments.services import batches
from tests.beoordeling.payments.camt_samples import entry, statement
from tests.beoordeling.payments.test_sepa import read_back, validate
from tests.factories import AddressedApplicantFactory, assessor, decision_maker

pytestmark = pytest.mark.django_db


def advances(application):
    return list(
        PaymentInstruction.objects.filter(
            application=application, kind="voorschot"
        ).order_by("sequence")
    )


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_due_payments_and_the_menu_item_are_shown(client, award, composer):
    application = award(1_000_000)
    client.force_login(composer)
    response = client.get(reverse("betalingen:index"))
    assert response.status_code == 200
    page = response.content.decode()
    for advance in advances(application):
        assert advance.end_to_end_id in page
    assert "Betalingen" in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(decision_maker())
    assert "Betalingen" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_compose_screen_flags_a_name_that_does_not_match_and_keeps_the_ticks(
    client, award, composer
):
    matching = award(1_000_000)
    odd = award(
        500_000,
        applicant=AddressedApplicantFactory(
            name="Stichting Buurtkracht Zuilen", account_holder="Autobedrijf Snel"
        ),
    )
    client.force_login(composer)
    url = reverse("betalingen:compose")
    far = (timezone.localdate() + timedelta(days=400)).isoformat()
    page = client.get(url, {"tot": far}).content.decode()
    assert "Naam klopt niet" in page
    assert "Ik heb dit gecontroleerd: toch betalen" in page
    good, bad = advances(matching)[0], advances(odd)[0]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        f"{url}?tot={far}",
        {"execution_date": tomorrow, "instructions": [good.pk, bad.pk]},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "past niet bij de aanvrager" in page
    assert f'value="{good.pk}" id="pay-{good.pk}" checked' in page
    assert f'value="{bad.pk}" id="pay-{bad.pk}" checked' in page
    assert PaymentBatch.objects.count() == 0
    response = client.post(
        f"{url}?tot={far}",
        {
            "execution_date": tomorrow,
            "instructions": [good.pk, bad.pk],
            "accepted": [bad.pk],
        },
    )
    batch = PaymentBatch.objects.get()
    assert response["Location"] == reverse("betalingen:batch", args=[batch.pk])
    assert batch.item_count == 2 and batch.composed_by == composer


def test_four_eyes_on_the_screen_and_the_downloads(client, award, composer, approver):
    application = award(1_000_000)
    picked = advances(application)[:2]
    batch = batches.batch_compose(
        actor=composer,
        instruction_ids=[i.pk for i in picked],
        execution_date=timezone.localdate() + timedelta(days=1),
    )
    client.force_login(composer)
    page = client.get(reverse("betalingen:batch", args=[batch.pk])).content.decode()
    assert "Een andere financieel beheerder moet hem goedkeuren" in page
    assert "Batch goedkeuren" not in page
    response = client.post(reverse("betalingen:batch_approve", args=[batch.pk]))
    assert any("zelf samengesteld" in m for m in messages_of(response))
    response = client.post(
        reverse("betalingen:batch_download", args=[batch.pk, "sepa"])
    )
    assert any("goedgekeurde batch" in m for m in messages_of(response))
    batch.refresh_from_db()
    assert batch.status == "concept"

    client.force_login(approver)
    assert (
        "Batch goedkeuren"
        in client.get(reverse("betalingen:batch", args=[batch.pk])).content.decode()
    )
    client.post(reverse("betalingen:batch_approve", args=[batch.pk]))
    batch.refresh_from_db()
    assert (batch.status, batch.approved_by) == ("goedgekeurd", approver)
    response = client.post(
        reverse("betalingen:batch_download", args=[batch.pk, "sepa"])
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="betaalbatch-{batch.reference}.xml"'
    )
    validate(response.content)
    assert [row[0] for row in read_back(response.content)] == [
        i.end_to_end_id for i in picked
    ]
    for file_format in ("csv", "xlsx"):
        response = client.post(
            reverse("betalingen:batch_download", args=[batch.pk, file_format])
        )
        assert response.status_code == 200
    response = client.post(reverse("betalingen:batch_download", args=[batch.pk, "pdf"]))
    assert response.status_code == 404


def test_a_statement_is_shown_as_a_dry_run_before_it_is_processed(
    client, award, composer
):
    application = award(1_000_000)
    first = advances(application)[0]
    booked = timezone.localdate() - timedelta(days=1)
    data = statement(
        entry(
            amount_cents=first.amount_cents,
            end_to_end_id=first.end_to_end_id,
            booked_on=booked,
        )
    )
    client.force_login(composer)
    upload = SimpleUploadedFile("afschrift.xml", data, content_type="application/xml")
    response = client.post(reverse("betalingen:statement_upload"), {"file": upload})
    stored = BankStatement.objects.get()
    assert response["Location"] == reverse("betalingen:statement", args=[stored.pk])
    page = client.get(response["Location"]).content.decode()
    assert "wordt als betaald gemarkeerd" in page and first.end_to_end_id in page
    first.refresh_from_db()
    assert first.status == "open"
    client.post(reverse("betalingen:statement", args=[stored.pk]))
    first.refresh_from_db()
    assert (first.status, first.paid_on) == ("betaald", booked)


def test_a_bad_statement_keeps_the_form_with_a_dutch_error(client, composer):
    client.force_login(composer)
    upload = SimpleUploadedFile(
        "afschrift.xml", b"<html>", content_type="application/xml"
    )
    response = client.post(reverse("betalingen:statement_upload"), {"file": upload})
    assert response.status_code == 200
    assert "geen geldig XML-bestand" in response.content.decode()
    assert BankStatement.objects.count() == 0


def test_mark_paid_by_hand_on_the_screen(client, award, composer):
    first = advances(award(1_000_000))[0]
    client.force_login(composer)
    url = reverse("betalingen:mark_paid", args=[first.pk])
    response = client.post(url, {"paid_on": "", "note": "Gezien"})
    assert "Vul de datum in" in response.content.decode()
    assert "Gezien" in response.content.decode()
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    client.post(url, {"paid_on": yesterday, "note": "Gezien op het afschrift"})
    first.refresh_from_db()
    assert (first.status, first.source, first.note, first.paid_by) == (
        "betaald",
        "hand",
        "Gezien op het afschrift",
        composer,
    )


@pytest.mark.parametrize("role", [assessor, decision_maker])
def test_no_payment_url_opens_without_the_permission(client, award, composer, role):
    """Every Betalingen URL refuses staff without ``subsidies.manage_payments`` before
    it looks anything up (Wagtail sends them back to the dashboard)."""
    application = award(1_000_000)
    first = advances(application)[0]
    batch = batches.batch_compose(
        actor=composer,
        instruction_ids=[first.pk],
        execution_date=timezone.localdate() + timedelta(days=1),
    )
    client.force_login(role())
    urls = [
        ("get", reverse("betalingen:index")),
        ("post", reverse("betalingen:sync")),
        ("get", reverse("betalingen:compose")),
        ("get", reverse("betalingen:batch", args=[batch.pk])),
        ("get", reverse("betalingen:batch", args=[batch.pk + 99])),
        ("post", reverse("betalingen:batch_approve", args=[batch.pk])),
        ("post", reverse("betalingen:batch_cancel", args=[batch.pk])),
        ("post", reverse("betalingen:batch_download", args=[batch.pk, "sepa"])),
        (
            "post",
            reverse(
                "betalingen:batch_item_release",
                args=[batch.pk, batch.items.get().pk],
            ),
        ),
        ("get", reverse("betalingen:statement_upload")),
        ("get", reverse("betalingen:statement", args=[12345])),
        ("get", reverse("betalingen:mark_paid", args=[first.pk])),
        ("post", reverse("betalingen:mark_paid", args=[first.pk])),
    ]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] == reverse("wagtailadmin_home"), url
    batch.refresh_from_db()
    first.refresh_from_db()
    assert (batch.status, first.status) == ("concept", "open")
