"""The published verdeelregel of a round, as versioned records.

Awb 4:26 and 4:27: the way a ceiling is distributed is published with the ceiling,
before the period starts. A ``AllocationRule`` is one published version of that rule
for one round: the mode (ranking or order of receipt), the shortfall rule, the
minimum partial amount, the lottery seed, and per wijk the guaranteed floor and the
cap. It is the only input of an allocation run besides the applications and the
ceiling.

- A version is never changed or deleted once stored (``ImmutableRuleError``).
- Version 1 is made from the round's settings and wijk limits (the draft) and has no
  motivation; the round's draft can no longer be edited once version 1 exists.
- A later version is a deviation: it needs a motivation, is published like the first,
  and is refused once the round has closed.
- The version in force at a moment is the newest one published at or before it.
- The version that decides an application is the one in force when it was submitted
  (``rule_for_submission``, Awb 4:27 lid 2): a later version has no effect on an
  application submitted before its publication.

The services in ``subsidies.rounds`` write the versions; this module only stores them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.shared.writeonce import WriteOnceError, WriteOnceModel, WriteOnceQuerySet

from .schemes import AllocationMode, Round, ShortfallRule

#: A published verdeelregel cannot be changed or deleted: the one write-once exception
#: (``portal.shared.writeonce``), under the name callers know.
ImmutableRuleError = WriteOnceError


def rule_for_submission(rules, submitted_at):
    """The version of ``rules`` (one round's published versions) that decides an
    application submitted at ``submitted_at``: the newest published at or before it.
    An application submitted before the first version (which should not happen: it is
    published before the round opens) is decided by the first. None without rules."""
    rules = sorted(rules, key=lambda rule: rule.version)
    if not rules:
        return None
    if submitted_at is None:
        return rules[-1]
    earlier = [rule for rule in rules if rule.published_at <= submitted_at]
    return earlier[-1] if earlier else rules[0]


class AllocationRuleQuerySet(WriteOnceQuerySet):
    def in_force(self, at):
        return self.filter(published_at__lte=at).order_by("-version")


class AllocationRule(WriteOnceModel):
    round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        related_name="rules",
        verbose_name=_("ronde"),
    )
    version = models.PositiveSmallIntegerField(_("versie"))
    published_at = models.DateTimeField(_("bekendgemaakt op"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bekendgemaakt door"),
    )
    mode = models.CharField(
        _("verdeelwijze"), max_length=16, choices=AllocationMode.choices
    )
    on_shortfall = models.CharField(
        _("als een aanvraag niet meer past"),
        max_length=16,
        choices=ShortfallRule.choices,
    )
    min_partial_cents = models.PositiveBigIntegerField(
        _("minimaal deelbedrag (cent)"), default=0
    )
    lottery_seed = models.CharField(_("lotingszaad"), max_length=64, blank=True)
    #: Per wijk: ``{"wijk_id", "code", "name", "floor_cents", "cap_cents"}``, in the
    #: order of the wijken; a wijk that is not listed has no floor and no cap.
    wijk_limits = models.JSONField(_("garantie en maximum per wijk"), default=list)
    text = models.TextField(_("toelichting bij de verdeelregel"), blank=True)
    motivation = models.TextField(_("motivering van de afwijking"), blank=True)

    objects = AllocationRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("verdeelregel")
        verbose_name_plural = _("verdeelregels")
        ordering = ["round", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "version"], name="unique_allocation_rule_version"
            ),
            models.CheckConstraint(
                condition=models.Q(version=1) | ~models.Q(motivation=""),
                name="allocation_rule_deviation_motivated",
            ),
        ]

    def __str__(self):
        return f"{self.round} – verdeelregel versie {self.version}"

    def limits_by_wijk_id(self):
        """``{wijk_id: (floor_cents, cap_cents)}`` for the wijken the rule names."""
        return {
            row["wijk_id"]: (row["floor_cents"], row["cap_cents"])
            for row in self.wijk_limits
        }
