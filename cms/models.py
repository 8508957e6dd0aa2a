"""Public pages: the home page, one page per scheme, content pages and the FAQ.

A scheme page is linked to a ``subsidies.Scheme``. Editors write its introduction and
any further text; the facts that the portal enforces come live from the database:
through ``subsidies.selectors`` who it is for and not for, the amounts, how impact
decides the amount, the verdeelregel with the wijk guarantee, the open round with its
closing date and the money still available, and the decision period; through
``beoordeling.assessment.selectors`` the active randvoorwaarden that the assessors apply
(edited under "Beoordeling instellen"). So the page can never promise something the
form or the assessment refuses.

``HelpSettings`` holds the contact details of the "Hulp nodig?" block that appears on
every page and every step of the form.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page

from beoordeling.assessment.selectors import public_preconditions
from subsidies.selectors import scheme_public_facts

from .blocks import BodyBlock
from .caching import setting_for_site, site_for_request


class HomePage(Page):
    intro = RichTextField(
        _("inleiding"), blank=True, features=["bold", "italic", "link"]
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("inhoud"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["cms.SchemePage", "cms.ContentPage"]
    max_count = 1

    class Meta:
        verbose_name = _("startpagina")

    def route(self, request, path_components):
        """Wagtail routes from the home page in the visitor's language; a page that has
        no translation yet is served from the Dutch tree rather than answering 404."""
        try:
            return super().route(request, path_components)
        except Http404:
            default = Locale.get_default()
            if self.locale_id == default.pk:
                raise
            original = self.get_translation_or_none(default)
            if original is None:
                raise
            return original.specific.route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        pages = (
            SchemePage.objects.live()
            .child_of(self)
            .select_related("scheme")
            .order_by("path")
        )
        context["schemes"] = [
            (page, scheme_public_facts(page.scheme)) for page in pages
        ]
        return context


class SchemePage(Page):
    # One page per scheme per language: the English page is a Wagtail translation of
    # the Dutch one (same scheme, locale "en"), checked in ``clean`` since the locale
    # lives on Wagtail's own page table (a database constraint cannot span both).
    scheme = models.ForeignKey(
        "subsidies.Scheme",
        on_delete=models.PROTECT,
        related_name="pages",
        verbose_name=_("regeling"),
    )
    intro = models.TextField(_("inleiding"), max_length=600)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("inhoud"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("scheme"),
        FieldPanel("intro"),
        HelpPanel(
            content=_(
                "De randvoorwaarden op deze pagina komen uit ‘Beoordeling instellen’ "
                "→ ‘Randvoorwaarden’: dezelfde voorwaarden die de beoordelaars "
                "gebruiken. Wijzig ze daar."
            ),
            heading=_("Randvoorwaarden"),
        ),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("regelingpagina")

    def clean(self):
        super().clean()
        if self.scheme_id is None or self.locale_id is None:
            return
        others = SchemePage.objects.filter(
            scheme_id=self.scheme_id, locale_id=self.locale_id
        ).exclude(pk=self.pk)
        if others.exists():
            raise ValidationError(
                {"scheme": _("Deze regeling heeft in deze taal al een pagina.")}
            )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        facts = scheme_public_facts(self.scheme)
        context["facts"] = facts
        context["open_round"] = facts.open_round
        context["preconditions"] = public_preconditions(self.scheme)
        return context


class ContentPage(Page):
    intro = models.TextField(_("inleiding"), blank=True, max_length=600)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("inhoud"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]

    class Meta:
        verbose_name = _("inhoudspagina")


@register_setting(icon="help")
class HelpSettings(BaseSiteSetting):
    """Who helps residents with an application; shown on every page and form step."""

    phone = models.CharField(_("telefoonnummer"), max_length=32, default="14 030")
    phone_hours = models.CharField(
        _("bereikbaar"),
        max_length=120,
        # The defaults are msgids too: shown in English while an editor has not
        # changed them (templates/includes/help.html translates the stored text).
        default=gettext_noop("maandag tot en met vrijdag van 8.30 tot 17.00 uur"),
    )
    wijkbureau_text = models.TextField(
        _("over het wijkbureau"),
        default=gettext_noop(
            "Het wijkbureau in uw wijk helpt u met uw aanvraag. Bel en vraag naar het "
            "wijkbureau van uw wijk."
        ),
    )
    social_broker_text = models.TextField(
        _("over de sociaal makelaar"),
        default=gettext_noop(
            "De sociaal makelaar in uw buurt denkt gratis met u mee over uw plan en "
            "helpt u op weg."
        ),
    )
    social_broker_url = models.URLField(
        _("website sociaal makelaars"), blank=True, default=""
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("phone_hours")], heading=_("Bellen")
        ),
        FieldPanel("wijkbureau_text"),
        FieldPanel("social_broker_text"),
        FieldPanel("social_broker_url"),
    ]

    class Meta:
        verbose_name = _("hulp bij aanvragen")

    @classmethod
    def for_request(cls, request):
        """Wagtail's ``for_request``, with the site and the setting from the cache
        (``cms.caching``): no query on a page after the first."""
        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name):
            return getattr(request, attr_name)
        site = site_for_request(request)
        if site is None:
            return super().for_request(request)
        instance = setting_for_site(cls, site)
        instance._request = request
        setattr(request, attr_name, instance)
        return instance
