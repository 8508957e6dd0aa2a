"""Every append-only record derives from the one write-once base
(``portal.shared.writeonce``): a stored row's ``save()`` and ``delete()`` and the
QuerySet's ``update()`` and ``delete()`` are all refused with ``WriteOnceError``, and the
row reads back as it was."""

import pytest
from django.apps import apps
from django.forms.models import model_to_dict
from django.utils import timezone

from beoordeling.decisions.services import decisions
from beoordeling.models import (
    AllocationResult,
    AllocationRun,
    AssessmentEvent,
    ConsensusNote,
    Decision,
    ExportLog,
    HistoryLink,
    PreconditionOutcome,
    PreconditionReview,
    Rubric,
)
from beoordeling.objections.services.lodging import objection_lodge
from portal.shared.writeonce import WriteOnceError, WriteOnceModel
from subsidies.models import AllocationRule, TransitionLog
from tests.factories import ApplicantFactory, assessor, fixed_round, rubric_for

#: The append-only records; a new one must be added here (the last test checks it).
WRITE_ONCE = [
    "accounts.SecurityEvent",
    "subsidies.TransitionLog",
    "subsidies.AllocationRule",
    "beoordeling.AllocationRun",
    "beoordeling.AllocationResult",
    "beoordeling.Decision",
    "beoordeling.ExportLog",
    "beoordeling.HistoryLink",
    "beoordeling.PreconditionReview",
    "beoordeling.PreconditionOutcome",
    "beoordeling.ConsensusNote",
    "beoordeling.AssessmentEvent",
    "beoordeling.ObjectionLog",
]


@pytest.fixture
def world(db):
    """One row of every write-once record, made as the portal makes them where cheap."""
    round_, applications, decider = fixed_round(count=2)
    application = applications[0]
    application.refresh_from_db()
    staff = assessor()
    now = timezone.now()
    decision, _created = decisions.decision_issue(application=application, notify=False)
    objection_lodge(
        decision=decision,
        objector_name="Stichting Buurt",
        reasons="Het bedrag is te laag.",
        user=application.applicant.members.first(),
    )
    review = PreconditionReview.objects.create(
        application=application, reviewer=staff, reviewed_at=now, met=True
    )
    PreconditionOutcome.objects.create(
        review=review,
        code="kvk",
        label="Ingeschreven bij de KvK",
        hard=True,
        proposed="voldaan",
        proposal_reason="Nummer klopt",
        confirmed="voldaan",
    )
    ConsensusNote.objects.create(
        application=application,
        criterion=(
            Rubric.objects.current_for(round_.scheme) or rubric_for(round_.scheme)
        ).criteria.first(),
        score=3,
        note="Samen besproken",
        recorded_by=staff,
        recorded_at=now,
    )
    AssessmentEvent.objects.create(
        application=application,
        kind=AssessmentEvent.Kind.ASSIGNED,
        actor=staff,
        actor_label=staff.email,
        at=now,
    )
    ExportLog.objects.create(
        kind="besluiten",
        format="csv",
        row_count=2,
        channel="beheer",
        actor_label=decider.email,
        created_at=now,
    )
    HistoryLink.objects.create(
        imported_applicant=ApplicantFactory(),
        portal_applicant=application.applicant,
        portal_reference=application.reference,
        motivation="Zelfde stichting",
        linked_by=decider,
    )
    apps.get_model("accounts", "SecurityEvent").objects.create(
        kind="reset-gevraagd", user=staff, email=staff.email, ip="127.0.0.1"
    )
    return application


def _a_field_to_change(model):
    for field in model._meta.concrete_fields:
        if field.primary_key or field.is_relation:
            continue
        if field.name in model.write_once_open_fields:
            continue
        if field.get_internal_type() in ("CharField", "TextField"):
            return field.name
    raise AssertionError(f"{model.__name__} has no text field to change")


@pytest.mark.parametrize("label", WRITE_ONCE)
def test_a_stored_record_is_never_changed_or_deleted(world, label):
    model = apps.get_model(label)
    assert issubclass(model, WriteOnceModel)
    row = model.objects.order_by("pk").first()
    assert row is not None, f"no {label} row made"
    before = model_to_dict(row)
    name = _a_field_to_change(model)

    setattr(row, name, "veranderd")
    with pytest.raises(WriteOnceError):
        row.save()
    with pytest.raises(WriteOnceError):
        row.delete()
    with pytest.raises(WriteOnceError):
        model.objects.filter(pk=row.pk).update(**{name: "veranderd"})
    with pytest.raises(WriteOnceError):
        model.objects.filter(pk=row.pk).delete()

    assert model_to_dict(model.objects.get(pk=row.pk)) == before


def test_the_old_exception_names_are_the_one_exception():
    from beoordeling.models import ImmutableDecisionError, ImmutableRecordError
    from beoordeling.models.exports import ImmutableExportLogError
    from subsidies.models.log import ImmutableLogError
    from subsidies.models.rules import ImmutableRuleError

    for name in (
        ImmutableDecisionError,
        ImmutableRecordError,
        ImmutableExportLogError,
        ImmutableLogError,
        ImmutableRuleError,
    ):
        assert name is WriteOnceError


def test_open_fields_and_records_frozen_from_a_moment_stay_open(world):
    """A decision's mail moment, a fixed result's four-eyes fields and a concept run
    may still be written; nothing else."""
    decision = Decision.objects.get()
    Decision.objects.filter(pk=decision.pk).update(notified_at=timezone.now())
    result = AllocationResult.objects.order_by("pk").first()
    AllocationResult.objects.filter(pk=result.pk).update(review_reason="Akkoord")
    assert AllocationResult.objects.get(pk=result.pk).review_reason == "Akkoord"
    assert AllocationRun.objects.get().is_fixed


def test_every_write_once_model_is_in_the_list():
    found = {
        model._meta.label
        for model in apps.get_models()
        if issubclass(model, WriteOnceModel)
    }
    assert found == set(WRITE_ONCE)
    assert TransitionLog in [apps.get_model(label) for label in WRITE_ONCE]
    assert AllocationRule in [apps.get_model(label) for label in WRITE_ONCE]
