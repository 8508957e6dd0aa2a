"""Linking imported history to a portal applicant: an audited decision of a Beheerder.

Imported history attaches only to applicants the import made, or to a portal applicant
whose KvK number an eHerkenning login verified (``resources``): a KvK number or a name
a resident typed proves nothing. When a Beheerder has established
that a portal applicant is the organisation of an imported history (for instance by
phone, or from the KvK extract the resident sent), they link the two with a written
motivation. The members of the portal applicant then become members of the imported
applicant, so they see its applications in "Mijn aanvragen"; the imported applicant
keeps its own name (the open data keeps naming the organisation as the old system
knew it), and later imports of the same KvK number or name still find it.

Every link is a ``HistoryLink`` (who, when, which kenmerk, which users, why), written
once and never changed, shown on the link screen and to the assessors of the portal
applicant's applications, and a line in the audit log.
"""

import logging

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from beoordeling.models import HistoryLink
from portal.shared.ratelimit import AUDIT_LOGGER
from subsidies.models import Applicant, Application

from .resources import IMPORT_TRANSITION

audit_log = logging.getLogger(AUDIT_LOGGER)

MIN_MOTIVATION = 20


class LinkRefused(Exception):
    """The link cannot be made; the message is for the Beheerder, in Dutch."""


def import_made_applicants():
    """Applicants the import made: with imported applications, and no members of
    their own (members only through a Beheerder's link)."""
    return (
        Applicant.objects.filter(
            applications__transition_log__transition=IMPORT_TRANSITION
        )
        .filter(Q(members__isnull=True) | Q(history_links__isnull=False))
        .distinct()
    )


def _member_label(user):
    """A member as the link records it: the login address, or for a resident known
    only by DigiD or eHerkenning (no address) the account's name, never the BSN."""
    return user.email or str(user)


@transaction.atomic
def history_link(*, imported_applicant, portal_reference, motivation, by):
    """Link ``imported_applicant``'s history to the applicant of the portal
    application ``portal_reference``; returns the ``HistoryLink``."""
    motivation = (motivation or "").strip()
    if len(motivation) < MIN_MOTIVATION:
        raise LinkRefused(
            _(
                "Schrijf op waarom deze aanvrager dezelfde is (minstens %(min)s "
                "tekens), bijvoorbeeld hoe u dat heeft nagegaan."
            )
            % {"min": MIN_MOTIVATION}
        )
    imported = (
        Applicant.objects.select_for_update()
        .filter(pk__in=import_made_applicants().values("pk"), pk=imported_applicant.pk)
        .first()
    )
    if imported is None:
        raise LinkRefused(_("Deze aanvrager komt niet uit een import."))
    reference = (portal_reference or "").strip().upper()
    application = (
        Application.objects.select_related("applicant")
        .filter(reference=reference)
        .exclude(transition_log__transition=IMPORT_TRANSITION)
        .first()
    )
    if application is None:
        raise LinkRefused(
            _("Er is geen aanvraag uit het portaal met kenmerk %(reference)s.")
            % {"reference": reference or "-"}
        )
    portal = application.applicant
    users = [user for user in portal.members.all() if user.is_active]
    if not users:
        raise LinkRefused(
            _("Bij aanvraag %(reference)s hoort geen gebruiker om aan te koppelen.")
            % {"reference": reference}
        )
    imported.members.add(*users)
    link = HistoryLink.objects.create(
        imported_applicant=imported,
        portal_applicant=portal,
        portal_reference=reference,
        members=sorted(_member_label(user) for user in users),
        motivation=motivation,
        linked_by=by,
    )
    audit_log.info(
        "Imported history linked: imported_applicant=%s name=%r to=%s members=%r "
        "by=%r motivation=%r",
        imported.pk,
        imported.name,
        reference,
        link.members,
        by.get_username(),
        motivation,
    )
    return link
