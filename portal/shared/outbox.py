"""The outbox as the apps below ``subsidies`` reach it.

The outbox (the ``OutgoingMail`` table, ``queue_mail`` and its delivery task) lives in
``subsidies.mail``: moving the model would mean moving its table. ``accounts`` sits
below ``subsidies`` and may not import it, so it queues its mail here, and
``subsidies`` offers its ``queue_mail`` when the app registry is ready
(``SubsidiesConfig.ready``). The mail is then queued, masked and delivered exactly as
every other mail of the portal: after the commit, with retries.
"""

from django.core.exceptions import ImproperlyConfigured

_queue_mail = None


def provide(queue_mail):
    """Called once by the app that holds the outbox, at start-up."""
    global _queue_mail
    _queue_mail = queue_mail


def queue_mail(*, to, subject, body, attachments=(), reference=""):
    """Queue one e-mail in the portal's outbox (see ``subsidies.mail.queue_mail``)."""
    if _queue_mail is None:
        raise ImproperlyConfigured(
            "No outbox: the app that provides it (subsidies) is not installed."
        )
    return _queue_mail(
        to=to,
        subject=subject,
        body=body,
        attachments=attachments,
        reference=reference,
    )
