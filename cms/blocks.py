"""StreamField blocks for the public pages, rendered with Utrecht component classes."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titel"))
    text = blocks.RichTextBlock(
        label=_("tekst"), features=["bold", "italic", "link", "ul"]
    )

    class Meta:
        template = "blocks/callout.html"
        icon = "help"
        label = _("Uitgelicht")


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("vraag"))
    answer = blocks.RichTextBlock(
        label=_("antwoord"), features=["bold", "italic", "link", "ul", "ol"]
    )

    class Meta:
        template = "blocks/faq_item.html"
        icon = "help"
        label = _("Vraag en antwoord")


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("tussenkop"), template="blocks/heading.html", icon="title"
    )
    paragraph = blocks.RichTextBlock(
        label=_("tekst"),
        features=["bold", "italic", "link", "ul", "ol"],
        template="blocks/paragraph.html",
    )
    callout = CalloutBlock()
    faq = FaqItemBlock()
