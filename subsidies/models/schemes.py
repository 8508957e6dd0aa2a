"""Schemes (regelingen), their question sets, and rounds (tijdvakken) with a ceiling.

A scheme holds its own rules: the amounts, the verdeelregel, the beslistermijn, how
many assessors look at an application, the impact bands and the letter texts. A round
is one period of a scheme with a subsidieplafond and, per wijk, a guaranteed floor and
a cap. A scheme with continuous intake (order of receipt) has one open round a year.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..local_text import LocalText, dutch, language_of
from ..money import format_euros
from .geo import Wijk

DEFAULT_IMPACT_BANDS = [
    {"min_score": 75, "percent": 100},
    {"min_score": 60, "percent": 80},
    {"min_score": 50, "percent": 60},
]


def default_impact_bands():
    return [dict(band) for band in DEFAULT_IMPACT_BANDS]


class AllocationMode(models.TextChoices):
    RANKING = "ranking", _("Rangorde op impactscore (tender)")
    RECEIPT = "receipt", _("Volgorde van binnenkomst")


class ShortfallRule(models.TextChoices):
    SKIP = "skip", _("Overslaan en doorgaan met de volgende")
    STOP = "stop", _("Stoppen bij de eerste die niet past")
    PARTIAL = "partial", _("Het restant toekennen en dan stoppen")


class SettlementRoute(models.TextChoices):
    """How a verlening becomes final (``beoordeling.letters.settlement_for``)."""

    LATER = "verlening", _("Verlenen; na de verantwoording vaststellen")
    DIRECT = "direct", _("Direct vaststellen in de beschikking")
    DIRECT_UP_TO = (
        "direct_tot_grens",
        _(
            "Direct vaststellen tot en met een grensbedrag; daarboven verlenen en na de "
            "verantwoording vaststellen"
        ),
    )
    #: VNG model ASV art. 15: granted, then fixed ex officio within 13 weeks after the
    #: activities without a report (a steekproef may ask one).
    EX_OFFICIO = (
        "ambtshalve",
        _("Verlenen; na de activiteiten ambtshalve vaststellen (met steekproef)"),
    )


class Scheme(models.Model):
    slug = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("naam"), max_length=128, unique=True)
    reference_prefix = models.CharField(
        _("voorvoegsel kenmerk"),
        max_length=4,
        unique=True,
        help_text=_("Bijvoorbeeld IF voor IF-2026-0042."),
    )
    purpose = models.TextField(_("doel"))
    for_whom = models.TextField(_("voor wie"))
    not_for = models.TextField(_("niet voor"), blank=True)
    #: The same texts in English for residents who chose English (issue 18). Empty
    #: means "not translated": the Dutch text is shown, marked ``lang="nl"``.
    name_en = models.CharField(_("naam (Engels)"), max_length=128, blank=True)
    purpose_en = models.TextField(_("doel (Engels)"), blank=True)
    for_whom_en = models.TextField(_("voor wie (Engels)"), blank=True)
    not_for_en = models.TextField(_("niet voor (Engels)"), blank=True)
    legal_basis = models.TextField(_("wettelijke grondslag"))
    regulation_title = models.CharField(
        _("titel van de nadere regel"),
        max_length=255,
        blank=True,
        help_text=_(
            "De volledige titel, zoals bekendgemaakt. Laat leeg als u die niet zeker "
            "weet: de beschikking noemt de nadere regel dan niet."
        ),
    )
    regulation_date = models.DateField(
        _("datum van de nadere regel"),
        null=True,
        blank=True,
        help_text=_(
            "De datum waarop de nadere regel is vastgesteld. Laat leeg als u die niet "
            "zeker weet: de beschikking noemt dan geen datum."
        ),
    )
    min_amount_cents = models.PositiveBigIntegerField(
        _("minimumbedrag (cent)"), default=0
    )
    max_amount_cents = models.PositiveBigIntegerField(
        _("maximumbedrag per aanvraag (cent)"), validators=[MinValueValidator(1)]
    )
    allocation_mode = models.CharField(
        _("verdeelregel"),
        max_length=16,
        choices=AllocationMode.choices,
        default=AllocationMode.RANKING,
    )
    decision_weeks = models.PositiveSmallIntegerField(
        _("beslistermijn (weken)"), default=8
    )
    extension_weeks = models.PositiveSmallIntegerField(
        _("verdagingstermijn (weken)"), default=4
    )
    supplement_days = models.PositiveSmallIntegerField(
        _("standaard hersteltermijn (dagen)"), default=14
    )
    assessors_required = models.PositiveSmallIntegerField(
        _("aantal beoordelaars per aanvraag"),
        default=2,
        validators=[MinValueValidator(1)],
    )
    impact_bands = models.JSONField(
        _("impactbanden"),
        default=default_impact_bands,
        help_text=_(
            "Per band de minimale impactscore en het percentage van het bedrag."
        ),
    )
    letter_obligations = models.TextField(_("verplichtingen (beschikking)"))
    settlement_route = models.CharField(
        _("vaststelling"),
        max_length=16,
        choices=SettlementRoute.choices,
        default=SettlementRoute.LATER,
        help_text=_(
            "Bepaalt het besluit in de beschikking: verlenen en later vaststellen, of "
            "meteen vaststellen."
        ),
    )
    direct_settlement_max_cents = models.PositiveBigIntegerField(
        _("direct vaststellen tot en met (cent)"),
        null=True,
        blank=True,
        help_text=_("Alleen bij 'direct vaststellen tot en met een grensbedrag'."),
    )
    letter_accountability = models.TextField(
        _("verantwoording bij latere vaststelling (beschikking)"),
        blank=True,
        help_text=_(
            "Wat de ontvanger na afloop stuurt en wanneer. Niet nodig als de regeling "
            "altijd direct vaststelt."
        ),
    )
    letter_accountability_direct = models.TextField(
        _(
            "bij directe vaststelling: wat de ontvanger bewaart of laat zien (beschikking)"
        ),
        blank=True,
        help_text=_("Niet nodig als de regeling nooit direct vaststelt."),
    )
    advance_percent = models.PositiveSmallIntegerField(
        _("voorschot bij latere vaststelling (% van de subsidie)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "0: geen voorschot, de subsidie wordt betaald na de vaststelling. Het "
            "voorschot wordt verdeeld over de periode van de activiteiten."
        ),
    )
    advance_part_months = models.PositiveSmallIntegerField(
        _("voorschot in delen van (maanden)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    letter_payment = models.TextField(
        _("betaling, aanvullend (beschikking)"),
        blank=True,
        help_text=_(
            "Bedragen en data van de betaling zet de beschikking er zelf in. Schrijf "
            "hier alleen wat daarnaast geldt."
        ),
    )
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("regeling")
        verbose_name_plural = _("regelingen")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        bands = self.impact_bands
        valid = isinstance(bands, list) and all(
            isinstance(b, dict)
            and isinstance(b.get("min_score"), int | float)
            and isinstance(b.get("percent"), int | float)
            and 0 <= b["min_score"] <= 100
            and 0 < b["percent"] <= 100
            for b in bands
        )
        if not valid:
            raise ValidationError(
                {
                    "impact_bands": _(
                        "Geef per band een minimale score (0-100) en een percentage (1-100)."
                    )
                }
            )
        if self.min_amount_cents > self.max_amount_cents:
            raise ValidationError(
                {"min_amount_cents": _("Het minimum is hoger dan het maximum.")}
            )
        errors = {}
        route = self.settlement_route
        if (
            route == SettlementRoute.DIRECT_UP_TO
            and self.direct_settlement_max_cents is None
        ):
            errors["direct_settlement_max_cents"] = _(
                "Vul het grensbedrag in tot en met welk bedrag u direct vaststelt."
            )
        if route != SettlementRoute.DIRECT and not self.letter_accountability.strip():
            errors["letter_accountability"] = _(
                "Schrijf wat de ontvanger na afloop moet sturen voor de vaststelling."
            )
        if (
            route not in (SettlementRoute.LATER, SettlementRoute.EX_OFFICIO)
            and not self.letter_accountability_direct.strip()
        ):
            errors["letter_accountability_direct"] = _(
                "Schrijf wat de ontvanger bij een directe vaststelling moet bewaren of "
                "laten zien."
            )
        if errors:
            raise ValidationError(errors)

    #: The texts a resident reads that have an English version (``<field>_en``).
    TRANSLATED_FIELDS = ("name", "purpose", "for_whom", "not_for")

    def text_for(self, field, language=None):
        """The scheme's ``field`` in ``language`` (default: the active one).

        In Dutch always the Dutch text. In English the English text when an editor
        filled it in, else the Dutch text marked as Dutch: a ``LocalText`` that renders
        as ``<span lang="nl">`` in HTML and as the bare text in a mail.
        """
        if field not in self.TRANSLATED_FIELDS:
            raise ValueError(f"{field!r} has no English version")
        language = language_of(language)
        if language != "nl":
            english = (getattr(self, f"{field}_en") or "").strip()
            if english:
                return LocalText(english, "en", marked=language != "en")
        return dutch(getattr(self, field), language)

    @property
    def display_name(self):
        """The name in the active language (``text_for("name")``)."""
        return self.text_for("name")

    def current_question_set(self):
        return self.question_sets.order_by("-version").first()

    def open_round(self, at=None):
        return self.rounds.open(at).order_by("closes_at").first()


class QuestionSet(models.Model):
    """A version of a scheme's own questions; answers keep the version they answered.

    ``questions`` is a list of ``{"key", "label", "kind", "required", "choices", "help"}``
    with ``kind`` one of text, textarea, yesno, number, choice, multichoice. A version
    that has been answered is never changed: a change makes a new version.
    """

    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, related_name="question_sets"
    )
    version = models.PositiveSmallIntegerField(_("versie"))
    questions = models.JSONField(_("vragen"), default=list)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("vragenset")
        verbose_name_plural = _("vragensets")
        ordering = ["scheme", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "version"], name="unique_questionset_version"
            )
        ]

    def __str__(self):
        return f"{self.scheme} v{self.version}"

    def question(self, key):
        return next((q for q in self.questions if q.get("key") == key), None)


class CeilingExceeded(Exception):
    """Committed money would exceed the round's ceiling; the message is in Dutch."""


#: The fields of a round that make up the draft of its verdeelregel (version 1).
RULE_DRAFT_FIELDS = (
    "on_shortfall",
    "min_partial_cents",
    "lottery_seed",
    "published_rule",
)


class RoundQuerySet(models.QuerySet):
    def open(self, at=None):
        at = at or timezone.now()
        return self.filter(opens_at__lte=at, closes_at__gt=at)


class Round(models.Model):
    scheme = models.ForeignKey(
        Scheme,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("regeling"),
    )
    name = models.CharField(_("naam"), max_length=128)
    opens_at = models.DateTimeField(_("opent op"))
    closes_at = models.DateTimeField(_("sluit op"))
    ceiling_cents = models.PositiveBigIntegerField(_("subsidieplafond (cent)"))
    on_shortfall = models.CharField(
        _("als een aanvraag niet meer past"),
        max_length=16,
        choices=ShortfallRule.choices,
        default=ShortfallRule.SKIP,
    )
    min_partial_cents = models.PositiveBigIntegerField(
        _("minimaal deelbedrag (cent)"), default=0
    )
    four_eyes_threshold_cents = models.PositiveBigIntegerField(
        _("vier-ogengrens (cent)"),
        null=True,
        blank=True,
        help_text=_(
            "Boven dit bedrag keurt een tweede besluitvormer de toekenning goed."
        ),
    )
    #: Part of the ceiling kept out of the allocation runs for well-founded bezwaren
    #: (``beoordeling.objections``); what the bezwaren do not use stays unspent.
    objection_reserve_cents = models.PositiveBigIntegerField(
        _("reserve voor bezwaren (cent)"),
        default=0,
        help_text=_(
            "Dit deel van het plafond verdeelt de verdeling niet: het is voor "
            "bezwaren die gegrond blijken."
        ),
    )
    lottery_seed = models.CharField(_("lotingszaad"), max_length=64, blank=True)
    published_rule = models.TextField(_("gepubliceerde verdeelregel"), blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("ronde")
        verbose_name_plural = _("rondes")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="round_closes_after_open",
            )
        ]

    def __str__(self):
        return f"{self.scheme.name}: {self.name}"

    def save(self, *args, **kwargs):
        """Every change of a stored round passes the round rules and the ceiling guard
        (under the round's row lock, so no decision slips in between)."""
        if self.pk is None:
            return super().save(*args, **kwargs)
        with transaction.atomic():
            errors = self.change_errors(lock=True)
            if errors:
                raise ValidationError(errors)
            super().save(*args, **kwargs)
            self.check_ceiling()

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": _("De sluitingsdatum ligt voor de openingsdatum.")}
            )
        errors = self.change_errors()
        if (
            self.ceiling_cents is not None
            and self.objection_reserve_cents is not None
            and self.objection_reserve_cents > self.ceiling_cents
        ):
            errors.setdefault(
                "objection_reserve_cents",
                _(
                    "De reserve voor bezwaren kan niet hoger zijn dan het "
                    "subsidieplafond (%(ceiling)s)."
                )
                % {"ceiling": format_euros(self.ceiling_cents)},
            )
        if errors:
            raise ValidationError(errors)

    def is_open(self, at=None):
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at

    def committed_cents(self):
        """The money committed against this round's ceiling
        (``ApplicationQuerySet.committed_cents``, the one place it is summed)."""
        return self.applications.committed_cents()

    def check_ceiling(self):
        """Raise ``CeilingExceeded`` when the committed money is above the stored ceiling.

        Call it at the end of the transaction that changed the money or the ceiling,
        while holding the round's row lock (``subsidies.rounds.ceiling_guard``).
        """
        ceiling = Round.objects.values_list("ceiling_cents", flat=True).get(pk=self.pk)
        committed = self.committed_cents()
        if committed > ceiling:
            raise CeilingExceeded(
                _(
                    "Dit kan niet: dan is er %(committed)s vastgelegd, meer dan het "
                    "subsidieplafond van %(ceiling)s."
                )
                % {
                    "committed": format_euros(committed),
                    "ceiling": format_euros(ceiling),
                }
            )

    def has_published_rule(self):
        return self.pk is not None and self.rules.exists()

    def change_errors(self, *, at=None, lock=False):
        """What may not change in a stored round, per field (empty: the change may).

        - The scheme is fixed once the round has applications.
        - The ceiling cannot be lowered below the money already committed.
        - Once the round has opened, its opening moment is fixed; its closing moment
          may only move later, and only while the round is still open: the applicants
          relied on the published period, and a tender is judged on one deadline.
        - The verdeelregel's draft fields are fixed once a version is published: a
          deviation is a new, motivated version (``subsidies.rounds``).
        - So is the reserve for bezwaren: it is published with the rule (the scheme
          page shows it next to the ceiling) and decides what the runs may spend; no
          rule version carries it, so it is set before the first one is published.
        """
        if self.pk is None:
            return {}
        at = at or timezone.now()
        stored = Round.objects.all()
        if lock:
            stored = stored.select_for_update(of=("self",))
        old = stored.filter(pk=self.pk).first()
        if old is None:
            return {}
        errors = {}
        if self.scheme_id != old.scheme_id and self.applications.exists():
            errors["scheme"] = _(
                "De regeling van een ronde met aanvragen kan niet meer veranderen."
            )
        if self.ceiling_cents is not None and self.ceiling_cents < old.ceiling_cents:
            committed = self.committed_cents()
            if self.ceiling_cents < committed:
                errors["ceiling_cents"] = _(
                    "Het plafond kan niet lager worden dan wat al is vastgelegd "
                    "(%(committed)s)."
                ) % {"committed": format_euros(committed)}
        if old.opens_at <= at:
            if self.opens_at != old.opens_at:
                errors["opens_at"] = _(
                    "De ronde is al open; de openingsdatum ligt vast."
                )
            if self.closes_at != old.closes_at:
                if old.closes_at <= at:
                    errors["closes_at"] = _(
                        "De ronde is gesloten; de sluitingsdatum ligt vast."
                    )
                elif self.closes_at < old.closes_at:
                    errors["closes_at"] = _(
                        "Een open ronde kan niet eerder sluiten dan is bekendgemaakt."
                    )
        if old.rules.exists():
            for name in RULE_DRAFT_FIELDS:
                if getattr(self, name) != getattr(old, name):
                    errors[name] = _(
                        "De verdeelregel is bekendgemaakt. Een afwijking kan alleen "
                        "met een nieuwe, gemotiveerde versie van de verdeelregel."
                    )
            if self.objection_reserve_cents != old.objection_reserve_cents:
                errors["objection_reserve_cents"] = _(
                    "De verdeelregel is bekendgemaakt. De reserve voor bezwaren hoort "
                    "daarbij en kan niet meer veranderen."
                )
        return errors


class RoundWijkLimit(models.Model):
    """The wijk guarantee (floor) and the cap of one wijk in one round."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="wijk_limits"
    )
    wijk = models.ForeignKey(
        Wijk, on_delete=models.PROTECT, related_name="+", verbose_name=_("wijk")
    )
    floor_cents = models.PositiveBigIntegerField(
        _("gegarandeerd minimum (cent)"), default=0
    )
    cap_cents = models.PositiveBigIntegerField(
        _("maximum (cent)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("wijkgrens in een ronde")
        verbose_name_plural = _("wijkgrenzen in een ronde")
        ordering = ["round", "wijk__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "wijk"], name="unique_wijk_limit_per_round"
            ),
            models.CheckConstraint(
                condition=models.Q(cap_cents__isnull=True)
                | models.Q(cap_cents__gte=models.F("floor_cents")),
                name="wijk_cap_not_below_floor",
            ),
        ]

    def __str__(self):
        return f"{self.round} / {self.wijk}"

    def clean(self):
        if self.round_id is not None and self.round.has_published_rule():
            raise ValidationError(
                _(
                    "De verdeelregel van deze ronde is bekendgemaakt. Een andere "
                    "garantie of een ander maximum kan alleen met een nieuwe, "
                    "gemotiveerde versie van de verdeelregel."
                )
            )
