"""StreamField blocks for the public pages, rendered with Utrecht component classes.

Editors build pages from these blocks in the Wagtail admin: headings, text, a
highlighted box, questions with answers (FAQ), numbered steps and a button. The
randvoorwaarden of a scheme page are not a block: they come from the assessment rules.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

RICH_FEATURES = ["bold", "italic", "link", "ul", "ol"]


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
    answer = blocks.RichTextBlock(label=_("antwoord"), features=RICH_FEATURES)

    class Meta:
        template = "blocks/faq_item.html"
        icon = "help"
        label = _("Vraag en antwoord")


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("stap"))
    text = blocks.TextBlock(label=_("uitleg"), required=False)


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titel"), required=False)
    steps = blocks.ListBlock(StepBlock(), label=_("stappen"))

    class Meta:
        template = "blocks/steps.html"
        icon = "list-ol"
        label = _("Stappen")


class ButtonBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("tekst op de knop"))
    page = blocks.PageChooserBlock(label=_("pagina"), required=False)
    url = blocks.CharBlock(
        label=_("of een adres"),
        required=False,
        help_text=_("Bijvoorbeeld /aanvragen/ voor de snelle check."),
    )

    class Meta:
        template = "blocks/button.html"
        icon = "link"
        label = _("Knop")


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("tussenkop"), template="blocks/heading.html", icon="title"
    )
    paragraph = blocks.RichTextBlock(
        label=_("tekst"), features=RICH_FEATURES, template="blocks/paragraph.html"
    )
    callout = CalloutBlock()
    faq = FaqItemBlock()
    steps = StepsBlock()
    button = ButtonBlock()
