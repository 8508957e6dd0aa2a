"""factory_boy factories with named lifecycle states.

``ApplicationFactory(submitted=True)`` gives an application that went through the
real ``submit`` transition; ``ApplicationFactory()`` a complete concept that can be
submitted. Users get their role through ``UserFactory(role=ASSESSOR)``.
"""

from datetime import timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from accounts.roles import ASSESSOR, DECISION_MAKER
from subsidies import services
from subsidies.models import Applicant, ApplicantKind, BudgetLine, Round, Scheme, Wijk


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"gebruiker{n}@example.nl")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", "geheim-wachtwoord-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
            if extracted != "Aanvrager":
                self.is_staff = True
        self.save()


class WijkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wijk
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"wijk-{n}")
    name = factory.Sequence(lambda n: f"Wijk {n}")


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme
        django_get_or_create = ("slug",)

    slug = "initiatievenfonds"
    name = "Initiatievenfonds"
    reference_prefix = "IF"
    purpose = "Geld voor activiteiten van bewoners."
    for_whom = "Bewonersinitiatieven."
    legal_basis = "Awb titel 4.2 en de ASV gemeente Utrecht."
    max_amount_cents = 2_000_000
    decision_weeks = 4
    letter_obligations = "Voer de activiteit uit zoals beschreven."
    letter_accountability = "De subsidie wordt direct vastgesteld."
    letter_payment = "Wij betalen binnen 10 werkdagen."


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    scheme = factory.SubFactory(SchemeFactory)
    name = factory.Sequence(lambda n: f"Ronde {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    ceiling_cents = 10_000_000

    class Params:
        closed = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=90)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
        )


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Applicant
        skip_postgeneration_save = True

    kind = ApplicantKind.ORGANISATION
    name = factory.Sequence(lambda n: f"Stichting Buurtkracht {n}")
    kvk_number = factory.Sequence(lambda n: f"{40000000 + n}")
    contact_name = factory.Faker("name", locale="nl_NL")
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.nl")
    iban = "NL91ABNA0417164300"
    account_holder = factory.SelfAttribute("name")

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        for user in extracted or ():
            self.members.add(user)


class ApplicationFactory(factory.Factory):
    """Builds through the services, so references and amounts are real."""

    class Meta:
        model = dict  # replaced in _create

    round = factory.SubFactory(RoundFactory)
    applicant = factory.SubFactory(ApplicantFactory)
    title = factory.Sequence(lambda n: f"Buurtmaaltijd {n}")
    summary = "Elke maand koken buren samen en eten ze samen."
    wijk = factory.SubFactory(WijkFactory)
    activity_start = factory.LazyFunction(
        lambda: timezone.localdate() + timedelta(days=60)
    )
    activity_end = factory.LazyFunction(
        lambda: timezone.localdate() + timedelta(days=180)
    )
    impact_plan = "We tellen de deelnemers en vragen wat het hen oplevert."
    truthful_declaration = True
    amount_cents = 250_000
    submitted = False

    @classmethod
    def _create(cls, model_class, *, submitted=False, amount_cents=250_000, **kwargs):
        user = UserFactory(role="Aanvrager")
        applicant = kwargs.pop("applicant")
        applicant.members.add(user)
        application = services.application_create(
            created_by=user, applicant=applicant, **kwargs
        )
        if amount_cents:
            BudgetLine.objects.create(
                application=application,
                category=BudgetLine.Category.MATERIALS,
                description="Kookgerei en boodschappen",
                amount_cents=amount_cents,
            )
            services.application_recalculate_requested(application=application)
        application.applicant_user = user
        if submitted:
            application = services.fire(
                application=application, transition="submit", actor=user
            )
            application.applicant_user = user
        return application

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("ApplicationFactory only creates.")


def assessor(**kwargs):
    return UserFactory(role=ASSESSOR, **kwargs)


def decision_maker(**kwargs):
    return UserFactory(role=DECISION_MAKER, **kwargs)


def round_for(scheme=None, **kwargs):
    return RoundFactory(scheme=scheme or SchemeFactory(), **kwargs)


__all__ = [
    "ApplicantFactory",
    "ApplicationFactory",
    "Round",
    "RoundFactory",
    "SchemeFactory",
    "UserFactory",
    "WijkFactory",
    "assessor",
    "decision_maker",
    "round_for",
]
