"""Where initiatives happen: the ten wijken of Utrecht and their buurten.

A wijk carries a fair-share weight (the share of the city's need, in percent) used by
the spreiding over de stad, and whether it is an aandachtswijk (Thuis in je Wijk).
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Wijk(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("naam"), max_length=64, unique=True)
    fair_share_weight = models.DecimalField(
        _("eerlijk aandeel (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Aandeel van de stedelijke behoefte, in procenten."),
    )
    is_aandachtswijk = models.BooleanField(_("aandachtswijk"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Buurt(models.Model):
    wijk = models.ForeignKey(
        Wijk, on_delete=models.PROTECT, related_name="buurten", verbose_name=_("wijk")
    )
    code = models.CharField(_("CBS-buurtcode"), max_length=16, blank=True)
    name = models.CharField(_("naam"), max_length=96)

    class Meta:
        verbose_name = _("buurt")
        verbose_name_plural = _("buurten")
        ordering = ["wijk__sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["wijk", "name"], name="unique_buurt_per_wijk"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.wijk.name})"


class Choice(models.Model):
    """An admin-editable choice for the application form."""

    slug = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("naam"), max_length=128)
    active = models.BooleanField(_("actief"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class TargetGroup(Choice):
    class Meta(Choice.Meta):
        verbose_name = _("doelgroep")
        verbose_name_plural = _("doelgroepen")


class Theme(Choice):
    class Meta(Choice.Meta):
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
