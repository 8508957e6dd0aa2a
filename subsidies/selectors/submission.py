"""What the applicant filled in (the copy on the last step, the copy page, the copy to
download as PDF or text and the receipt e-mail) and what is still missing before it
can be sent."""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .. import steps, workflow
from ..forms import BudgetFormSet, ImpactForm, InitiativeForm, OrganisationForm
from ..local_text import dutch
from ..models import ApplicantKind, Partner
from ..money import format_euros
from .access import applicant_documents


@dataclass(frozen=True)
class Section:
    title: str
    step: str
    rows: tuple


def _date(value):
    return date_format(value, "j F Y") if value else ""


def _yes_no(value):
    if value is True:
        return _("Ja")
    if value is False:
        return _("Nee")
    return ""


def _answer_text(question, value):
    if value in (None, "", []):
        return ""
    kind = question.get("kind")
    if kind == "yesno":
        return _yes_no(value)
    # The choices are the scheme's own Dutch texts: marked on an English page.
    choices = {str(code): label for code, label in question.get("choices", [])}
    if kind == "multichoice":
        return dutch(", ".join(choices.get(str(v), str(v)) for v in value))
    if kind == "choice":
        return dutch(choices.get(str(value), str(value)))
    return str(value)


def _grouped(iban):
    """NL91ABNA0417164300 -> NL91 ABNA 0417 1643 00, as on a bank card."""
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def _partner_rows(application):
    """A row per partner: its name, kind, role and whether it sent a letter of
    support (``Partner.letter_of_support``)."""
    rows = []
    for number, partner in enumerate(application.partners.all(), start=1):
        lines = [
            partner.name,
            _("Soort: %(kind)s") % {"kind": Partner.Kind(partner.kind).label},
        ]
        if partner.role:
            lines.append(_("Rol: %(role)s") % {"role": partner.role})
        lines.append(
            _("Steunbrief: %(answer)s")
            % {"answer": _yes_no(partner.letter_of_support).lower()}
        )
        rows.append((_("Partner %(number)s") % {"number": number}, "\n".join(lines)))
    return rows or [(_("Partners"), "")]


def sent_documents(application):
    """The documents that went with the application: for a sent one only those
    uploaded at or before ``submitted_at`` (an aanvulling, the verantwoording or a
    bezwaar came later and is not part of what was sent)."""
    documents = applicant_documents(application)
    if application.submitted_at is not None:
        documents = documents.filter(uploaded_at__lte=application.submitted_at)
    return documents


def submission_copy(application):
    """Every answer, grouped per step, as (label, value) pairs in plain text.

    Once sent, it lists only the documents sent with it (``sent_documents``) and adds
    the declaration and the choice for decisions by e-mail. The other answers are read
    as stored now: a later wijzigingsbesluit (a new last day) shows in the period
    (docs/decisions.md, "The copy to keep").

    The receipt e-mail shows the IBAN masked: ``subsidies.mail`` masks every IBAN.
    """
    applicant = application.applicant
    kind_label = (
        ApplicantKind(applicant.kind).label
        if applicant.kind in ApplicantKind.values
        else ""
    )
    organisation = [
        (_("Hoe vraagt u aan"), kind_label),
        (_("Naam"), applicant.name),
    ]
    if applicant.kvk_number:
        organisation.append((_("KvK-nummer"), applicant.kvk_number))
    if applicant.rsin:
        organisation.append((_("RSIN"), applicant.rsin))
    if applicant.penvoerder_name:
        organisation.append(
            (
                _("Penvoerder"),
                _("%(name)s (KvK-nummer %(kvk)s)")
                % {"name": applicant.penvoerder_name, "kvk": applicant.penvoerder_kvk},
            )
        )
    organisation += [
        (_("Contactpersoon"), applicant.contact_name),
        (
            _("E-mailadres"),
            applicant.contact_email or _("Geen e-mailadres. Brieven komen per post."),
        ),
        (_("Telefoonnummer"), applicant.contact_phone),
        (
            _("Adres"),
            ", ".join(
                part
                for part in (
                    applicant.street,
                    " ".join(p for p in (applicant.postcode, applicant.city) if p),
                )
                if part
            ),
        ),
        (_("IBAN"), _grouped(applicant.iban)),
        (_("Tenaamstelling"), applicant.account_holder),
    ]
    initiative = [
        (_("Titel"), application.title),
        (_("Beschrijving"), application.summary),
        (_("Wijk"), application.wijk.name if application.wijk_id else ""),
        (_("Buurten"), ", ".join(b.name for b in application.buurten.all())),
        (
            _("Periode"),
            _("van %(start)s tot en met %(end)s")
            % {
                "start": _date(application.activity_start),
                "end": _date(application.activity_end),
            }
            if application.activity_start and application.activity_end
            else "",
        ),
        (
            _("Voor wie"),
            ", ".join(t.name for t in application.target_groups.all()),
        ),
        (_("Thema's"), ", ".join(t.name for t in application.themes.all())),
        *_partner_rows(application),
    ]
    impact = [
        (_("Wat verandert er"), application.impact_plan),
        (
            _("Aantal mensen dat meedoet"),
            ""
            if application.expected_reach is None
            else str(application.expected_reach),
        ),
        (
            _("Aantal vrijwilligers"),
            "" if application.volunteers is None else str(application.volunteers),
        ),
    ]
    answers = application.answers or {}
    if application.question_set_id:
        for question in application.question_set.questions:
            impact.append(
                (
                    dutch(question["label"]),
                    _answer_text(question, answers.get(question["key"])),
                )
            )
    budget = [
        (
            _("%(category)s: %(description)s")
            % {
                "category": line.get_category_display(),
                "description": line.description,
            },
            format_euros(line.amount_cents),
        )
        for line in application.budget_lines.all()
    ]
    budget.append(
        (_("Gevraagd bedrag (totaal)"), format_euros(application.requested_cents))
    )
    for item in application.other_funding.all():
        budget.append(
            (
                _("Andere inkomsten: %(source)s (%(state)s)")
                % {"source": item.source, "state": item.get_state_display()},
                format_euros(item.amount_cents),
            )
        )
    documents = [
        (doc.get_kind_display(), doc.original_name)
        for doc in sent_documents(application)
    ]
    sections = [
        Section(_("Over de aanvrager"), steps.ORGANISATION, tuple(organisation)),
        Section(_("Uw initiatief"), steps.INITIATIVE, tuple(initiative)),
        Section(_("Wat levert het op?"), steps.IMPACT, tuple(impact)),
        Section(_("Begroting"), steps.BUDGET, tuple(budget)),
        Section(_("Bijlagen"), steps.DOCUMENTS, tuple(documents)),
    ]
    if application.submitted_at is not None:
        # Asked on the last step, in its own form: part of the copy once sent.
        sections.append(
            Section(
                _("Verklaring en besluit"),
                steps.REVIEW,
                (
                    (
                        _("Ik verklaar dat ik alles naar waarheid heb ingevuld."),
                        _yes_no(application.truthful_declaration),
                    ),
                    (
                        _(
                            "Ik wil het besluit over deze aanvraag per e-mail en in "
                            "'Mijn aanvragen' krijgen."
                        ),
                        _yes_no(applicant.accepts_electronic_decisions),
                    ),
                ),
            )
        )
    return sections


#: The receipt's date and time are Utrecht's, whatever the server's clock says.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class Receipt:
    """The copy to keep: a title, the facts of receipt as (label, value) pairs (the
    kenmerk, the scheme, the date and time of receipt) and every answer
    (``submission_copy``). The copy page, the PDF and the plain-text copy all render
    this one value; the receipt e-mail renders the same sections and the same date
    and time (``tests/subsidies/test_copy_pdf.py``)."""

    title: str
    facts: tuple
    sections: list


def received_at(application):
    """When the gemeente received the application, on Utrecht's clock (or None)."""
    if application.submitted_at is None:
        return None
    return timezone.localtime(application.submitted_at, AMSTERDAM)


def received_text(application):
    """ "7 december 2026 om 10:15 uur": the date and time of receipt, in words."""
    at = received_at(application)
    if at is None:
        return ""
    return _("%(date)s om %(time)s uur") % {
        "date": date_format(at, "j F Y"),
        "time": date_format(at, "H:i"),
    }


def submission_receipt(application):
    """The copy of a sent application (``Receipt``), in the active language."""
    facts = [
        (_("Kenmerk"), application.reference),
        (_("Regeling"), application.round.scheme.display_name),
    ]
    if application.submitted_at is not None:
        facts.append((_("Ontvangen op"), received_text(application)))
    return Receipt(
        title=_("Kopie van uw aanvraag %(reference)s")
        % {"reference": application.reference},
        facts=tuple(facts),
        sections=submission_copy(application),
    )


# --- what is still missing -------------------------------------------------------------


class Problem(str):
    """What is still missing, as text, with ``href``: the step page and the field there.

    It is a ``str`` so everything that lists, compares or joins problems keeps working;
    the last step makes each one a link to where it is fixed.
    """

    href = ""

    def __new__(cls, text, href=""):
        problem = super().__new__(cls, text)
        problem.href = href
        return problem


class _FoundLater(Problem):
    """A ``Problem`` whose ``href`` is worked out when it is first read. The list of
    steps above every step page only asks which steps still have problems; finding
    a field's id means building that step's form (issue 19: the form step's time)."""

    def __new__(cls, text, find):
        problem = str.__new__(cls, text)
        problem._find = find
        return problem

    @property
    def href(self):
        if "_href" not in self.__dict__:
            self._href = self._find()
        return self._href


#: The budget formset's prefix on the budget step (``subsidies.views.form``).
BUDGET_PREFIX = "lines"


class _Fields:
    """The id each field gets on its step page, read from the step's own form."""

    def __init__(self, application):
        self.application = application
        self.forms = {}

    def form(self, step):
        if step not in self.forms:
            if step == steps.ORGANISATION:
                self.forms[step] = OrganisationForm()
            elif step == steps.INITIATIVE:
                self.forms[step] = InitiativeForm()
            else:
                self.forms[step] = ImpactForm(
                    question_set=self.application.question_set
                )
        return self.forms[step]

    def href(self, step, name=None, *, anchor=None):
        if anchor is None:
            anchor = self.form(step)[name].anchor
        url = reverse("subsidies:step", args=[self.application.reference, step])
        return f"{url}#{anchor}"

    def problem(self, step, name, text):
        return _FoundLater(text, lambda: self.href(step, name))


def _missing_answers(application):
    if not application.question_set_id:
        return []
    answers = application.answers or {}
    return [
        question
        for question in application.question_set.questions
        if question.get("required") and answers.get(question["key"]) in (None, "", [])
    ]


def step_problems(application):
    """Per step slug, what is still missing or wrong, in Dutch; empty when done.

    Each problem is a ``Problem`` whose ``href`` is the step page with the field's id.
    """
    applicant = application.applicant
    fields = _Fields(application)
    organisation = []
    if applicant.kind not in ApplicantKind.values:
        organisation.append(
            fields.problem(steps.ORGANISATION, "kind", _("Kies hoe u aanvraagt."))
        )
    for value, name, message in (
        (applicant.name, "name", _("Vul de naam van uw organisatie of groep in.")),
        (
            applicant.contact_name,
            "contact_name",
            _("Vul de naam van de contactpersoon in."),
        ),
        (
            applicant.contact_email or applicant.contact_email_optional(),
            "contact_email",
            _("Vul het e-mailadres van de contactpersoon in."),
        ),
        (applicant.street, "street", _("Vul de straat en het huisnummer in.")),
        (applicant.postcode, "postcode", _("Vul de postcode in.")),
        (applicant.city, "city", _("Vul de plaats in.")),
        (applicant.iban, "iban", _("Vul het IBAN in.")),
        (
            applicant.account_holder,
            "account_holder",
            _("Vul de tenaamstelling van de rekening in."),
        ),
    ):
        if not value:
            organisation.append(fields.problem(steps.ORGANISATION, name, message))
    if applicant.kind == ApplicantKind.ORGANISATION and not applicant.kvk_number:
        organisation.append(
            fields.problem(
                steps.ORGANISATION, "kvk_number", _("Vul het KvK-nummer in.")
            )
        )
    if applicant.penvoerder_name and not applicant.penvoerder_kvk:
        organisation.append(
            fields.problem(
                steps.ORGANISATION,
                "penvoerder_kvk",
                _("Vul het KvK-nummer van de penvoerder in."),
            )
        )

    initiative = []
    for value, name, message in (
        (application.title.strip(), "title", _("Vul de titel van uw initiatief in.")),
        (application.summary.strip(), "summary", _("Beschrijf wat u gaat doen.")),
        (application.wijk_id, "wijk", _("Kies de wijk van de activiteit.")),
        (
            application.activity_start,
            "activity_start",
            _("Vul de eerste dag van de activiteit in."),
        ),
        (
            application.activity_end,
            "activity_end",
            _("Vul de laatste dag van de activiteit in."),
        ),
    ):
        if not value:
            initiative.append(fields.problem(steps.INITIATIVE, name, message))
    if not application.target_groups.exists():
        initiative.append(
            fields.problem(
                steps.INITIATIVE, "target_groups", _("Kies voor wie de activiteit is.")
            )
        )
    if not application.themes.exists():
        initiative.append(
            fields.problem(steps.INITIATIVE, "themes", _("Kies minstens één thema."))
        )

    impact = []
    if not application.impact_plan.strip():
        impact.append(
            fields.problem(
                steps.IMPACT,
                "impact_plan",
                _("Beschrijf wat er verandert door uw initiatief."),
            )
        )
    if application.expected_reach is None:
        impact.append(
            fields.problem(
                steps.IMPACT,
                "expected_reach",
                _("Vul in hoeveel mensen ongeveer meedoen."),
            )
        )
    if application.volunteers is None:
        impact.append(
            fields.problem(
                steps.IMPACT, "volunteers", _("Vul in hoeveel vrijwilligers meehelpen.")
            )
        )
    for question in _missing_answers(application):
        impact.append(
            fields.problem(
                steps.IMPACT,
                f"q_{question['key']}",
                _("Beantwoord de vraag: %(question)s")
                % {"question": question.get("label", question["key"])},
            )
        )

    budget = []
    if application.requested_cents <= 0:
        budget.append(
            _FoundLater(
                _("Vul minstens één kostenpost in."),
                lambda: fields.href(
                    steps.BUDGET,
                    anchor=BudgetFormSet(prefix=BUDGET_PREFIX)
                    .forms[0]["category"]
                    .anchor,
                ),
            )
        )
    elif application.requested_cents > application.round.scheme.max_amount_cents:
        budget.append(
            Problem(
                _("Het gevraagde bedrag is hoger dan het maximum van %(max)s.")
                % {"max": format_euros(application.round.scheme.max_amount_cents)},
                fields.href(steps.BUDGET, anchor="kosten"),
            )
        )
    return {
        steps.ORGANISATION: organisation,
        steps.INITIATIVE: initiative,
        steps.IMPACT: impact,
        steps.BUDGET: budget,
        steps.DOCUMENTS: [],
    }


def steps_done(application):
    """The steps that need nothing more; documents count once added or passed."""
    done = {slug for slug, found in step_problems(application).items() if not found}
    if steps.DOCUMENTS in done and not (
        application.current_step == steps.REVIEW
        or applicant_documents(application).exists()
    ):
        done.discard(steps.DOCUMENTS)
    return done


def submission_problems(application, at=None, *, check_declaration=True):
    """Everything that stops this application from being sent now, in Dutch.

    With ``check_declaration=False`` the truthful declaration is left out: the last
    step asks for it in its own form.
    """
    problems = [
        problem for found in step_problems(application).values() for problem in found
    ]
    at = at or timezone.now()
    start = application.activity_start
    today = timezone.localdate(at)
    if start is not None and start <= today:
        problems.append(
            Problem(
                _(
                    "De activiteit begint vandaag of is al begonnen. Kies een eerste "
                    "dag na vandaag."
                ),
                _Fields(application).href(steps.INITIATIVE, "activity_start"),
            )
        )
    applicant = application.applicant
    if applicant.accepts_electronic_decisions and applicant.letters_by_post_only:
        problems.append(
            Problem(
                _(
                    "U heeft geen e-mailadres ingevuld. Dan kunnen wij het besluit niet "
                    "per e-mail sturen. Zet het vinkje bij 'besluit per e-mail' uit. "
                    "Of vul in stap 1 een e-mailadres in."
                ),
                _Fields(application).href(steps.REVIEW, anchor="id_decisions_by_email"),
            )
        )
    if not application.round.is_open(at):
        problems.append(
            _("De ronde is gesloten sinds %(date)s. U kunt niet meer aanvragen.")
            % {"date": _date(timezone.localtime(application.round.closes_at).date())}
        )
    if not problems:
        # The workflow's own list is the final word, should it ever ask for more.
        declared = application.truthful_declaration
        if not check_declaration:
            application.truthful_declaration = True
        try:
            missing = workflow.missing_for_submission(application)
        finally:
            application.truthful_declaration = declared
        problems = [
            _("Nog niet compleet: %(part)s.") % {"part": part} for part in missing
        ]
    return problems
