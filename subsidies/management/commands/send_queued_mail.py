"""Retry e-mail that could not be delivered yet (run it every few minutes)."""

from django.core.management.base import BaseCommand

from subsidies.mail import deliver_pending


class Command(BaseCommand):
    help = "Verstuurt e-mails die nog in de wachtrij staan."

    def handle(self, *args, **options):
        sent, pending = deliver_pending()
        self.stdout.write(f"Verzonden: {sent}. Nog in de wachtrij: {pending}.")
