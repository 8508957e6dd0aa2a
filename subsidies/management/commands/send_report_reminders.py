"""Send the reminders about the verantwoording that are due today (run it daily)."""

from django.core.management.base import BaseCommand

from subsidies.reports import send_report_reminders


class Command(BaseCommand):
    help = "Verstuurt herinneringen voor de verantwoording die vandaag nodig zijn."

    def handle(self, *args, **options):
        sent = send_report_reminders()
        self.stdout.write(f"Herinneringen verstuurd: {sent}.")
