"""Bring every awarded application's payments ledger in line with its facts.

    manage.py plan_payments

For a cron job or systemd timer (like ``send_queued_mail``): a verlening sent, a
vaststelling, a wijziging or an intrekking since the last run gets its voorschotten,
betaling or terugvordering. Running it twice changes nothing the second time.
"""

from django.core.management.base import BaseCommand

from beoordeling.payments.services.planning import plan_all


class Command(BaseCommand):
    help = "Werk de betalingen van alle toegekende aanvragen bij."

    def handle(self, *args, **options):
        changed = plan_all()
        self.stdout.write(f"Betalingen bijgewerkt: {changed} aanvragen gewijzigd.")
