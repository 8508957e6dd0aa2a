"""Who applies: an organisation (stichting, vereniging) or an informal group.

An organisation is identified by its KvK number. An informal group acts through a
contact person (a natural person) or through a penvoerder: an organisation that holds
the money for the group. Users who may act for an applicant are its members.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
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
    rsin = models.CharField(
        _("RSIN"), max_length=9, blank=True, validators=[validate_rsin]
    )
    contact_name = models.CharField(_("naam contactpersoon"), max_length=200)
    contact_email = models.EmailField(_("e-mailadres contactpersoon"))
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

    def is_complete(self):
        return bool(
            self.name
            and self.contact_name
            and self.contact_email
            and self.iban
            and self.account_holder
        )

    def has_member(self, user):
        return self.members.filter(pk=user.pk).exists()

    def mail_recipients(self):
        """Where the gemeente's e-mails about this applicant go: the login addresses of
        its members, which a login link has proved. Never ``contact_email`` on its
        own: a resident typed it and nobody checked it, so a receipt or a beschikking
        sent there could reach a stranger (or make the gemeente a phishing relay)."""
        return sorted(
            {
                user.email.strip().lower()
                for user in self.members.all()
                if user.is_active and user.email
            }
        )

    @property
    def is_natural_person(self):
        """True when the money goes to a person: such names are never published."""
        return self.kind == ApplicantKind.INFORMAL_GROUP and not self.penvoerder_name

    @property
    def masked_iban(self):
        return mask_iban(self.iban)
