"""Who applies: an organisation (stichting, vereniging) or an informal group.

An organisation is identified by its KvK number. An informal group acts through a
contact person (a natural person) or through a penvoerder: an organisation that holds
the money for the group. Users who may act for an applicant are its members.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn, postcode

from ..iban import mask_iban


def validate_iban(value):
    try:
        IBAN(value)
    except SchwiftyException as error:
        raise ValidationError(
            _(
                "Dit IBAN klopt niet. Controleer het nummer, bijvoorbeeld NL91 ABNA 0417 1643 00."
            ),
            code="invalid_iban",
        ) from error


def _ascii_digits(value, length):
    # str.isdigit alone also takes Arabic-Indic and superscript digits.
    return len(value) == length and value.isascii() and value.isdigit()


def validate_kvk(value):
    # A KvK number has no check digit since 2014: eight digits is the whole rule.
    if not _ascii_digits(value, 8):
        raise ValidationError(
            _("Een KvK-nummer bestaat uit 8 cijfers."), code="invalid_kvk"
        )


def validate_rsin(value):
    # An RSIN passes the same 11-proef as a BSN.
    if not (_ascii_digits(value, 9) and bsn.is_valid(value)):
        raise ValidationError(
            _("Dit RSIN klopt niet: het zijn 9 cijfers die de elfproef doorstaan.")
        )


def validate_postcode(value):
    try:
        postcode.validate(value)
    except StdnumError as error:
        raise ValidationError(
            _("Vul een Nederlandse postcode in, bijvoorbeeld 3511 AB.")
        ) from error


def normalise_iban(value):
    return "".join(value.split()).upper()


class ApplicantKind(models.TextChoices):
    ORGANISATION = "organisatie", _("Stichting of vereniging (met KvK-nummer)")
    INFORMAL_GROUP = "bewonersgroep", _("Bewonersgroep zonder rechtsvorm")


class Applicant(models.Model):
    kind = models.CharField(
        _("soort aanvrager"), max_length=16, choices=ApplicantKind.choices
    )
    name = models.CharField(_("naam organisatie of groep"), max_length=200)
    kvk_number = models.CharField(
        _("KvK-nummer"), max_length=8, blank=True, validators=[validate_kvk]
    )
    #: True when the KvK number came from an eHerkenning login (``accounts.oidc``),
    #: not typed: the form then shows it read-only, and the history import matches
    #: only on verified numbers.
    kvk_verified = models.BooleanField(
        _("KvK-nummer geverifieerd met eHerkenning"), default=False, editable=False
    )
    rsin = models.CharField(
        _("RSIN"), max_length=9, blank=True, validators=[validate_rsin]
    )
    contact_name = models.CharField(_("naam contactpersoon"), max_length=200)
    #: May be empty for a resident without e-mail (an assisted application handed
    #: over by DigiD, a DigiD login): letters then go by post to the address.
    contact_email = models.EmailField(_("e-mailadres contactpersoon"), blank=True)
    #: The contact address as confirmed by a link sent to it (``subsidies.
    #: contact_address``). It counts only while it is ``contact_email``: typing
    #: another address resets it.
    contact_email_confirmed = models.EmailField(
        _("bevestigd e-mailadres contactpersoon"), blank=True, editable=False
    )
    contact_phone = models.CharField(
        _("telefoonnummer contactpersoon"), max_length=32, blank=True
    )
    penvoerder_name = models.CharField(_("naam penvoerder"), max_length=200, blank=True)
    penvoerder_kvk = models.CharField(
        _("KvK-nummer penvoerder"), max_length=8, blank=True, validators=[validate_kvk]
    )
    street = models.CharField(_("straat en huisnummer"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[validate_postcode]
    )
    city = models.CharField(_("plaats"), max_length=100, blank=True, default="Utrecht")
    iban = models.CharField(
        _("IBAN"), max_length=34, blank=True, validators=[validate_iban]
    )
    account_holder = models.CharField(
        _("tenaamstelling rekening"), max_length=200, blank=True
    )
    # Wmebv, art. 2:8 Awb: a decision goes out electronically only to an applicant who
    # explicitly said so; an e-mail address alone is not enough.
    accepts_electronic_decisions = models.BooleanField(
        _("besluiten elektronisch ontvangen"),
        default=False,
        help_text=_(
            "De aanvrager heeft uitdrukkelijk gezegd besluiten per e-mail te willen "
            "ontvangen (artikel 2:8 Awb)."
        ),
    )
    #: The language of the gemeente's e-mails to this applicant (issue 18): the
    #: language a member last used on the portal when saving or sending, or the one
    #: the wijkbureau recorded. Letters (beschikkingen) stay Dutch.
    mail_language = models.CharField(
        _("taal van de e-mails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="nl",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="applicants",
        blank=True,
        verbose_name=_("gebruikers"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("aanvrager")
        verbose_name_plural = _("aanvragers")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.iban:
            self.iban = normalise_iban(self.iban)
        errors = {}
        if self.kind == ApplicantKind.ORGANISATION and not self.kvk_number:
            errors["kvk_number"] = _(
                "Vul het KvK-nummer van uw stichting of vereniging in."
            )
        if self.kind == ApplicantKind.INFORMAL_GROUP and self.kvk_number:
            errors["kvk_number"] = _(
                "Een bewonersgroep zonder rechtsvorm heeft geen KvK-nummer."
            )
        if self.penvoerder_name and not self.penvoerder_kvk:
            errors["penvoerder_kvk"] = _("Vul het KvK-nummer van de penvoerder in.")
        if errors:
            raise ValidationError(errors)

    def contact_email_optional(self):
        """True when this applicant may leave the contact e-mail empty (issue 18):
        every active member logged in with DigiD or eHerkenning (no login address),
        or the wijkbureau hands the application over by DigiD with a printed code.
        A login-link member has a login address, which step 1 starts with: for them
        it stays required. Without one, letters go by post to the address."""
        if (
            self.pk
            and self.applications.filter(
                assistance__route="digid"  # HandoverRoute.DIGID
            ).exists()
        ):
            return True
        active = [user for user in self.members.all() if user.is_active]
        return bool(active) and not any(user.email for user in active)

    @property
    def letters_by_post_only(self):
        """True when there is no contact e-mail: letters go by post."""
        return not (self.contact_email or "").strip()

    def is_complete(self):
        has_address = bool(self.street and self.postcode)
        return bool(
            self.name
            and self.contact_name
            and (self.contact_email or (has_address and self.contact_email_optional()))
            and self.iban
            and self.account_holder
        )

    def has_member(self, user):
        return self.members.filter(pk=user.pk).exists()

    def login_addresses(self):
        """The login addresses of the active members: a login link proved each.
        A member known only by DigiD or eHerkenning has none and is skipped."""
        return sorted(
            {
                user.email.strip().lower()
                for user in self.members.all()
                if user.is_active and user.email
            }
        )

    @property
    def contact_email_is_confirmed(self):
        """True when the contact address is the one a confirmation link proved."""
        typed = (self.contact_email or "").strip().lower()
        return bool(typed) and typed == self.contact_email_confirmed.strip().lower()

    def contact_email_needs_confirmation(self):
        """A contact address other than a login address, not (yet) confirmed."""
        typed = (self.contact_email or "").strip().lower()
        return bool(
            typed
            and typed not in self.login_addresses()
            and not self.contact_email_is_confirmed
        )

    def contact_link_pending(self):
        """True when an open confirmation link was sent to the contact address as it
        is now (not used, not expired): only then may the page say one was sent."""
        typed = (self.contact_email or "").strip().lower()
        return self.contact_confirmations.filter(
            email=typed, used_at=None, expires_at__gt=timezone.now()
        ).exists()

    def mail_recipients(self):
        """Where the gemeente's e-mails about this applicant go: the login addresses of
        its members, which a login link has proved, and the contact address once a
        link sent to it was confirmed by a member. Never an unconfirmed
        ``contact_email``: a resident typed it and nobody checked it, so a receipt or
        a beschikking sent there could reach a stranger (or make the gemeente a
        phishing relay). The login address keeps receiving as well: the account
        holder always learns what is decided on their application."""
        active = [user for user in self.members.all() if user.is_active]
        recipients = {user.email.strip().lower() for user in active if user.email}
        # A member who logged in with DigiD or eHerkenning has no login address:
        # the confirmed contact address is then the only one (a member confirmed it).
        if active and self.contact_email_is_confirmed:
            recipients.add(self.contact_email.strip().lower())
        return sorted(recipients)

    @property
    def is_natural_person(self):
        """True when the money goes to a person: such names are never published."""
        return self.kind == ApplicantKind.INFORMAL_GROUP and not self.penvoerder_name

    @property
    def masked_iban(self):
        return mask_iban(self.iban)


class ContactEmailConfirmation(models.Model):
    """A one-time link that confirms an applicant's contact address (``subsidies.
    contact_address``). Only a hash of its token is stored; it works once, for
    ``CONTACT_CONFIRMATION_HOURS`` hours, for a member of the applicant, and only
    while the contact address is still the one it was sent to."""

    applicant = models.ForeignKey(
        Applicant, on_delete=models.CASCADE, related_name="contact_confirmations"
    )
    email = models.EmailField(_("e-mailadres"))
    token_hash = models.CharField(max_length=64, unique=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)
    expires_at = models.DateTimeField(_("verloopt op"))
    used_at = models.DateTimeField(_("gebruikt op"), null=True, blank=True)

    class Meta:
        verbose_name = _("bevestiging contactadres")
        verbose_name_plural = _("bevestigingen contactadres")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} ({self.created_at:%Y-%m-%d %H:%M})"
