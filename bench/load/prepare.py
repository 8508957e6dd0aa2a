"""Prepare a load-test database: migrate, seed the demo, make the residents and
assessors, and write the plan the Locust users follow.

Run by the harness in its own process, with ``DJANGO_SETTINGS_MODULE`` set to
``bench.load.settings`` and ``DATABASE_URL`` pointing at a fresh database::

    python -m bench.load.prepare --plan plan.json --residents 200 --assessors 5 \\
        --closes-in 600

Each resident is a new user (group Aanvrager) with a concept application in the open
round of the initiatievenfonds: the organisation and initiative steps are filled in,
impact and budget are left for the resident to fill during the rush, then submit. The
round closes ``--closes-in`` seconds from now: the rush happens in its last minutes.
The plan holds, per resident, the e-mail address, a one-time login link (the path
with a django-sesame token) and the reference; per assessor the e-mail address and
the demo password. Extra assessors join every assessment team of the demo.

More residents for a database prepared before (the ramp, ``bench/load/ramp.py``)::

    python -m bench.load.prepare --plan more.json --residents 100 --first 200 \
        --assessors 0 --no-setup
"""

import argparse
import io
import json
import os
from datetime import timedelta
from pathlib import Path

ASSESSOR_PASSWORD = "Demo-Beoordelaar-2026"
SCHEME = "initiatievenfonds"


def _seed_rounds_only(now):
    """Reference data and open rounds without the demo's applications and decisions
    (the production smoke stage, ``tests/smoke/``)."""
    from subsidies.demo import seed_reference_data, seed_rounds

    seed_reference_data()
    seed_rounds(now)


def _prepare(*, residents, assessors, closes_in, demo=True, first=0, setup=True):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone
    from sesame.utils import get_token

    from accounts.roles import APPLICANT, ASSESSOR
    from beoordeling.models import Team
    from subsidies import services
    from subsidies.models import Buurt, Round, Scheme, TargetGroup, Theme, Wijk

    if setup:
        call_command("migrate", interactive=False, verbosity=0)
        if demo:
            call_command("seed_demo", stdout=io.StringIO())
        else:
            _seed_rounds_only(timezone.now())

    User = get_user_model()
    now = timezone.now()
    scheme = Scheme.objects.get(slug=SCHEME)
    round_ = scheme.open_round(now)
    Round.objects.filter(pk=round_.pk).update(
        closes_at=now + timedelta(seconds=closes_in)
    )
    wijken = list(Wijk.objects.order_by("sort_order"))
    group, theme = TargetGroup.objects.first(), Theme.objects.first()
    applicant_group = Group.objects.get(name=APPLICANT)
    login_path = reverse("accounts:magic_link")

    plan = {"residents": [], "assessors": [], "round_closes_at": None}
    for n in range(first, first + residents):
        wijk = wijken[n % len(wijken)]
        with transaction.atomic():
            user = User.objects.create_user(
                f"bewoner{n}@load.example", first_name="Bewoner", last_name=str(n)
            )
            user.groups.add(applicant_group)
            application = services.application_start(scheme=scheme, user=user)
            services.applicant_update(
                application=application,
                user=user,
                fields={
                    "kind": "bewonersgroep",
                    "name": f"Bewonersgroep {n}",
                    "contact_name": f"Bewoner {n}",
                    "contact_email": user.email,
                    "street": "Oudegracht 1",
                    "postcode": "3511 AB",
                    "city": "Utrecht",
                    "iban": "NL91ABNA0417164300",
                    "account_holder": f"Bewoner {n}",
                },
            )
            services.application_update(
                application=application,
                user=user,
                fields={
                    "title": f"Buurtmaaltijd {n}",
                    "summary": "Elke maand koken buren voor buren.",
                    "wijk": wijk,
                    "activity_start": timezone.localdate(now) + timedelta(days=40),
                    "activity_end": timezone.localdate(now) + timedelta(days=120),
                },
                relations={
                    "buurten": list(Buurt.objects.filter(wijk=wijk)[:1]),
                    "target_groups": [group],
                    "themes": [theme],
                },
            )
        plan["residents"].append(
            {
                "email": user.email,
                "login": f"{login_path}?t={get_token(user)}",
                "reference": application.reference,
            }
        )

    people = list(User.objects.filter(groups__name=ASSESSOR).order_by("pk"))
    assessor_group = Group.objects.get(name=ASSESSOR)
    for n in range(len(people), assessors):
        person = User.objects.create_user(
            f"beoordelaar-load{n}@initiatiefloket.example",
            ASSESSOR_PASSWORD,
            is_staff=True,
        )
        person.groups.add(assessor_group)
        for team in Team.objects.all():
            team.members.add(person)
        people.append(person)
    plan["assessors"] = [
        {"email": person.email, "password": ASSESSOR_PASSWORD}
        for person in people[:assessors]
    ]
    plan["round_closes_at"] = (now + timedelta(seconds=closes_in)).isoformat()
    return plan


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", type=Path, required=True)
    parser.add_argument("--residents", type=int, required=True)
    parser.add_argument("--assessors", type=int, default=5)
    parser.add_argument("--closes-in", type=int, default=600)
    parser.add_argument(
        "--first",
        type=int,
        default=0,
        help="the number of the first resident (more residents for a prepared database)",
    )
    parser.add_argument(
        "--no-setup",
        action="store_true",
        help="residents only: the database is migrated and seeded already",
    )
    parser.add_argument(
        "--no-demo",
        action="store_true",
        help="reference data and open rounds only, without the demo's applications",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.load.settings")
    import django

    django.setup()
    plan = _prepare(
        residents=args.residents,
        assessors=args.assessors,
        closes_in=args.closes_in,
        demo=not args.no_demo,
        first=args.first,
        setup=not args.no_setup,
    )
    args.plan.write_text(json.dumps(plan, indent=1))


if __name__ == "__main__":
    main()
