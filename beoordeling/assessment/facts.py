"""The application's answers: as the assessor reads them, and as facts for the checks.

``answers_with_labels`` shows the scheme-specific answers with the question labels of
the question set version the applicant answered. ``application_facts`` turns the
application, its answers (question keys in ``subsidies.demo_content``) and its partners
into ``preconditions.ApplicationFacts``; an answer that is missing or cannot be read is
``None`` (unknown), never a guess. ``precondition_proposals`` runs the scheme's active
randvoorwaarden (``PreconditionRule``): a computed rule gets the proposal and reason of
its pure check, a rule the assessor judges alone is proposed as unknown.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import preconditions
from ..models import ComputedCheck, PreconditionRule

#: The pure check behind each ``ComputedCheck`` value.
COMPUTED_CHECKS = {
    choice.value: getattr(preconditions, choice.value)
    for choice in ComputedCheck
    if choice.value
}


def _choice_label(question, value):
    labels = {str(key): label for key, label in question.get("choices") or ()}
    return labels.get(str(value), str(value))


def format_answer(question, value):
    """An answer as the assessor reads it: Ja/Nee, choice labels, numbers."""
    if value is None or value == "" or value == []:
        return _("(niet beantwoord)")
    kind = question.get("kind") if question else None
    if kind == "yesno":
        parsed = parse_yes_no(value)
        if parsed is not None:
            return _("Ja") if parsed else _("Nee")
    if kind == "multichoice" and isinstance(value, list | tuple):
        return ", ".join(_choice_label(question, v) for v in value)
    if kind == "choice":
        return _choice_label(question, value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def answers_with_labels(application):
    """(question label, answer) in the order of the application's question set version."""
    questions = application.question_set.questions if application.question_set else []
    answers = dict(application.answers or {})
    rows = []
    for question in questions:
        key = question.get("key")
        rows.append(
            (
                question.get("label") or key,
                format_answer(question, answers.pop(key, None)),
            )
        )
    for key, value in answers.items():
        rows.append((key, format_answer(None, value)))
    return rows


# --- facts for the randvoorwaarden -------------------------------------------------


def parse_yes_no(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in {"ja", "yes", "true", "1", "j", "y", "on"}:
            return True
        if text in {"nee", "no", "false", "0", "n", "off"}:
            return False
    return None


def _number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, float | Decimal) and value >= 0 and value == int(value):
        return int(value)
    return None


def _codes(value):
    if value is None:
        return None
    if isinstance(value, str):
        return frozenset({value}) if value else frozenset()
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(str(v) for v in value)
    return None


def application_facts(application, *, min_years_active=None):
    """The ``preconditions.ApplicationFacts`` of an application and its answers."""
    answers = application.answers or {}
    fully_volunteer = parse_yes_no(answers.get("volledig_vrijwillig"))
    if fully_volunteer is None:
        paid = parse_yes_no(answers.get("betaalde_inzet"))
        fully_volunteer = None if paid is None else not paid
    submitted = application.submitted_at or timezone.now()
    return preconditions.ApplicationFacts(
        scheme=application.round.scheme.slug,
        today=timezone.localdate(submitted),
        requested_cents=application.requested_cents,
        scheme_max_cents=application.round.scheme.max_amount_cents,
        activity_start=application.activity_start,
        fully_volunteer=fully_volunteer,
        initiatievenfonds_years_funded=_number(answers.get("jaren_gefinancierd")) or 0,
        years_active=_number(answers.get("jaren_actief")),
        min_years_active=(
            preconditions.DEFAULT_MIN_YEARS_ACTIVE
            if min_years_active is None
            else min_years_active
        ),
        other_municipal_funding_available=parse_yes_no(
            answers.get("andere_financiering_mogelijk")
        ),
        wmo_goals=_codes(answers.get("wmo_doelen")),
        core_activities=_codes(answers.get("kernactiviteit")),
        track=answers.get("spoor") if isinstance(answers.get("spoor"), str) else None,
        sm_tasks=_codes(answers.get("sm_taken")),
        partners_count=application.partners.count(),
        no_care_tasks_declared=parse_yes_no(answers.get("geen_zorgtaken")),
    )


@dataclass(frozen=True)
class RuleProposal:
    """One configured randvoorwaarde with its computed (or open) proposal."""

    rule: PreconditionRule
    result: preconditions.CheckResult


def precondition_proposals(application):
    """The active randvoorwaarden of the application's scheme, each with a proposal."""
    rules = list(
        PreconditionRule.objects.filter(
            scheme_id=application.round.scheme_id, active=True
        )
    )
    min_years = next(
        (
            rule.parameter
            for rule in rules
            if rule.computed_check == ComputedCheck.NOT_A_STARTER
            and rule.parameter is not None
        ),
        None,
    )
    facts = application_facts(application, min_years_active=min_years)
    proposals = []
    for rule in rules:
        check = COMPUTED_CHECKS.get(rule.computed_check)
        if check is not None:
            computed = check(facts)
            outcome, reason = computed.outcome, computed.reason
        else:
            outcome = preconditions.Outcome.UNKNOWN
            reason = _(
                "Deze randvoorwaarde wordt niet berekend. Beoordeel haar zelf en "
                "schrijf op waarom."
            )
        proposals.append(
            RuleProposal(
                rule=rule,
                result=preconditions.CheckResult(
                    code=rule.code,
                    label=rule.label,
                    outcome=outcome,
                    reason=reason,
                    hard=rule.hard,
                ),
            )
        )
    return proposals
