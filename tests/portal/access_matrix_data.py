"""The world the access matrix runs in, and the arguments each URL gets from it.

``build_world`` makes one small but complete portal: two applicants with their
applications, documents and a real beschikking, the four staff roles, and one row of
every model an admin screen of the project opens. ``url_kwargs`` maps the keyword
arguments of a URL pattern to objects of that world: by keyword name, with a few
URL-specific choices (``pk`` names a different model per screen). The expectations
themselves live in ``tests/portal/test_access_matrix.py``.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.roles import ADMINISTRATOR
from beoordeling.assessment import services as assessment_services
from beoordeling.decisions.services import decisions as decision_services
from beoordeling.models import (
    AfterAwardProposal,
    AllocationResult,
    AllocationRun,
    Decision,
    ExportJob,
    ExportKind,
    ImportKind,
    ImportRecord,
    LetterBatch,
    PreconditionRule,
    Rubric,
    Team,
)
from beoordeling.objections.services.lodging import objection_lodge
from subsidies import reports, steps
from subsidies.models import (
    Application,
    Buurt,
    ChangeRequest,
    Document,
    QuestionSet,
    Round,
    RoundWijkLimit,
    Scheme,
    TargetGroup,
    Theme,
    Wijk,
)
from tests.beoordeling.assessment.test_assessment_services import confirm_all
from tests.factories import (
    AddressedApplicantFactory,
    ApplicationFactory,
    RoundFactory,
    SchemeFactory,
    TeamFactory,
    UserFactory,
    WijkFactory,
    assessed_application,
    assessor,
    decision_maker,
    precondition_rules_for,
    rubric_for,
)

ANONYMOUS = "anonymous"
APPLICANT_A = "applicant_a"
APPLICANT_B = "applicant_b"
OTHER_TEAM_ASSESSOR = "assessor_other_team"
ASSESSOR = "assessor"
DECISION_MAKER = "decision_maker"
ADMINISTRATOR_ROLE = "administrator"

#: The columns of the matrix, from the least to the most trusted.
ROLES = (
    ANONYMOUS,
    APPLICANT_A,
    APPLICANT_B,
    OTHER_TEAM_ASSESSOR,
    ASSESSOR,
    DECISION_MAKER,
    ADMINISTRATOR_ROLE,
)


@dataclass
class World:
    users: dict
    scheme: Scheme
    round: Round
    application: Application  # A's, in assessment in the assessor's team wijk
    concept: Application  # A's concept, for the form steps
    decided: Application  # A's, awarded through a fixed run, with its beschikking
    foreign: Application  # B's, submitted, in the other team's wijk
    document: Document  # uploaded with A's submitted application
    concept_document: Document  # uploaded with A's concept
    letter: Document  # the PDF of A's beschikking
    rubric: Rubric
    run: AllocationRun
    result: AllocationResult
    batch: LetterBatch
    decision: Decision
    export_job: ExportJob
    import_record: ImportRecord
    #: One row per model an admin ModelViewSet of the project edits.
    instances: dict = field(default_factory=dict)
    #: A's wijzigingsverzoek on the decided application, and a refused wijziging.
    change_request: object = None
    after_award_proposal: object = None
    #: Proof with the verantwoording A started for the decided application.
    report_document: Document = None
    #: A's second award, whose verantwoording was sent (the review screens).
    reported: Application = None
    #: A's open bezwaar against the decided application's beschikking, and its
    #: ontvangstbevestiging (the objector's pages).
    objection: object = None
    objection_letter: Document = None


def _document(application, *, kind=Document.Kind.SUPPORT, name="deelnemers.pdf"):
    content = f"%PDF-1.4 {name}".encode()
    document = Document(
        application=application,
        kind=kind,
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def _export_job(owner):
    now = timezone.now()
    job = ExportJob.objects.create(
        kind=ExportKind.APPLICATIONS,
        format="csv",
        status=ExportJob.Status.DONE,
        total=1,
        done=1,
        filename="aanvragen.csv",
        created_by=owner,
        created_at=now,
        started_at=now,
        finished_at=now,
    )
    job.file.save("aanvragen.csv", ContentFile(b"kenmerk\nIF-1\n"), save=True)
    return job


def _import_record(owner):
    content = b"wijkcode;buurtnaam;cbs-code\nnoord;Zuilen-Oost;BU03440401\n"
    now = timezone.now()
    record = ImportRecord(
        kind=ImportKind.BUURTEN,
        original_name="buurten.csv",
        format="csv",
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        row_count=1,
        uploaded_by=owner,
        uploaded_at=now,
        checked_at=now,
    )
    record.file.save("buurten.csv", ContentFile(content), save=False)
    record.save()
    return record


def _after_award(decided, deciding):
    """A's answered wijzigingsverzoek on the decided grant, and a wijziging refused by a
    second decision maker (the screens: tests/beoordeling/decisions/test_vaststelling*)."""
    now = timezone.now()
    change_request = ChangeRequest.objects.create(
        application=decided,
        new_activity_end=decided.activity_end + timedelta(days=30),
        reason="De zaal is later vrij.",
        requested_by=decided.applicant_user,
        requested_at=now,
        # Answered, so A may ask again (the form answers 200).
        state=ChangeRequest.State.REFUSED,
        answer="Dat past niet in de regeling.",
        answered_by=deciding,
        answered_at=now,
    )
    proposal = AfterAwardProposal.objects.create(
        application=decided,
        action="wijzigen",
        state=AfterAwardProposal.State.REFUSED,
        new_activity_end=decided.activity_end + timedelta(days=30),
        ground="4:48-1-b",
        motivation="Niet volgens afspraak.",
        proposed_by=deciding,
        proposed_at=now,
    )
    return change_request, proposal


def build_world():
    """Everything the URLs of the project point at, through the services where they exist."""
    scheme = SchemeFactory()
    rubric = rubric_for(scheme)
    rules = precondition_rules_for(scheme)
    noord = WijkFactory(code="noord", name="Noord")
    zuid = WijkFactory(code="zuid", name="Zuid")
    round_ = RoundFactory(scheme=scheme, name="Voorjaar")
    team_member, other_team_member = assessor(), assessor()
    team = TeamFactory(members=[team_member], wijken=[noord])
    TeamFactory(members=[other_team_member], wijken=[zuid])
    deciding = decision_maker()
    administrator = UserFactory(role=ADMINISTRATOR)

    applicant_a = AddressedApplicantFactory()
    application = ApplicationFactory(
        round=round_, wijk=noord, applicant=applicant_a, submitted=True
    )
    assessment_services.preconditions_record(
        application=application,
        actor=team_member,
        choices=confirm_all(application),
    )
    assessment = assessment_services.assessor_assign(
        application=application, assessor=team_member, actor=team_member
    )
    assessment_services.assessment_declare(
        assessment=assessment, actor=team_member, conflict=False
    )
    concept = ApplicationFactory(round=round_, wijk=noord, applicant=applicant_a)
    decided = assessed_application(
        round=round_,
        wijk=noord,
        applicant=applicant_a,
        proposed_cents=200_000,
        assessed_by=team_member,
    )
    reported = assessed_application(
        round=round_,
        wijk=noord,
        applicant=applicant_a,
        proposed_cents=100_000,
        assessed_by=team_member,
    )
    foreign = ApplicationFactory(round=round_, wijk=zuid, submitted=True)

    run = decision_services.allocation_run_create(
        round=round_,
        actor=deciding,
    )
    decision_services.allocation_run_fix(run=run, actor=deciding)
    batch = decision_services.letter_batch_start(
        round=round_, actor=deciding, notify=False, enqueue=False
    )
    decision_services.letter_batch_run(batch_id=batch.pk)
    decision = decided.decisions.get()
    change_request, after_award_proposal = _after_award(decided, deciding)
    objection = objection_lodge(
        decision=decision,
        objector_name="Bewonersgroep Noord",
        reasons="Het bedrag is te laag voor wat wij doen.",
        user=application.applicant_user,
    )

    instances = {
        Scheme: scheme,
        QuestionSet: QuestionSet.objects.create(scheme=scheme, version=1),
        Round: round_,
        RoundWijkLimit: RoundWijkLimit.objects.create(
            round=round_, wijk=noord, cap_cents=5_000_000
        ),
        Wijk: noord,
        Buurt: Buurt.objects.create(wijk=noord, name="Zuilen-Oost", code="BU0344"),
        TargetGroup: TargetGroup.objects.get_or_create(
            slug="jongeren", defaults={"name": "Jongeren"}
        )[0],
        Theme: Theme.objects.get_or_create(
            slug="ontmoeting", defaults={"name": "Ontmoeting"}
        )[0],
        PreconditionRule: rules[0],
        Team: team,
    }
    return World(
        users={
            ANONYMOUS: None,
            APPLICANT_A: application.applicant_user,
            APPLICANT_B: foreign.applicant_user,
            OTHER_TEAM_ASSESSOR: other_team_member,
            ASSESSOR: team_member,
            DECISION_MAKER: deciding,
            ADMINISTRATOR_ROLE: administrator,
        },
        scheme=scheme,
        round=round_,
        application=application,
        concept=concept,
        decided=decided,
        foreign=foreign,
        document=_document(application),
        concept_document=_document(concept, name="offerte.pdf"),
        letter=decision.document,
        rubric=rubric,
        run=run,
        result=AllocationResult.objects.get(run=run, application=decided),
        batch=batch,
        decision=decision,
        export_job=_export_job(administrator),
        import_record=_import_record(administrator),
        instances=instances,
        change_request=change_request,
        after_award_proposal=after_award_proposal,
        report_document=_report_document(decided),
        reported=_report_sent(reported),
        objection=objection,
        objection_letter=objection.acknowledgement,
    )


def _report_sent(application):
    """A's verantwoording of ``application``, filled in and sent."""
    user = application.applicant_user
    fresh = Application.objects.get(pk=application.pk)
    report = reports.report_start(application=fresh, user=user)
    reports.report_update(
        report=report,
        user=user,
        fields={"what_happened": "Gekookt.", "course": "ja", "participants": 20},
    )
    reports.report_set_money(
        report=report,
        user=user,
        spent={line.pk: line.amount_cents for line in fresh.budget_lines.all()},
        income=[],
    )
    return reports.report_submit(
        application=fresh, user=user, truthful_declaration=True
    )


def _report_document(decided):
    reports.report_start(application=decided, user=decided.applicant_user)
    return _document(decided, kind=Document.Kind.REPORT, name="foto.pdf")


# --- URL arguments --------------------------------------------------------------------

#: Which of A's applications a ``reference`` names; the default is the submitted one.
REFERENCE = {
    "subsidies:resume": "concept",
    "subsidies:step": "concept",
    "subsidies:document_delete": "concept",
    "subsidies:letter": "decided",
    "subsidies:letter_document": "decided",
    "subsidies:change_request": "decided",
    "subsidies:report": "decided",
    "subsidies:report_resume": "decided",
    "subsidies:report_step": "decided",
    "subsidies:report_document_delete": "decided",
    "bezwaar:index": "decided",
    # The form needs a beschikking without an open bezwaar: the other award's.
    "bezwaar:new": "reported",
    "bezwaar:sent": "decided",
    "bezwaar:withdraw": "decided",
    "bezwaar:letter": "decided",
}

#: Which object a ``pk`` names, by URL name or namespace. A ``pk`` of a project
#: ModelViewSet names the world's row of the viewset's model (``World.instances``).
PK = {
    "subsidies:document": "document",
    "subsidies:letter_document": "letter",
    "subsidies:document_delete": "concept_document",
    "subsidies:report_document_delete": "report_document",
    "bezwaar:letter": "objection_letter",
    "verantwoordingen": "reported",
    "beoordelen": "application",
    "beoordelingsmatrices": "rubric",
    "overzichten:job": "export_job",
    "overzichten:job_download": "export_job",
    "overzichten:import_record": "import_record",
}

#: Which application an ``application_id`` names: the decided one (a beschikking, a
#: fixed run in the round), so the POST-only decision URLs reach their real checks.
APPLICATION_ID = "decided"


def _pk(world, name, viewset_models):
    namespace = name.partition(":")[0]
    target = PK.get(name) or PK.get(namespace)
    if target is not None:
        return getattr(world, target).pk
    model = viewset_models.get(namespace)
    if model is None:
        raise LookupError(f"{name}: add the object its 'pk' names to PK")
    if model not in world.instances:
        raise LookupError(f"{name}: build_world has no {model.__name__}; add one")
    return world.instances[model].pk


#: Every URL keyword the world provides, as ``(world, url name, viewset models) ->
#: value``. A keyword missing here fails the matrix: add it, or list it in UNPROVIDED.
ARGUMENTS = {
    "reference": lambda w, name, *_: (
        getattr(w, REFERENCE.get(name, "application")).reference
    ),
    "step": lambda w, name, *_: (
        steps.REPORT_STEPS[0].slug
        if name == "subsidies:report_step"
        else steps.STEPS[0].slug
    ),
    "slug": lambda w, *_: w.scheme.slug,
    "objection": lambda w, *_: w.objection.reference,
    "pk": _pk,
    "document_pk": lambda w, *_: w.document.pk,
    # The bezwaren screens (beoordeling/objections/admin.py): A's bezwaar and its
    # ontvangstbevestiging.
    "objection_id": lambda w, *_: w.objection.pk,
    "document_id": lambda w, *_: w.objection_letter.pk,
    "scheme_pk": lambda w, *_: w.scheme.pk,
    "round_id": lambda w, *_: w.round.pk,
    "run_id": lambda w, *_: w.run.pk,
    "result_id": lambda w, *_: w.result.pk,
    "batch_id": lambda w, *_: w.batch.pk,
    "decision_id": lambda w, *_: w.decision.pk,
    "proposal_id": lambda w, *_: w.after_award_proposal.pk,
    "change_request_id": lambda w, *_: w.change_request.pk,
    "application_id": lambda w, *_: getattr(w, APPLICATION_ID).pk,
    "kind": lambda w, *_: ExportKind.APPLICATIONS.value,
    "fmt": lambda w, *_: "csv",
    # Payments: no role of the matrix may open them, and the permission is checked
    # before the id is looked up, so any id shows that (the real objects are in
    # tests/beoordeling/payments/test_views.py).
    "payment_batch_id": lambda w, *_: 1,
    "statement_id": lambda w, *_: 1,
    "instruction_id": lambda w, *_: 1,
    "item_id": lambda w, *_: 1,
    "file_format": lambda w, *_: "sepa",
    # A staff password reset link that is not valid (the refusal page).
    "uidb64": lambda w, *_: "MQ",
    "token": lambda w, *_: "geen-geldige-code",
}

#: Keywords the world cannot provide, with the reason. URLs that need one are listed
#: in the matrix but their cells are skipped with that reason.
UNPROVIDED = {}


def url_kwargs(world, name, keywords, viewset_models):
    """The keyword arguments to reverse ``name`` with, taken from ``world``."""
    return {
        keyword: ARGUMENTS[keyword](world, name, viewset_models) for keyword in keywords
    }
