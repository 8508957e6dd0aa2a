"""A draft with every part filled, and everything a resident saved as one value, so
tests compare what is stored before and after an action (at the view level and in the
browser)."""

from django.core.files.base import ContentFile

from subsidies import services
from subsidies.models import (
    Applicant,
    ApplicantKind,
    Application,
    BudgetLine,
    Buurt,
    Document,
    OtherFunding,
    Partner,
    TargetGroup,
    Theme,
)

#: What a visit may change without changing anything the resident saved.
BOOKKEEPING = {"updated_at", "current_step", "step_versions"}


def stored(application):
    """Everything a resident can save for this application, read from the database."""
    fresh = Application.objects.get(pk=application.pk)
    applicant = Applicant.objects.get(pk=fresh.applicant_id)
    return {
        "application": {
            field.attname: getattr(fresh, field.attname)
            for field in Application._meta.concrete_fields
            if field.attname not in BOOKKEEPING
        },
        "applicant": {
            field.attname: getattr(applicant, field.attname)
            for field in Applicant._meta.concrete_fields
        },
        "buurten": sorted(fresh.buurten.values_list("pk", flat=True)),
        "target_groups": sorted(fresh.target_groups.values_list("pk", flat=True)),
        "themes": sorted(fresh.themes.values_list("pk", flat=True)),
        "budget_lines": list(
            fresh.budget_lines.order_by("pk").values_list(
                "category", "description", "amount_cents"
            )
        ),
        "other_funding": list(
            fresh.other_funding.order_by("pk").values_list(
                "source", "state", "amount_cents"
            )
        ),
        "partners": list(
            fresh.partners.order_by("pk").values_list(
                "name", "kind", "role", "letter_of_support"
            )
        ),
        "documents": list(
            fresh.documents.order_by("pk").values_list(
                "kind", "original_name", "size", "sha256"
            )
        ),
    }


def changes(before, after):
    """What differs between two ``stored`` snapshots, field by field."""
    found = {}
    for part, old in before.items():
        new = after[part]
        if isinstance(old, dict):
            found.update(
                {
                    f"{part}.{name}": (value, new.get(name))
                    for name, value in old.items()
                    if new.get(name) != value
                }
            )
        elif old != new:
            found[part] = (old, new)
    return found


def answer_for(question):
    """A stored answer of the right shape for a question of a scheme."""
    kind = question.get("kind", "text")
    choices = [code for code, _label in question.get("choices", [])]
    return {
        "yesno": False,
        "number": 0,
        "choice": choices[-1] if choices else "",
        "multichoice": choices[:2],
        "textarea": "Twee regels\nmet een witregel\n\nen nog één: €, é, ü.",
    }.get(kind, "Een antwoord met <tekens> & 'quotes'")


def fill_everything(application, *, kind=ApplicantKind.ORGANISATION):
    """A draft with every part filled, the way the factories and the seed store it."""
    applicant = application.applicant
    applicant.kind = kind
    applicant.name = "Bewonersgroep Lombok & Co" if kind else applicant.name
    applicant.rsin = "" if kind == ApplicantKind.INFORMAL_GROUP else "002166245"
    applicant.kvk_number = "" if kind == ApplicantKind.INFORMAL_GROUP else "41234567"
    if kind == ApplicantKind.INFORMAL_GROUP:
        applicant.penvoerder_name = "Stichting Penvoerder"
        applicant.penvoerder_kvk = "41234568"
    applicant.contact_phone = "030 123 45 67"
    applicant.street = "Kanaalstraat 10"
    applicant.postcode = "3531 CJ"
    applicant.city = "Utrecht"
    applicant.iban = "NL91ABNA0417164300"
    applicant.account_holder = applicant.name
    applicant.save()
    questions = application.question_set.questions if application.question_set else []
    application = services.application_update(
        application=application,
        user=application.created_by,
        fields={
            "expected_reach": 0,
            "volunteers": 7,
            "impact_plan": "Regel één\n\nRegel drie, na een witregel.",
        },
        relations={
            "buurten": list(Buurt.objects.filter(wijk=application.wijk)[:2]),
            "target_groups": list(TargetGroup.objects.all()[:2]),
            "themes": list(Theme.objects.all()[:3]),
        },
        answers={q["key"]: answer_for(q) for q in questions},
    )
    for category, description, amount in (
        (BudgetLine.Category.MATERIALS, "Kookgerei", 12_345),
        (BudgetLine.Category.RENT, "Huur buurthuis", 100_001),
        (BudgetLine.Category.COMMUNICATION, "Flyers", 99),
    ):
        BudgetLine.objects.create(
            application=application,
            category=category,
            description=description,
            amount_cents=amount,
        )
    OtherFunding.objects.create(
        application=application,
        source="Fonds",
        state=OtherFunding.State.PROMISED,
        amount_cents=50_000,
    )
    OtherFunding.objects.create(
        application=application,
        source="Eigen bijdrage",
        state=OtherFunding.State.OWN,
        amount_cents=1,
    )
    Partner.objects.create(
        application=application,
        name="Buurthuis De Boog",
        kind=Partner.Kind.SOCIAL_BROKER,
        role="Ruimte",
        letter_of_support=True,
    )
    Partner.objects.create(application=application, name="De bakker")
    Document.objects.create(
        application=application,
        kind=Document.Kind.SUPPORT,
        file=ContentFile(b"%PDF-1.4 steunbrief", name="steunbrief.pdf"),
        original_name="steunbrief.pdf",
        content_type="application/pdf",
        size=19,
        sha256="0" * 64,
        uploaded_by=application.created_by,
    )
    services.application_recalculate_requested(application=application)
    return application


# Answers to the quick check that fit the Initiatievenfonds.
QUICK_CHECK_ANSWERS = {
    "started": "nee",
    "in_utrecht": "ja",
    "for_neighbourhood": "ja",
    "care": "nee",
    "three_years": "nee",
    "fully_volunteer": "ja",
    "fund_three_years": "nee",
    "network_or_information": "nee",
    "other_municipal_money": "ja",
    "social_broker_work": "nee",
}
