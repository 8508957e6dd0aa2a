from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = _("Subsidies")

    def ready(self):
        from portal.shared import language, outbox

        from . import mail_language, signals
        from .mail import queue_mail

        signals.connect()
        # accounts queues its mail through portal.shared.outbox (it sits below us).
        outbox.provide(queue_mail)
        # accounts gives a resident's browser the recorded language at login.
        language.provide(mail_language.language_for_user)
