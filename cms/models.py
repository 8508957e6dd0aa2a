"""Public pages: the home page, one page per scheme, content pages and the FAQ.

A scheme page is linked to a ``subsidies.Scheme`` and shows its live facts (the open
round, its closing date, the money still available) next to the text editors write.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from .blocks import BodyBlock


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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["scheme_pages"] = (
            SchemePage.objects.live().child_of(self).select_related("scheme")
        )
        return context


class SchemePage(Page):
    scheme = models.OneToOneField(
        "subsidies.Scheme",
        on_delete=models.PROTECT,
        related_name="page",
        verbose_name=_("regeling"),
    )
    intro = models.TextField(_("inleiding"), max_length=600)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("inhoud"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("scheme"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("regelingpagina")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["open_round"] = self.scheme.open_round()
        return context


class ContentPage(Page):
    intro = models.TextField(_("inleiding"), blank=True, max_length=600)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("inhoud"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]

    class Meta:
        verbose_name = _("inhoudspagina")
