"""Mail a staff member an invitation to set up the second factor (first superuser).

The first superuser cannot reach the Beheerder's screen without a second factor; this
command, run by whoever operates the server, sends them their invitation. With
``--reset`` the staff member's current factor is removed first. Audited like the screen.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import enrolment


class Command(BaseCommand):
    help = "Mail a staff member a one-time invitation to set up the second factor."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--reset", action="store_true")

    def handle(self, *args, email, reset, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None or not user.is_active or not user.is_municipal_staff:
            raise CommandError("No active staff member with this address.")
        enrolment.invite(user=user, by=None, reason="management command", reset=reset)
        self.stdout.write(f"Invitation queued for {user.email}.")
