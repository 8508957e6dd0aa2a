"""Users of the portal: residents applying, and the gemeente's staff.

A user is known by an e-mail address or by a verified identity; there is no username.
Residents log in with DigiD (a person), eHerkenning (an organisation) or, where the
gemeente offers it, a magic link, and have no usable password; staff log in to the
Wagtail admin with the gemeente's sign-on or a password (and, in production, a second
factor). A user who logged in only with DigiD or eHerkenning has no e-mail address
(``email`` is empty); their ``LoginIdentity`` ties the account to the person or the
organisation. What a user may do follows from the groups in ``accounts.roles``.

Who counts as staff is decided in one place, ``User.is_municipal_staff``: the second
factor, the short staff session and the refusal of login links all follow it.
"""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal.shared.writeonce import WriteOnceModel

from .roles import ACCESS_ADMIN


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        return self._save_new(user, password)

    def _save_new(self, user, password=None):
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_identified_user(self, **extra_fields):
        """A resident known only by a DigiD or eHerkenning login: no e-mail address,
        no password. The caller adds the ``LoginIdentity`` in the same transaction."""
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._save_new(self.model(email=None, **extra_fields))

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractUser):
    username = None
    #: Empty (NULL, so unique still holds) for a resident known only by DigiD or
    #: eHerkenning: mail then goes to the applicant's confirmed contact address.
    email = models.EmailField(_("e-mailadres"), unique=True, null=True, blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=32, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email or self.identity_label()

    def identity_label(self):
        """How the portal names an account without an e-mail address."""
        identity = self.identities.order_by("pk").first() if self.pk else None
        if identity is None:
            return _("gebruiker %(pk)s") % {"pk": self.pk}
        return identity.label()

    @cached_property
    def is_municipal_staff(self):
        """True for anyone who works in an admin: the staff rules apply to them.

        ``is_staff`` alone is not enough: Wagtail admits everyone with the permission
        ``wagtailadmin.access_admin`` (the groups Beoordelaar, Besluitvormer and
        Beheerder), and its user form never sets ``is_staff``. Cached on the instance,
        like Django's own permission cache: ``request.user`` is loaded anew for every
        request, and the permission lookup is shared with Wagtail's own checks.
        """
        return self.is_staff or self.is_superuser or self.has_perm(ACCESS_ADMIN)

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower() or None
        super().save(*args, **kwargs)


class LoginIdentity(models.Model):
    """A verified identity a user logs in with, through the OpenID Connect broker.

    ``subject_hash`` is a keyed hash (HMAC-SHA256 with ``settings.BSN_HASH_KEY``) of
    what the provider identifies: the BSN for DigiD, the KvK number with the branch and
    the acting person's pseudonym for eHerkenning, the ``sub`` for staff sign-on. The
    BSN itself is never stored, shown, logged or exported (docs/security.md): the hash
    only finds the same person again. The KvK number is an organisation's public number
    and is kept, as verified by eHerkenning.
    """

    class Provider(models.TextChoices):
        DIGID = "digid", _("DigiD")
        EHERKENNING = "eherkenning", _("eHerkenning")
        STAFF = "medewerker", _("Inloggen gemeente")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="identities")
    provider = models.CharField(_("inlogmiddel"), max_length=16, choices=Provider)
    subject_hash = models.CharField(_("sleutel (versleuteld)"), max_length=64)
    kvk_number = models.CharField(
        _("KvK-nummer (geverifieerd)"), max_length=8, blank=True
    )
    branch_number = models.CharField(_("vestigingsnummer"), max_length=12, blank=True)
    level_of_assurance = models.CharField(
        _("betrouwbaarheidsniveau"), max_length=32, blank=True
    )
    created_at = models.DateTimeField(_("gekoppeld op"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("laatst ingelogd"), null=True, blank=True)

    class Meta:
        verbose_name = _("inlogidentiteit")
        verbose_name_plural = _("inlogidentiteiten")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject_hash"], name="one_account_per_identity"
            )
        ]

    def __str__(self):
        return self.label()

    def label(self):
        if self.provider == self.Provider.EHERKENNING:
            return _("eHerkenning, KvK %(kvk)s") % {"kvk": self.kvk_number}
        return str(self.get_provider_display())


class TwoFactorInvitation(models.Model):
    """A one-time invitation to set up the second factor, sent to a staff member's
    own address (``accounts.enrolment``). Only a hash of its token is stored."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="two_factor_invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reden"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodiging voor de tweede stap")
        verbose_name_plural = _("uitnodigingen voor de tweede stap")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"


class SecurityEvent(WriteOnceModel):
    """A staff account's security event kept for the Beheerder to read (BIO): a
    password reset asked for, completed, or a reset link refused.

    Written by ``accounts.audit`` next to the audit log line; shown on the screen
    "Tweede stap medewerkers". Rows are never changed or deleted (``WriteOnceModel``).
    """

    class Kind(models.TextChoices):
        RESET_REQUESTED = "reset-gevraagd", _("Wachtwoordherstel aangevraagd")
        RESET_COMPLETED = "reset-voltooid", _("Nieuw wachtwoord ingesteld")
        RESET_REFUSED = "reset-geweigerd", _("Herstellink geweigerd")

    kind = models.CharField(_("gebeurtenis"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("medewerker"),
    )
    email = models.CharField(_("e-mailadres"), max_length=254, blank=True)
    ip = models.CharField(_("IP-adres"), max_length=45, blank=True)
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("beveiligingsgebeurtenis")
        verbose_name_plural = _("beveiligingsgebeurtenissen")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.email} ({self.at:%Y-%m-%d %H:%M})"
