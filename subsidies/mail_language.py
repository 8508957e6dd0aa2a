"""The language of the gemeente's e-mails to an applicant (issue 18).

A resident who uses the portal in English gets every e-mail about the application in
English, also the ones a staff member or a scheduled job sends (the request for more
information, the decision, the bezwaar letters, the verantwoording). Staff screens are
Dutch, so the language of the request that triggers such a mail says nothing; the
applicant's ``mail_language`` does. Letters (beschikkingen, their PDFs) stay Dutch.

- ``remember(applicant, language)``: a member saved a step, submitted, answered,
  withdrew or switched the language. One UPDATE, only when the language changed.
  Without ``language`` only a language the visitor chose counts (the switch's
  cookie, ``portal.shared.language.chosen``): a page that is Dutch by default says
  nothing, and must not undo English recorded by the wijkbureau.
- ``language_for_user(user)``: the language recorded for a resident's applications;
  a browser without a cookie takes it at login (``portal.shared.language.adopt``).
- ``remember_for_member(user, language)``: the language switch of a logged-in
  resident: every applicant the user is a member of. Staff users are left alone.
- ``in_language_of(application)``: render a mail's subject and body inside it.
"""

from contextlib import contextmanager

from django.conf import settings
from django.utils import translation

from portal.shared import language as chosen_language

from .models import Applicant


def supported(language):
    """``language`` as one of ``LANGUAGES`` (``en-gb`` -> ``en``), else Dutch."""
    return chosen_language.supported(language, settings.LANGUAGE_CODE)


def remember(applicant, language=None, *, by=None):
    """Store ``language`` (default: the active one) as the applicant's mail language.

    Uses the row already loaded: no query when nothing changed, else one UPDATE.
    Nothing is stored when ``by`` is a staff member (the wijkbureau filling in a
    concept on Dutch staff screens): the language is the resident's choice.

    Without ``language``, inside a request, nothing is stored unless the visitor chose
    the page's language (the cookie of the switch): a resident who follows the
    English login link of the wijkbureau, or never touched the switch, sees the
    Dutch default, which is no choice. Outside a request (a test, a job) the active
    language counts."""
    if by is not None and by.is_municipal_staff:
        return
    if not language:
        if chosen_language.chosen() is False:
            return
        language = translation.get_language()
    language = supported(language)
    if applicant is None or applicant.mail_language == language:
        return
    Applicant.objects.filter(pk=applicant.pk).update(mail_language=language)
    applicant.mail_language = language


def remember_for_member(user, language):
    """The language switch of a logged-in resident: all the user's applicants follow.

    Staff (``is_municipal_staff``: whoever works in an admin, the wijkbureau too, whose
    Wagtail role never sets ``is_staff``) are skipped: a concept they fill in for a
    resident keeps the language the resident chose."""
    if not (user and user.is_authenticated) or user.is_municipal_staff:
        return 0
    language = supported(language)
    return (
        Applicant.objects.filter(members=user)
        .exclude(mail_language=language)
        .update(mail_language=language)
    )


def language_for_user(user):
    """The mail language of the user's applicants when they all agree, else "".

    Staff get "" (their screens are Dutch). One query."""
    if not (user and user.is_authenticated) or user.is_municipal_staff:
        return ""
    languages = set(
        Applicant.objects.filter(members=user)
        .order_by()
        .values_list("mail_language", flat=True)
        .distinct()[:2]
    )
    if len(languages) != 1:
        return ""
    return supported(languages.pop())


def adopt(request, applicant):
    """A browser without a language cookie takes ``applicant``'s language (the
    claim of a concept the wijkbureau made in English); see
    ``portal.shared.language.adopt``."""
    return chosen_language.adopt(request, applicant.mail_language)


def language_of(application):
    """The language of the e-mails about ``application``."""
    return supported(application.applicant.mail_language)


@contextmanager
def in_language_of(application):
    """Render an e-mail to the applicant in the applicant's language (subject and
    body); dates with ``|date`` follow it too."""
    with translation.override(language_of(application)):
        yield
