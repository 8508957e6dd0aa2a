"""Applications filled in at the wijkbureau, for a resident (issue 18).

The flow
    ``assisted_start``: a staff member with the role Wijkbureau starts a concept for a
    resident (name, e-mail or "no e-mail: DigiD", phone). The staff member fills in
    the same steps as a resident (``subsidies.views.assisted`` reuses the step pages
    and their services). ``assisted_consent``: how and when the resident agreed, with
    a required confirmation. ``assisted_handover_email`` or ``assisted_handover_code``:
    the concept goes to the resident, who continues and submits it themselves; the
    staff member cannot change it any more. ``assisted_claim``: a resident logged in
    with DigiD types the printed code and the concept becomes theirs.
    ``assisted_change_email``: a wrong hand-over address is corrected; the note and a
    new login link go to the right one and the old link is spent.

The resident's language
    The start records the language of the resident's e-mails
    (``Applicant.mail_language``); the hand-over note and its login link use it.

The access rule
    The application services accept only a member of the applicant
    (``services._check_member``). While the concept is at the wijkbureau the
    assisting staff member is its applicant's only member; the hand-over takes them
    off and puts the resident on, in one transaction, so from then on the staff
    member can no longer change it (the services refuse them) and never receives its
    e-mails. Nobody else of the wijkbureau sees the concept (docs/decisions.md).

The log
    Every step writes a transition log row (source and target stay ``concept``) with
    the staff member as actor and a reason that names them: "ingevuld door <naam>
    (wijkbureau) namens de aanvrager". The resident's own submit is logged by
    ``fire`` with the resident as actor, so the log shows who did what.

The hand-over code
    Twelve characters from an alphabet without look-alikes (0/O, 1/I/L), shown once in
    groups of four; 60 bits. Only an HMAC-SHA256 of it is stored, keyed with the
    ``SECRET_KEY``. It works once, for ``HANDOVER_CODE_DAYS`` days. Every attempt
    counts in the rate limiter of the logins (``portal.shared.ratelimit``), per
    account and per IP address. As only the hash is stored, a code cannot be shown
    twice: a second request within ``CODE_REPEAT_SECONDS`` (a double click) raises
    ``CodeJustMade`` instead of replacing the code on the sheet already printed,
    unless the staff member asks for a new code on purpose.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import magic_links
from accounts.models import LoginIdentity
from accounts.roles import APPLICANT, ASSIST_APPLICATION
from portal.shared import ratelimit

from . import claim_messages, services, steps
from .mail import queue_mail
from .models import (
    Applicant,
    Application,
    ApplicationAssistance,
    ConsentMethod,
    HandoverRoute,
    TransitionLog,
)
from .services import WorkflowError
from .workflow import Status

#: How long a printed hand-over code works.
HANDOVER_CODE_DAYS = 30
#: The code's alphabet: no 0/O, 1/I/L, so it reads back from paper without doubt.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
#: Attempts to type a code, per account and per IP address, in a window (seconds).
CLAIM_LIMIT_PER_USER = 5
CLAIM_LIMIT_PER_IP = 30
CLAIM_LIMIT_WINDOW = 15 * 60

# The transition log's names for the steps of the help (``source == target``).
LOG_START = "met_hulp_gestart"
LOG_STEP = "met_hulp_stap"
LOG_CONSENT = "met_hulp_toestemming"
LOG_HANDOVER = "met_hulp_overgedragen"
LOG_CLAIM = "met_hulp_overgenomen"
LOG_DOCUMENT_REMOVED = "met_hulp_bestand_verwijderd"
LOG_REISSUE = "met_hulp_nieuwe_code"
LOG_EMAIL_CHANGED = "met_hulp_email_aangepast"

#: A second request for a code within this many seconds of the last one, by the same
#: staff member, is taken for a double click: it makes no new code (the sheet already
#: open would stop working), unless the staff member asks for a new one on purpose.
CODE_REPEAT_SECONDS = 120


class ClaimRefused(WorkflowError):
    """The hand-over code was not accepted; the message says why, in Dutch."""


class CodeJustMade(WorkflowError):
    """A code was made for this concept a moment ago (a double click): no new code.
    Only the hash is stored, so the code cannot be shown again; the staff member uses
    the sheet already open, or asks for a new code on purpose (``deliberate``)."""


def staff_label(user):
    """How the log and the screens name the staff member: their name, else e-mail."""
    return user.get_full_name() or user.email or str(user)


def may_assist(user):
    return bool(user and user.is_active and user.has_perm(ASSIST_APPLICATION))


def _require_assistant(user):
    if not may_assist(user):
        raise WorkflowError(
            _(
                "Alleen een medewerker van het wijkbureau kan een aanvraag met hulp doen."
            )
        )


def _log(assistance, transition, actor, reason, at):
    application = assistance.application
    TransitionLog.objects.create(
        application=application,
        reference=application.reference,
        transition=transition,
        source=Status.DRAFT,
        target=Status.DRAFT,
        actor=actor,
        actor_label=_("%(name)s (wijkbureau)") % {"name": staff_label(actor)}
        if actor.pk == assistance.assisted_by_id
        else services.actor_label(actor),
        at=at,
        reason=reason,
    )


def filled_in_by(assistance):
    return _("ingevuld door %(name)s (wijkbureau) namens de aanvrager") % {
        "name": assistance.assisted_by_label
    }


# --- who may work on what --------------------------------------------------------------


def open_assistance(user):
    """The concepts this staff member is filling in and has not handed over."""
    return ApplicationAssistance.objects.filter(
        assisted_by=user,
        handed_over_at__isnull=True,
        application__status=Status.DRAFT,
    )


def assisted_application_for(user, reference):
    """The concept ``reference`` if ``user`` may work on it now, else None: the staff
    member who started it, with the permission, while it is a concept that was not
    handed over."""
    if not may_assist(user):
        return None
    assistance = (
        open_assistance(user)
        .select_related("application")
        .filter(application__reference=reference)
        .first()
    )
    return assistance.application if assistance is not None else None


def assisted(application, user):
    """True when ``user`` filled in ``application`` for the resident (the conflict of
    interest the assessment and the decision check)."""
    if user is None or not getattr(user, "pk", None):
        return False
    return ApplicationAssistance.objects.filter(
        application_id=application.pk, assisted_by_id=user.pk
    ).exists()


# --- start, steps, consent ---------------------------------------------------------------


def assisted_start(
    *,
    scheme,
    staff,
    resident_name,
    resident_email="",
    resident_phone="",
    mail_language="",
    at=None,
):
    """A new concept in the scheme's open round, filled in by ``staff`` for a resident.

    Without ``resident_email`` the hand-over goes by DigiD and a printed code.
    ``mail_language``: the language of the resident's e-mails (``settings.LANGUAGES``;
    Dutch when empty or unknown), the hand-over e-mail included.
    """
    _require_assistant(staff)
    if mail_language not in dict(settings.LANGUAGES):
        mail_language = settings.LANGUAGE_CODE
    at = at or timezone.now()
    round_ = scheme.open_round(at)
    if round_ is None:
        raise WorkflowError(
            _("Voor %(scheme)s is op dit moment geen ronde open.") % {"scheme": scheme}
        )
    resident_email = magic_links.normalise_email(resident_email)
    with transaction.atomic():
        applicant = Applicant.objects.create(
            kind="",
            name="",
            contact_name=resident_name.strip(),
            contact_email=resident_email,
            contact_phone=resident_phone.strip(),
            city="Utrecht",
            mail_language=mail_language,
        )
        applicant.members.add(staff)
        application = services.application_create(
            round=round_,
            applicant=applicant,
            created_by=staff,
            current_step=steps.STEPS[0].slug,
        )
        assistance = ApplicationAssistance.objects.create(
            application=application,
            assisted_by=staff,
            assisted_by_label=staff_label(staff),
            resident_name=resident_name.strip(),
            resident_email=resident_email,
            resident_phone=resident_phone.strip(),
            route=HandoverRoute.EMAIL if resident_email else HandoverRoute.DIGID,
            started_at=at,
        )
        _log(
            assistance,
            LOG_START,
            staff,
            _("Aanvraag begonnen aan het wijkbureau, %(by)s.")
            % {"by": filled_in_by(assistance)},
            at,
        )
    return assistance


def assisted_step_saved(*, application, staff, step, at=None):
    """Log one step the staff member saved."""
    assistance = ApplicationAssistance.objects.get(application=application)
    title = getattr(steps.get(step), "title", step)
    _log(
        assistance,
        LOG_STEP,
        staff,
        _("Stap '%(step)s' %(by)s.") % {"step": title, "by": filled_in_by(assistance)},
        at or timezone.now(),
    )


def assisted_document_removed(*, application, staff, name, at=None):
    """Log a file the staff member removed from the concept."""
    assistance = ApplicationAssistance.objects.get(application=application)
    _log(
        assistance,
        LOG_DOCUMENT_REMOVED,
        staff,
        _("Bestand '%(name)s' verwijderd, %(by)s.")
        % {"name": name, "by": filled_in_by(assistance)},
        at or timezone.now(),
    )


def _locked_open(assistance, staff):
    """The assistance row, locked, still at the wijkbureau with ``staff``."""
    _require_assistant(staff)
    locked = (
        ApplicationAssistance.objects.select_for_update()
        .select_related("application")
        .get(pk=assistance.pk)
    )
    if locked.assisted_by_id != staff.pk:
        raise WorkflowError(_("Deze aanvraag is door een collega begonnen."))
    if locked.handed_over_at is not None or locked.application.status != Status.DRAFT:
        raise WorkflowError(
            _("Deze aanvraag is al overgedragen. U kunt hem niet meer wijzigen.")
        )
    return locked


def assisted_consent(*, assistance, staff, method, given_at, note, confirmed, at=None):
    """Record how and when the resident agreed to the help; ``confirmed`` must be True."""
    at = at or timezone.now()
    if not confirmed:
        raise WorkflowError(
            _("Bevestig dat de bewoner ermee instemt dat u de aanvraag invult.")
        )
    if method not in ConsentMethod.values:
        raise WorkflowError(_("Kies hoe de bewoner toestemming gaf."))
    if given_at is None or given_at > at:
        raise WorkflowError(_("De toestemming kan niet in de toekomst liggen."))
    with transaction.atomic():
        locked = _locked_open(assistance, staff)
        locked.consent_method = method
        locked.consent_given_at = given_at
        locked.consent_note = (note or "").strip()
        locked.consent_recorded_at = at
        locked.save(
            update_fields=[
                "consent_method",
                "consent_given_at",
                "consent_note",
                "consent_recorded_at",
            ]
        )
        reason = _(
            "Toestemming van de bewoner vastgelegd: %(method)s, op %(when)s. "
            "Vastgelegd door %(name)s (wijkbureau)."
        ) % {
            "method": ConsentMethod(method).label,
            "when": timezone.localtime(given_at).strftime("%d-%m-%Y %H:%M"),
            "name": locked.assisted_by_label,
        }
        if locked.consent_note:
            reason = f"{reason}\n{locked.consent_note}"
        _log(locked, LOG_CONSENT, staff, reason, at)
    return locked


# --- hand-over ---------------------------------------------------------------------------


def _require_consent(locked):
    if not locked.has_consent:
        raise WorkflowError(
            _(
                "Leg eerst vast hoe de bewoner toestemming gaf. Pas daarna kunt u de "
                "aanvraag overdragen."
            )
        )


def _hand_over(locked, staff, *, to_user=None, at):
    """Take the staff member off the applicant (and put the resident on). The
    resident resumes at "Controleren en versturen": they check it all and send it."""
    Application.objects.filter(pk=locked.application_id).update(
        current_step=steps.REVIEW
    )
    applicant = locked.application.applicant
    applicant.members.remove(staff)
    if to_user is not None:
        applicant.members.add(to_user)
    locked.handed_over_at = at
    locked.save(update_fields=["handed_over_at"])


def claim_url():
    """The full address of the page where a resident types the code; '' if the page
    is not in the URL configuration."""
    try:
        path = reverse("overnemen:claim")
    except NoReverseMatch:
        return ""
    return f"{settings.PUBLIC_SITE_URL.rstrip('/')}{path}"


def assisted_handover_email(*, assistance, staff, at=None):
    """Hand the concept to the resident's e-mail address: their account (made now when
    there is none) becomes the applicant's member, and they receive a note and the
    login link, which opens the concept."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = _locked_open(assistance, staff)
        _require_consent(locked)
        email = locked.resident_email
        if not settings.LOGIN_EMAIL_LINK:
            raise WorkflowError(
                _(
                    "Inloggen met een link per e-mail staat uit. Geef een "
                    "overdrachtscode mee voor DigiD."
                )
            )
        if not email:
            raise WorkflowError(
                _(
                    "Van deze bewoner is geen e-mailadres bekend. Geef een "
                    "overdrachtscode mee voor DigiD."
                )
            )
        resident = _resident_account(email)
        _hand_over(locked, staff, to_user=resident, at=at)
        _log(
            locked,
            LOG_HANDOVER,
            staff,
            _(
                "Overgedragen aan de bewoner via een inloglink per e-mail, door "
                "%(name)s (wijkbureau)."
            )
            % {"name": locked.assisted_by_label},
            at,
        )
        _send_handover_mail(locked, email)
    return locked


def _resident_account(email):
    """The account the concept goes to at ``email``: made now when there is none.
    Raises ``WorkflowError`` for an inactive or a staff account."""
    User = get_user_model()
    resident = User.objects.filter(email__iexact=email).first()
    if resident is not None and (not resident.is_active or resident.is_municipal_staff):
        raise WorkflowError(
            _(
                "Aan dit e-mailadres kan de aanvraag niet worden overgedragen. "
                "Geef een overdrachtscode mee voor DigiD."
            )
        )
    if resident is None:
        resident = User.objects.create_user(email)
        resident.groups.add(Group.objects.get_or_create(name=APPLICANT)[0])
    return resident


def _send_handover_mail(locked, email):
    """The note to the resident and, after the commit, the login link that opens the
    concept: both in the language the wijkbureau recorded for the resident."""
    application = locked.application
    language = application.applicant.mail_language or settings.LANGUAGE_CODE
    resume = reverse("subsidies:resume", args=[application.reference])
    context = {
        "application": application,
        "assistance": locked,
        "site_url": settings.PUBLIC_SITE_URL.rstrip("/"),
        "login_url": settings.PUBLIC_SITE_URL.rstrip("/") + reverse("accounts:login"),
    }
    with translation.override(language):
        queue_mail(
            to=[email],
            subject=render_to_string(
                "subsidies/assisted/emails/handover_subject.txt", context
            ),
            body=render_to_string("subsidies/assisted/emails/handover.txt", context),
            reference=application.reference,
        )

    def send_link():
        with translation.override(language):
            magic_links.request_login_link(email=email, next_url=resume)

    transaction.on_commit(send_link)


def _made_for_this_hand_over(user, applicant):
    """True when ``user`` looks like the account the hand-over made (the creation is
    not recorded): it never logged in, has no password and is a member of no other
    applicant. Only such an account is safe to change."""
    return (
        user.last_login is None
        and not user.has_usable_password()
        and not user.applicants.exclude(pk=applicant.pk).exists()
    )


def _stop_login_links(user, applicant):
    """The login link sent to ``user`` with the hand-over stops working.

    A login link (django-sesame) is signed over the account's password hash and its
    last login, so a fresh unusable password spends every open link of the account;
    it also ends the account's sessions. That is done only for an account made for
    this hand-over (``_made_for_this_hand_over``): it never logged in, so it has no
    sessions and no other links to lose. An account that existed before (logged in
    once, or a member of another applicant) is left alone: it is only taken off this
    applicant, so its password, sessions and other applications stay. Its link, if
    used within its 15 minutes, logs that person in to their own account, where this
    concept is no longer shown."""
    if _made_for_this_hand_over(user, applicant):
        user.set_unusable_password()
        user.save(update_fields=["password"])


def resident_took_over(assistance):
    """True when the resident has started on the concept since the hand-over: an
    account at the hand-over address (or another member of the applicant) logged in
    after it, somebody other than the staff member wrote to the log after it, or the
    concept was saved after it (the staff member cannot save it any more).

    A login counts only for an account whose only applicant is this concept's (as
    for an account made for this hand-over, ``_made_for_this_hand_over``): a typo
    that reached a neighbour with an account and applications of their own is still
    to be corrected after the neighbour logs in for those."""
    at = assistance.handed_over_at
    if at is None:
        return False
    application = assistance.application
    if application.updated_at is not None and application.updated_at > at:
        return True  # saved since: read from the row, no query
    applicant_id = application.applicant_id
    User = get_user_model()
    whose = Q(applicants=applicant_id) & ~Q(pk=assistance.assisted_by_id)
    email = magic_links.normalise_email(assistance.resident_email)
    if email:
        whose |= Q(email__iexact=email)
    elsewhere = Applicant.members.through.objects.filter(user=OuterRef("pk")).exclude(
        applicant=applicant_id
    )
    if (
        User.objects.filter(whose, last_login__gt=at)
        .exclude(Exists(elsewhere))
        .exists()
    ):
        return True
    return (
        TransitionLog.objects.filter(application=application, at__gt=at)
        .exclude(actor__isnull=True)
        .exclude(actor_id=assistance.assisted_by_id)
        .exists()
    )


def took_over_message():
    return _(
        "De bewoner is al ingelogd en werkt zelf aan deze aanvraag. Het "
        "e-mailadres kunt u niet meer aanpassen. Begin zo nodig een nieuwe "
        "aanvraag met hulp."
    )


def assisted_change_email(*, assistance, staff, email, mail_language="", at=None):
    """Correct the resident's e-mail address after a hand-over by login link: the
    concept goes to the account at the new address, the note and a new login link are
    sent there, and the old address loses the concept and its open links. What was
    filled in stays. Only the staff member who started it, while it is a concept.
    ``mail_language``, when given, is the language of the new e-mails."""
    at = at or timezone.now()
    _require_assistant(staff)
    email = magic_links.normalise_email(email)
    if not email:
        raise WorkflowError(_("Vul het juiste e-mailadres van de bewoner in."))
    if not settings.LOGIN_EMAIL_LINK:
        raise WorkflowError(
            _(
                "Inloggen met een link per e-mail staat uit. Maak een nieuwe "
                "overdrachtscode voor DigiD."
            )
        )
    User = get_user_model()
    with transaction.atomic():
        locked = (
            ApplicationAssistance.objects.select_for_update()
            .select_related("application__applicant")
            .get(pk=assistance.pk)
        )
        if locked.assisted_by_id != staff.pk:
            raise WorkflowError(_("Deze aanvraag is door een collega begonnen."))
        if locked.handed_over_at is None or locked.route != HandoverRoute.EMAIL:
            raise WorkflowError(
                _("Deze aanvraag is niet met een inloglink per e-mail overgedragen.")
            )
        if locked.application.status != Status.DRAFT:
            raise WorkflowError(
                _(
                    "Deze aanvraag is al verstuurd. U kunt het e-mailadres niet meer aanpassen."
                )
            )
        if resident_took_over(locked):
            raise WorkflowError(took_over_message())
        old = magic_links.normalise_email(locked.resident_email)
        if email == old:
            raise WorkflowError(
                _(
                    "Dit is hetzelfde e-mailadres. Vul het juiste e-mailadres van de "
                    "bewoner in."
                )
            )
        resident = _resident_account(email)
        applicant = locked.application.applicant
        previous = User.objects.filter(email__iexact=old).first() if old else None
        if previous is not None and previous.pk != resident.pk:
            applicant.members.remove(previous)
            _stop_login_links(previous, applicant)
        applicant.members.add(resident)
        changes = {}
        if magic_links.normalise_email(applicant.contact_email) == old:
            changes["contact_email"] = email
        if magic_links.normalise_email(applicant.contact_email_confirmed) == old:
            changes["contact_email_confirmed"] = ""
        if mail_language in dict(settings.LANGUAGES):
            changes["mail_language"] = mail_language
        if changes:
            Applicant.objects.filter(pk=applicant.pk).update(**changes)
            for name, value in changes.items():
                setattr(applicant, name, value)
        locked.resident_email = email
        locked.save(update_fields=["resident_email"])
        _log(
            locked,
            LOG_EMAIL_CHANGED,
            staff,
            _(
                "E-mailadres van de bewoner aangepast van %(old)s naar %(new)s, door "
                "%(name)s (wijkbureau). De inloglink is opnieuw verstuurd. De link "
                "naar het oude adres werkt niet meer."
            )
            % {"old": old or "-", "new": email, "name": locked.assisted_by_label},
            at,
        )
        _send_handover_mail(locked, email)
    return locked


def _code_hash(code, key=None):
    normalised = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return hmac.new(
        (key or settings.SECRET_KEY).encode(),
        f"assisted-handover:{normalised}".encode(),
        hashlib.sha256,
    ).hexdigest()


def _code_hashes(code):
    """The code's hash under the current key and each ``SECRET_KEY_FALLBACKS`` key,
    so a code printed before a key rotation still works."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_code_hash(code, key) for key in keys]


def _new_code():
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def code_made_at(assistance):
    """When the current hand-over code was made (it works ``HANDOVER_CODE_DAYS``
    days from then); None without a code."""
    if not assistance.handover_code_hash or assistance.handover_code_expires_at is None:
        return None
    return assistance.handover_code_expires_at - timedelta(days=HANDOVER_CODE_DAYS)


def code_just_made(assistance, staff, at=None):
    """True when ``staff`` made this concept's unused code less than
    ``CODE_REPEAT_SECONDS`` ago: a second request now is a double click."""
    made = code_made_at(assistance)
    if made is None or assistance.assisted_by_id != getattr(staff, "pk", None):
        return False
    if assistance.route != HandoverRoute.DIGID or assistance.handover_code_used_at:
        return False
    since = (at or timezone.now()) - made
    return timedelta(0) <= since < timedelta(seconds=CODE_REPEAT_SECONDS)


def _refuse_double_click(locked, staff, at):
    if code_just_made(locked, staff, at):
        raise CodeJustMade(
            _(
                "U heeft de code al gemaakt. Gebruik het blad dat al open staat. Of "
                "maak bewust een nieuwe code. Dan werkt de code op het eerste blad "
                "niet meer."
            )
        )


def assisted_handover_code(*, assistance, staff, at=None):
    """Hand the concept over with a one-time code for a resident who logs in with
    DigiD. Returns ``(assistance, code)``: the code is shown once, to print."""
    at = at or timezone.now()
    _require_assistant(staff)
    with transaction.atomic():
        # A double click: the first request handed it over a moment ago.
        _refuse_double_click(
            ApplicationAssistance.objects.select_for_update().get(pk=assistance.pk),
            staff,
            at,
        )
        locked = _locked_open(assistance, staff)
        _require_consent(locked)
        code = _new_code()
        locked.handover_code_hash = _code_hash(code)
        locked.handover_code_expires_at = at + timedelta(days=HANDOVER_CODE_DAYS)
        locked.route = HandoverRoute.DIGID
        locked.save(
            update_fields=["handover_code_hash", "handover_code_expires_at", "route"]
        )
        _hand_over(locked, staff, at=at)
        _log(
            locked,
            LOG_HANDOVER,
            staff,
            _(
                "Overgedragen aan de bewoner met een overdrachtscode voor DigiD "
                "(geldig tot %(until)s), door %(name)s (wijkbureau)."
            )
            % {
                "until": timezone.localtime(locked.handover_code_expires_at).strftime(
                    "%d-%m-%Y"
                ),
                "name": locked.assisted_by_label,
            },
            at,
        )
    return locked, code


def assisted_reissue_code(*, assistance, staff, deliberate=False, at=None):
    """A new printed code for a concept handed over with a code that was lost or
    expired: only the staff member who started it, while nobody claimed it and it is
    still a concept. The old code stops working. Returns ``(assistance, code)``.

    Within ``CODE_REPEAT_SECONDS`` of the last code it raises ``CodeJustMade`` (a
    double click), unless ``deliberate``: the staff member chose "Nieuwe code maken"
    knowing the sheet already printed stops working."""
    at = at or timezone.now()
    _require_assistant(staff)
    with transaction.atomic():
        locked = (
            ApplicationAssistance.objects.select_for_update()
            .select_related("application")
            .get(pk=assistance.pk)
        )
        if locked.assisted_by_id != staff.pk:
            raise WorkflowError(_("Deze aanvraag is door een collega begonnen."))
        if (
            locked.handed_over_at is None
            or locked.route != HandoverRoute.DIGID
            or not locked.handover_code_hash
        ):
            raise WorkflowError(
                _("Deze aanvraag is niet met een overdrachtscode overgedragen.")
            )
        if locked.handover_code_used_at is not None or locked.claimed_by_id:
            raise WorkflowError(_("De bewoner heeft deze aanvraag al overgenomen."))
        if locked.application.status != Status.DRAFT:
            raise WorkflowError(_("Deze aanvraag is geen concept meer."))
        if not deliberate:
            _refuse_double_click(locked, staff, at)
        code = _new_code()
        locked.handover_code_hash = _code_hash(code)
        locked.handover_code_expires_at = at + timedelta(days=HANDOVER_CODE_DAYS)
        locked.save(update_fields=["handover_code_hash", "handover_code_expires_at"])
        _log(
            locked,
            LOG_REISSUE,
            staff,
            _(
                "Nieuwe overdrachtscode voor DigiD gemaakt (geldig tot %(until)s); de "
                "vorige code werkt niet meer. Door %(name)s (wijkbureau)."
            )
            % {
                "until": timezone.localtime(locked.handover_code_expires_at).strftime(
                    "%d-%m-%Y"
                ),
                "name": locked.assisted_by_label,
            },
            at,
        )
    return locked, code


def has_digid(user):
    return user.identities.filter(provider=LoginIdentity.Provider.DIGID).exists()


def assisted_claim(*, code, user, ip="", at=None):
    """The resident, logged in with DigiD, types the printed code: the concept becomes
    theirs. Raises ``ClaimRefused`` with a Dutch message otherwise."""
    at = at or timezone.now()
    if not (user and user.is_authenticated and user.is_active):
        raise ClaimRefused(str(claim_messages.NOT_LOGGED_IN))
    if user.is_municipal_staff:
        raise ClaimRefused(str(claim_messages.STAFF))
    if not has_digid(user):
        raise ClaimRefused(str(claim_messages.NO_DIGID))
    if not ratelimit.attempt_allowed(
        "assisted-claim",
        ip=ip,
        identity=f"user:{user.pk}",
        ip_limit=CLAIM_LIMIT_PER_IP,
        identity_limit=CLAIM_LIMIT_PER_USER,
        window=CLAIM_LIMIT_WINDOW,
    ):
        raise ClaimRefused(str(claim_messages.TOO_OFTEN))
    wrong = ClaimRefused(str(claim_messages.WRONG))
    if not (code or "").strip():
        raise wrong
    with transaction.atomic():
        locked = (
            ApplicationAssistance.objects.select_for_update()
            .select_related("application__applicant")
            .filter(handover_code_hash__in=_code_hashes(code))
            .first()
        )
        if locked is None:
            raise wrong
        if locked.application.status != Status.DRAFT:
            raise ClaimRefused(str(claim_messages.NOT_A_CONCEPT))
        if locked.handover_code_used_at is not None:
            raise ClaimRefused(str(claim_messages.USED))
        if (
            locked.handover_code_expires_at is None
            or locked.handover_code_expires_at < at
        ):
            raise ClaimRefused(str(claim_messages.EXPIRED))
        locked.handover_code_used_at = at
        locked.claimed_by = user
        locked.save(update_fields=["handover_code_used_at", "claimed_by"])
        locked.application.applicant.members.add(user)
        application = locked.application
        TransitionLog.objects.create(
            application=application,
            reference=application.reference,
            transition=LOG_CLAIM,
            source=application.status,
            target=application.status,
            actor=user,
            actor_label=services.actor_label(user),
            at=at,
            reason=_(
                "De bewoner heeft de aanvraag van het wijkbureau overgenomen met de "
                "overdrachtscode (DigiD)."
            ),
        )
    ratelimit.give_back_attempt("assisted-claim", ip=ip, identity=f"user:{user.pk}")
    return locked
