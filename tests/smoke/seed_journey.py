"""The data of the smoke journey, made in a process of its own with the production
settings (``python -m tests.smoke.seed_journey --plan FILE``), after the database is
migrated.

It uses the test suite's factories (which follow the code wherever it moves), and
makes only what a real deployment has before the staff start working:

- the demo's flexbudget (it allocates by ranking), here with one assessor per
  application, its rubric and randvoorwaarden; an open round with its verdeelregel
  published;
- a submitted application of an organisation with a postal address (a beschikking
  needs one), in a wijk that an assessment team covers;
- an assessor in that team, a decision maker and a CMS editor (Wagtail's group
  Editors), each with a password.

Everything after that, the randvoorwaarden, the assignment, the declaration, the
scores, the allocation run, the letters and the CMS's image and document, the
journey does through the screens.
The plan written to FILE holds the addresses, passwords, ids and names it needs.
"""

import argparse
import json
import os
import secrets
from pathlib import Path

#: A scheme of the demo that allocates by ranking; here one assessor per application.
SCHEME = "flexbudget"


def seed():
    from django.contrib.auth.models import Group

    from subsidies.models import Scheme
    from tests.factories import (
        AddressedApplicantFactory,
        RoundFactory,
        UserFactory,
        assessment_case,
        decision_maker,
    )

    Scheme.objects.filter(slug=SCHEME).update(assessors_required=1)
    scheme = Scheme.objects.get(slug=SCHEME)
    assert scheme.allocation_mode == "ranking"
    round_ = RoundFactory(scheme=scheme, name="Flexbudget rooktest")
    case = assessment_case(
        scheme=scheme,
        assessors=1,
        round=round_,
        applicant=AddressedApplicantFactory(name="Stichting Rookproef Oudwijk"),
        title="Buurtfeest op het Rookplein",
    )
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))  # Wagtail's own group
    people = {
        "assessor": case.assessors[0],
        "decision_maker": decision_maker(),
        "editor": editor,
    }
    accounts = {}
    for role, person in people.items():
        password = secrets.token_urlsafe(18)
        person.set_password(password)
        person.save(update_fields=["password"])
        accounts[role] = {
            "id": person.pk,
            "email": person.email,
            "password": password,
        }
    application = case.application
    return {
        **accounts,
        "application": {
            "id": application.pk,
            "reference": application.reference,
            "title": application.title,
            "applicant": application.applicant.name,
        },
        "round": {"id": round_.pk, "name": round_.name},
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", type=Path, required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
    import django

    django.setup()
    from django.db import transaction

    with transaction.atomic():
        plan = seed()
    args.plan.write_text(json.dumps(plan, indent=1))


if __name__ == "__main__":
    main()
