"""The assessment use cases: randvoorwaarden, aanvulling, assessors, scores, completion."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from beoordeling.assessment import facts as assessment_facts
from beoordeling.assessment import selectors
from beoordeling.assessment import services as services
from beoordeling.assessment.services import AssessmentError
from beoordeling.models import (
    Assessment,
    AssessmentEvent,
    AssessmentSummary,
    PreconditionReview,
)
from beoordeling.preconditions import Outcome
from subsidies import services as workflow_services
from subsidies.models import Application, SupplementRequest, TransitionLog
from subsidies.services import WorkflowError
from subsidies.workflow import Status
from tests.factories import (
    SchemeFactory,
    assessment_case,
    assessor,
    decision_maker,
    rubric_for,
)

pytestmark = pytest.mark.django_db

IF_SCORES = {"I1": 3, "I2": 3, "I3": 3, "I4": 3, "I5": 3}


def confirm_all(application, **overrides):
    """Choices that confirm every proposal; an open (manual) rule is confirmed as met."""
    choices = {}
    for proposal in assessment_facts.precondition_proposals(application):
        outcome = proposal.result.outcome
        if outcome is Outcome.UNKNOWN:
            choices[proposal.rule.code] = (Outcome.MET, "Gecontroleerd in het gesprek.")
        else:
            choices[proposal.rule.code] = (outcome, "")
    choices.update(overrides)
    return choices


def accept(case, actor=None):
    return services.preconditions_record(
        application=case.application,
        actor=actor or case.assessors[0],
        choices=confirm_all(case.application),
    )


def scores(values, text="Onderbouwd met voorbeelden uit de aanvraag."):
    return {code: (value, text) for code, value in values.items()}


def assign_and_declare(case, people=None):
    assessments = []
    for person in people or case.assessors:
        assessment = services.assessor_assign(
            application=case.application, assessor=person, actor=person
        )
        assessments.append(
            services.assessment_declare(
                assessment=assessment, actor=person, conflict=False
            )
        )
    return assessments


def submit(assessment, values, **kwargs):
    return services.assessment_save(
        assessment=assessment,
        actor=assessment.assessor,
        scores=scores(values),
        submit=True,
        **kwargs,
    )


# --- randvoorwaarden ----------------------------------------------------------------


def test_confirmed_randvoorwaarden_accept_the_application():
    """All hard randvoorwaarden confirmed as met fires accept and keeps the review."""
    case = assessment_case()
    application = accept(case)
    assert application.status == Status.IN_ASSESSMENT
    assert application.preconditions_met is True
    review = PreconditionReview.objects.get(application=application)
    assert review.met and review.outcomes.count() == 4
    assert TransitionLog.objects.filter(
        application=application, transition="accept"
    ).exists()


def test_a_failed_hard_randvoorwaarde_rejects_with_its_reason():
    """Overriding a hard check to 'niet voldaan' rejects, with the motivation logged."""
    case = assessment_case()
    choices = confirm_all(
        case.application,
        start_na_aanvraag=(Outcome.NOT_MET, "De eerste bijeenkomst was al op 1 mei."),
    )
    application = services.preconditions_record(
        application=case.application, actor=case.assessors[0], choices=choices
    )
    assert application.status == Status.REJECTED
    assert application.preconditions_met is False
    assert "De eerste bijeenkomst was al op 1 mei." in (
        application.preconditions_motivation
    )
    log = TransitionLog.objects.get(
        application=application, transition="reject_preconditions"
    )
    assert "1 mei" in log.reason


def test_override_without_motivation_is_refused_in_dutch():
    """Departing from the computed proposal without a motivation changes nothing."""
    case = assessment_case()
    choices = confirm_all(case.application, start_na_aanvraag=(Outcome.NOT_MET, "  "))
    with pytest.raises(AssessmentError) as error:
        services.preconditions_record(
            application=case.application, actor=case.assessors[0], choices=choices
        )
    assert "Schrijf op waarom u afwijkt" in error.value.errors["start_na_aanvraag"]
    case.application.refresh_from_db()
    assert case.application.status == Status.SUBMITTED
    assert not PreconditionReview.objects.exists()


def test_a_manual_randvoorwaarde_needs_a_motivation():
    """A rule that is not computed has no proposal: the assessor explains the outcome."""
    case = assessment_case()
    choices = confirm_all(case.application, bewonersinitiatief=(Outcome.MET, ""))
    with pytest.raises(AssessmentError) as error:
        services.preconditions_record(
            application=case.application, actor=case.assessors[0], choices=choices
        )
    assert "bewonersinitiatief" in error.value.errors


def test_the_facts_come_from_the_scheme_answers():
    """Scheme answers and partners become ApplicationFacts; unknown stays unknown."""
    case = assessment_case(
        answers={"volledig_vrijwillig": "nee", "jaren_gefinancierd": 3}
    )
    facts = assessment_facts.application_facts(case.application)
    assert facts.fully_volunteer is False
    assert facts.initiatievenfonds_years_funded == 3
    assert facts.years_active is None
    proposals = {
        p.rule.code: p.result
        for p in assessment_facts.precondition_proposals(case.application)
    }
    assert proposals["drie_jaar_grens"].outcome is Outcome.NOT_MET


def test_a_decision_maker_cannot_check_randvoorwaarden():
    """Only a Beoordelaar fires the assessment transitions."""
    case = assessment_case()
    with pytest.raises(AssessmentError):
        services.preconditions_record(
            application=case.application,
            actor=decision_maker(),
            choices=confirm_all(case.application),
        )


# --- aanvulling -----------------------------------------------------------------------


def test_supplement_request_stores_pauses_and_mails_in_dutch(
    django_capture_on_commit_callbacks,
):
    """The request is stored, the clock stops, the applicant gets a Dutch e-mail."""
    case = assessment_case()
    due_on = timezone.localdate() + timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.supplement_request(
            application=case.application,
            actor=case.assessors[0],
            message="Stuur de begroting met de inkomsten mee.",
            due_on=due_on,
        )
    application = Application.objects.get(pk=case.application.pk)
    assert application.status == Status.SUPPLEMENT_REQUESTED
    assert application.clock_is_paused
    assert timezone.localdate(request.due_at) == due_on
    assert SupplementRequest.objects.filter(application=application).count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == application.applicant.mail_recipients()
    assert application.applicant.contact_email not in message.to
    assert application.reference in message.subject
    assert "Stuur de begroting met de inkomsten mee." in message.body
    assert due_on.strftime("%Y") in message.body
    assert "4:5" in message.body
    assert "Wij hebben meer informatie nodig" in message.subject


def test_no_mail_when_the_transaction_is_rolled_back(
    django_capture_on_commit_callbacks,
):
    """The e-mail is sent after the commit only."""
    case = assessment_case()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.supplement_request(
            application=case.application,
            actor=case.assessors[0],
            message="Begroting ontbreekt.",
            due_on=timezone.localdate() + timedelta(days=14),
        )
    # One callback queues the mail (the other drops the public page's cached figures).
    mails = [c for c in callbacks if "queue_mail" in getattr(c, "__qualname__", "")]
    assert len(mails) == 1
    assert mail.outbox == []


@pytest.mark.parametrize(("message", "days"), [("", 14), ("Begroting ontbreekt.", 0)])
def test_supplement_request_needs_a_message_and_a_future_date(message, days):
    """Without what is missing, or with a term ending today, nothing happens."""
    case = assessment_case()
    with pytest.raises(AssessmentError):
        services.supplement_request(
            application=case.application,
            actor=case.assessors[0],
            message=message,
            due_on=timezone.localdate() + timedelta(days=days),
        )
    case.application.refresh_from_db()
    assert case.application.status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("days", "accepted"),
    [(1, False), (6, False), (7, True), (14, True), (28, True), (29, False)]
    + [(3 * 365, False)],
)
def test_the_hersteltermijn_lies_between_one_and_four_weeks(days, accepted):
    """A hersteltermijn of three years was accepted. It now ends at least 7 and at
    most 28 days from today (``HERSTELTERMIJN_MIN_DAYS``/``MAX_DAYS``), and the
    refusal names both ends."""
    case = assessment_case()
    due_on = timezone.localdate() + timedelta(days=days)
    request = {
        "application": case.application,
        "actor": case.assessors[0],
        "message": "Begroting ontbreekt.",
        "due_on": due_on,
    }
    if accepted:
        services.supplement_request(**request)
        case.application.refresh_from_db()
        assert case.application.status == Status.SUPPLEMENT_REQUESTED
    else:
        with pytest.raises(AssessmentError, match="minstens 7 dagen, hoogstens 28"):
            services.supplement_request(**request)
        case.application.refresh_from_db()
        assert case.application.status == Status.SUBMITTED


def test_the_supplement_form_proposes_the_scheme_default_within_the_bounds():
    """The form's date starts at the scheme's default, kept within the bounds, and
    its help text names the first and last allowed day."""
    from beoordeling.assessment.forms import SupplementRequestForm

    case = assessment_case()
    scheme = case.application.round.scheme
    today = timezone.localdate()
    for default, expected in [(14, 14), (2, 7), (365, 28)]:
        scheme.supplement_days = default
        form = SupplementRequestForm(scheme=scheme)
        assert form.fields["due_on"].initial == today + timedelta(days=expected)
    assert "minstens 7 en hoogstens 28" in str(form.fields["due_on"].help_text)


def test_set_aside_only_after_the_term_expired():
    """Buiten behandeling stellen waits until the hersteltermijn has passed."""
    case = assessment_case()
    services.supplement_request(
        application=case.application,
        actor=case.assessors[0],
        message="Begroting ontbreekt.",
        due_on=timezone.localdate() + timedelta(days=7),
    )
    application = Application.objects.get(pk=case.application.pk)
    with pytest.raises(AssessmentError):
        services.application_set_aside(application=application, actor=case.assessors[0])
    Application.objects.filter(pk=application.pk).update(
        supplement_due_at=timezone.now() - timedelta(minutes=1)
    )
    application.refresh_from_db()
    assert selectors.deadline_state(application) == selectors.Deadline.TERM_EXPIRED
    application = services.application_set_aside(
        application=application, actor=case.assessors[0]
    )
    assert application.status == Status.SET_ASIDE


# --- assessors ------------------------------------------------------------------------


def test_no_more_assessors_than_the_scheme_requires():
    """Two by default; a third is refused until one recuses."""
    case = assessment_case(assessors=3)
    accept(case)
    first, second, third = case.assessors
    assign_and_declare(case, [first, second])
    with pytest.raises(AssessmentError, match="al 2 beoordelaar"):
        services.assessor_assign(
            application=case.application, assessor=third, actor=third
        )
    recusing = Assessment.objects.get(application=case.application, assessor=second)
    Assessment.objects.filter(pk=recusing.pk).update(declared_at=None)
    recusing.refresh_from_db()
    services.assessment_declare(
        assessment=recusing, actor=second, conflict=True, reason="Mijn buurvrouw."
    )
    services.assessor_assign(application=case.application, assessor=third, actor=first)


def test_recusal_needs_a_reason_and_is_logged():
    """Declaring a conflict without saying which is refused; with one it is logged."""
    case = assessment_case()
    accept(case)
    person = case.assessors[0]
    assessment = services.assessor_assign(
        application=case.application, assessor=person, actor=person
    )
    with pytest.raises(AssessmentError, match="welk belang"):
        services.assessment_declare(assessment=assessment, actor=person, conflict=True)
    services.assessment_declare(
        assessment=assessment,
        actor=person,
        conflict=True,
        reason="Ik zit in het bestuur van deze stichting.",
    )
    event = AssessmentEvent.objects.get(kind=AssessmentEvent.Kind.RECUSED)
    assert event.text == "Ik zit in het bestuur van deze stichting."
    assert event.actor == person


def test_a_recused_assessor_can_never_score():
    """Scoring an application with a declared conflict is impossible."""
    case = assessment_case()
    accept(case)
    person = case.assessors[0]
    assessment = services.assessor_assign(
        application=case.application, assessor=person, actor=person
    )
    assessment = services.assessment_declare(
        assessment=assessment, actor=person, conflict=True, reason="Familie."
    )
    with pytest.raises(AssessmentError, match="belangenconflict"):
        submit(assessment, IF_SCORES)
    assert not assessment.scores.exists()
    assert not selectors.may_act(person, case.application)


def test_scoring_needs_the_declaration_first():
    """An assessor who has not declared yet cannot save scores."""
    case = assessment_case()
    accept(case)
    person = case.assessors[0]
    assessment = services.assessor_assign(
        application=case.application, assessor=person, actor=person
    )
    with pytest.raises(AssessmentError, match="Verklaar eerst"):
        submit(assessment, IF_SCORES)


def test_someone_else_cannot_fill_in_my_assessment():
    """Only the assigned assessor saves their own scores."""
    case = assessment_case()
    accept(case)
    mine, _other = assign_and_declare(case)
    with pytest.raises(AssessmentError):
        services.assessment_save(
            assessment=mine,
            actor=case.assessors[1],
            scores=scores(IF_SCORES),
            submit=True,
        )


# --- scores -----------------------------------------------------------------------------


def test_a_draft_may_be_incomplete_but_a_submission_may_not():
    """Drafts keep what was typed; submitting needs every score and motivation."""
    case = assessment_case()
    accept(case)
    mine, _other = assign_and_declare(case)
    services.assessment_save(
        assessment=mine,
        actor=mine.assessor,
        scores={"I1": (3, "Goed"), "I2": (None, "")},
    )
    assert mine.scores.count() == 5
    with pytest.raises(AssessmentError) as error:
        services.assessment_save(
            assessment=mine,
            actor=mine.assessor,
            scores={**scores(IF_SCORES), "I3": (2, " ")},
            submit=True,
        )
    assert "motivering" in error.value.errors["I3"]
    mine.refresh_from_db()
    assert mine.submitted_at is None


def test_scores_of_others_are_hidden_until_my_own_are_submitted():
    """The second assessor sees the first one's scores only after submitting."""
    case = assessment_case()
    accept(case)
    first, second = assign_and_declare(case)
    submit(first, IF_SCORES)
    application = Application.objects.get(pk=case.application.pk)
    state = selectors.assessment_state(application)
    assert not selectors.scores_visible_to(
        second.assessor, application, state.assessments
    )
    rows, shown, _visible = selectors.score_table(state, second.assessor, application)
    assert [a.assessor for a in shown] == [second.assessor]
    assert all(cell.score is None for row in rows for cell in row.cells)
    assert selectors.scores_visible_to(first.assessor, application, state.assessments)
    submit(second, IF_SCORES)
    state = selectors.assessment_state(application)
    assert selectors.scores_visible_to(second.assessor, application, state.assessments)


def test_two_submissions_complete_the_assessment_with_band_and_amount():
    """Enough submissions and no disagreement: score, amount and beoordeeld are recorded."""
    case = assessment_case(amount_cents=250_000)
    accept(case)
    first, second = assign_and_declare(case)
    submit(first, {"I1": 4, "I2": 3, "I3": 3, "I4": 3, "I5": 3})
    assert Application.objects.get(pk=case.application.pk).status == (
        Status.IN_ASSESSMENT
    )
    submit(second, {"I1": 3, "I2": 3, "I3": 4, "I4": 3, "I5": 3})
    application = Application.objects.get(pk=case.application.pk)
    # (30*7 + 25*6 + 20*7 + 15*6 + 10*6) / 800 * 100 = 81.25 -> band 100 %.
    assert application.status == Status.ASSESSED
    assert application.impact_score == Decimal("81.25")
    assert application.proposed_cents == 250_000
    summary = AssessmentSummary.objects.get(application=application)
    assert summary.rejected is False and summary.percent == 100
    assert "81,25" in summary.reason_text


def test_a_disagreement_blocks_completion_until_consensus():
    """Two points apart on one criterion is flagged; consensus resolves it."""
    case = assessment_case()
    accept(case)
    first, second = assign_and_declare(case)
    submit(first, {"I1": 4, "I2": 3, "I3": 3, "I4": 3, "I5": 3})
    submit(second, {"I1": 2, "I2": 3, "I3": 3, "I4": 3, "I5": 3})
    application = Application.objects.get(pk=case.application.pk)
    assert application.status == Status.IN_ASSESSMENT
    state = selectors.assessment_state(application)
    assert state.open_disagreements == ("I1",)
    assert AssessmentEvent.objects.filter(
        application=application, kind=AssessmentEvent.Kind.DISAGREEMENT
    ).exists()
    with pytest.raises(AssessmentError):
        services.consensus_propose(
            application=application,
            actor=first.assessor,
            criterion_code="I2",
            score=3,
            note="Geen verschil hier.",
        )
    proposal = services.consensus_propose(
        application=application,
        actor=second.assessor,
        criterion_code="I1",
        score=3,
        note="Na overleg: goed, maar nog niet voorbeeldig.",
    )
    # One assessor alone does not decide: the other agrees first.
    assert Application.objects.get(pk=application.pk).status == Status.IN_ASSESSMENT
    services.consensus_answer(
        proposal=proposal, actor=first.assessor, agree=True, response=""
    )
    application.refresh_from_db()
    assert application.status == Status.ASSESSED
    assert application.impact_score == Decimal("75.00")


def test_consensus_needs_a_note():
    """An agreed score without a written reason is refused."""
    case = assessment_case()
    accept(case)
    first, second = assign_and_declare(case)
    submit(first, {"I1": 4, "I2": 3, "I3": 3, "I4": 3, "I5": 3})
    submit(second, {"I1": 2, "I2": 3, "I3": 3, "I4": 3, "I5": 3})
    with pytest.raises(AssessmentError) as error:
        services.consensus_propose(
            application=case.application,
            actor=first.assessor,
            criterion_code="I1",
            score=3,
            note="",
        )
    assert "note" in error.value.errors


def test_a_knockout_zero_records_an_application_that_cannot_be_honoured():
    """Duurzaam C6 scored 0: assessed, amount 0, reason knock-out for the decision."""
    scheme = SchemeFactory(
        slug="duurzaam",
        name="Budget duurzaam bewonersinitiatief Wmo",
        reference_prefix="DB",
        max_amount_cents=3_000_000,
        assessors_required=1,
    )
    case = assessment_case(
        scheme=scheme,
        assessors=1,
        answers={
            "jaren_actief": 5,
            "wmo_doelen": ["prettig_samenleven"],
            "kernactiviteit": ["bewonersbuurtnetwerk"],
            "betaalde_inzet": True,
            "andere_financiering_mogelijk": False,
        },
    )
    application = accept(case)
    assert application.status == Status.IN_ASSESSMENT
    (mine,) = assign_and_declare(case)
    submit(mine, {"C1": 4, "C2": 4, "C3": 4, "C4": 4, "C5": 4, "C6": 0, "C7": 4})
    application = Application.objects.get(pk=application.pk)
    assert application.status == Status.ASSESSED
    assert application.proposed_cents == 0
    summary = AssessmentSummary.objects.get(application=application)
    assert summary.rejected and summary.knocked_out
    assert summary.reason_code == "knock_out"
    assert "Samenwerking" in summary.reason_text


def test_below_the_lowest_band_is_recorded_as_insufficient_impact():
    """An impact score under 50 gives amount 0 and the reason insufficient impact."""
    case = assessment_case()
    accept(case)
    first, second = assign_and_declare(case)
    submit(first, {"I1": 1, "I2": 2, "I3": 1, "I4": 2, "I5": 2})
    submit(second, {"I1": 1, "I2": 2, "I3": 1, "I4": 2, "I5": 2})
    summary = AssessmentSummary.objects.get(application=case.application)
    assert summary.rejected and summary.reason_code == "onvoldoende_impact"
    assert Application.objects.get(pk=case.application.pk).proposed_cents == 0


def test_one_assessor_scheme_completes_on_the_first_submission():
    """Scheme.assessors_required = 1: the single submission completes it."""
    scheme = SchemeFactory(assessors_required=1)
    case = assessment_case(scheme=scheme, assessors=1)
    accept(case)
    (mine,) = assign_and_declare(case)
    submit(mine, IF_SCORES)
    assert Application.objects.get(pk=case.application.pk).status == Status.ASSESSED


def test_the_amount_follows_the_scheme_bands_not_hours():
    """Custom bands on the scheme decide the percentage of min(requested, maximum)."""
    scheme = SchemeFactory(assessors_required=1)
    scheme.impact_bands = [{"min_score": 70, "percent": 50}]
    scheme.save()
    case = assessment_case(scheme=scheme, assessors=1, amount_cents=123_456)
    accept(case)
    (mine,) = assign_and_declare(case)
    submit(mine, IF_SCORES)
    application = Application.objects.get(pk=case.application.pk)
    assert application.impact_score == Decimal("75.00")
    assert application.proposed_cents == 61_700


def test_the_applicant_answering_resumes_the_clock_by_the_time_waited():
    """Supplement by the applicant: the deadline moves by exactly the waiting time."""
    case = assessment_case()
    due_before = case.application.decision_due_at
    start = timezone.now()
    services.supplement_request(
        application=case.application,
        actor=case.assessors[0],
        message="Begroting ontbreekt.",
        due_on=timezone.localdate() + timedelta(days=14),
        at=start,
    )
    application = workflow_services.fire(
        application=case.application,
        transition="supplement",
        actor=case.application.applicant_user,
        at=start + timedelta(days=4, hours=2),
    )
    assert application.decision_due_at == due_before + timedelta(days=4, hours=2)


def test_a_transition_error_is_reported_not_swallowed():
    """A supplement request on an accepted application is refused in Dutch."""
    case = assessment_case()
    accept(case)
    with pytest.raises((AssessmentError, WorkflowError)):
        services.supplement_request(
            application=Application.objects.get(pk=case.application.pk),
            actor=case.assessors[0],
            message="Nog iets.",
            due_on=timezone.localdate() + timedelta(days=14),
        )


def test_an_assessor_outside_the_team_cannot_act():
    """The services check visibility too, not only the views."""
    case = assessment_case()
    outsider = assessor()
    with pytest.raises(AssessmentError, match="werkvoorraad"):
        services.preconditions_record(
            application=case.application,
            actor=outsider,
            choices=confirm_all(case.application),
        )


def test_a_scheme_without_rubric_cannot_get_assessors():
    """Assigning needs a rubric; the message tells whom to ask."""
    case = assessment_case(
        scheme=SchemeFactory(
            slug="flexbudget",
            name="Flex",
            reference_prefix="SF",
            max_amount_cents=500_000,
        ),
        rules=False,
    )
    from beoordeling.models import Rubric

    Rubric.objects.filter(scheme=case.scheme).delete()
    with pytest.raises(AssessmentError, match="beoordelingsmatrix"):
        services.assessor_assign(
            application=case.application,
            assessor=case.assessors[0],
            actor=case.assessors[0],
        )


def test_rubric_is_fixed_per_application_at_first_assignment():
    """All assessors of one application score the same rubric version."""
    case = assessment_case()
    first = services.assessor_assign(
        application=case.application,
        assessor=case.assessors[0],
        actor=case.assessors[0],
    )
    newer = rubric_for(case.scheme, note="Tweede versie")
    second = services.assessor_assign(
        application=case.application,
        assessor=case.assessors[1],
        actor=case.assessors[0],
    )
    assert first.rubric == second.rubric == case.rubric
    assert newer.version == case.rubric.version + 1
