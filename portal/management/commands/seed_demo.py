"""Seed the demo: reference data, rounds, users per role, applications and public pages.

Idempotent: run it as often as you like. Prints the demo credentials.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.roles import OBJECTION_HANDLER, WIJKBUREAU
from beoordeling.assessment.demo import seed_assessments
from beoordeling.decisions.demo import seed_after_award, seed_decisions
from beoordeling.objections.demo import HANDLER as OBJECTION_HANDLER_LOGIN
from beoordeling.objections.demo import seed_objections
from beoordeling.payments.demo import seed_payments
from cms.demo import seed_english, seed_pages
from subsidies.demo import seed_demo
from subsidies.demo_assisted import WIJKBUREAU_LOGIN, seed_assisted


class Command(BaseCommand):
    help = "Vult de database met een realistische demo (idempotent) en toont de inloggegevens."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "seed_demo weigert: deze instellingen zijn voor productie; "
                "demo-gebruikers met bekende wachtwoorden horen daar niet."
            )
        now = timezone.now()
        report = seed_demo(now=now)
        seed_assessments(now=now)
        seed_decisions(now=now)
        seed_after_award(now=now)
        seed_payments(now=now)
        seed_objections(now=now)
        seed_assisted(now=now)
        seed_english(seed_pages())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo klaar: {report.total_applications} aanvragen ({report.created_applications} nieuw)."
            )
        )
        self.stdout.write("Inloggegevens (alleen voor de demo):")
        for user, role, password in report.users:
            if password:
                self.stdout.write(
                    f"  {role:<20} {user.email:<42} wachtwoord: {password}  (via /admin/)"
                )
            else:
                self.stdout.write(
                    f"  {role:<20} {user.email:<42} inloggen met een link per e-mail"
                )
        for role, (email, _first, _last, password) in (
            (OBJECTION_HANDLER, OBJECTION_HANDLER_LOGIN),
            (WIJKBUREAU, WIJKBUREAU_LOGIN),
        ):
            self.stdout.write(
                f"  {role:<20} {email:<42} wachtwoord: {password}  (via /admin/)"
            )
