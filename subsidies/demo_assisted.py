"""The demo of Aanvragen met hulp (issue 18): a Wijkbureau staff member and one concept
they are filling in for a resident without e-mail, the consent recorded, ready to be
handed over with a printed code.

Idempotent, like ``subsidies.demo``: the user is found by e-mail address, and nothing
more is made once that user has helped with an application. Everything goes through
the services (``subsidies.services_assisted``, ``subsidies.services``), so the
transition log is real. Called from ``manage.py seed_demo`` after ``seed_demo``.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.roles import WIJKBUREAU

from . import services, services_assisted
from .models import ApplicationAssistance, ConsentMethod, Scheme, Wijk

#: (e-mail, first name, last name, password): the demo's Wijkbureau login (/admin/).
WIJKBUREAU_LOGIN = (
    "wijkbureau@initiatiefloket.example",
    "Wendy",
    "Wijkhuis",
    "Demo-Wijkbureau-2026",
)


def _wijkbureau_user():
    email, first, last, password = WIJKBUREAU_LOGIN
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, password, first_name=first, last_name=last, is_staff=True
        )
    user.groups.add(Group.objects.get(name=WIJKBUREAU))
    return user


def _open_scheme(now):
    for scheme in Scheme.objects.filter(active=True).order_by("pk"):
        if scheme.open_round(now) is not None:
            return scheme
    return None


def seed_assisted(now=None):
    """The Wijkbureau user and its assisted concept; returns the user."""
    now = now or timezone.now()
    with transaction.atomic():
        user = _wijkbureau_user()
        if ApplicationAssistance.objects.filter(assisted_by=user).exists():
            return user
        scheme = _open_scheme(now)
        if scheme is None:
            return user
        assistance = services_assisted.assisted_start(
            scheme=scheme,
            staff=user,
            resident_name="Gerda Smit",
            resident_phone="06 23456789",
            at=now - timedelta(minutes=40),
        )
        application = assistance.application
        services.applicant_update(
            application=application,
            user=user,
            fields={
                "kind": "bewonersgroep",
                "name": "Buren van de Bernadottelaan",
                "contact_name": "Gerda Smit",
                "contact_phone": "06 23456789",
                "street": "Bernadottelaan 40",
                "postcode": "3527 GD",
                "city": "Utrecht",
                "iban": "NL91ABNA0417164300",
                "account_holder": "G. Smit",
            },
        )
        wijk = Wijk.objects.order_by("sort_order", "pk").first()
        services.application_update(
            application=application,
            user=user,
            fields={
                "title": "Koffieochtend in de flat",
                "summary": (
                    "Elke week koffie en een praatje in de gemeenschappelijke ruimte, "
                    "voor bewoners die weinig buiten komen."
                ),
                "wijk": wijk,
                "activity_start": timezone.localdate(now) + timedelta(days=45),
                "activity_end": timezone.localdate(now) + timedelta(days=200),
            },
        )
        services.application_set_budget(
            application=application,
            user=user,
            lines=[
                {
                    "category": "materiaal",
                    "description": "Koffie, thee en koekjes",
                    "amount_cents": 60000,
                }
            ],
            other_funding=[],
        )
        services_assisted.assisted_consent(
            assistance=assistance,
            staff=user,
            method=ConsentMethod.IN_PERSON,
            given_at=now - timedelta(minutes=35),
            note="Mevrouw Smit kwam met haar dochter naar het wijkbureau.",
            confirmed=True,
            at=now - timedelta(minutes=5),
        )
    return user
