"""The copy to keep, as a PDF: what the applicant sent, from the same ``Receipt``
(``selectors.submission_receipt``) as the copy page, the plain-text copy and the
receipt e-mail.

Accessibility, as far as reportlab goes (docs/decisions.md, "The copy to keep"):
reportlab writes no structure tree, so this PDF is not tagged and not PDF/UA. It has
what reportlab can give: real text in an embedded font (no images of text), one column
in reading order (each label on its own line above its answer, no tables), the
document title shown in the viewer's title bar, the language in the catalog
(``/Lang nl-NL``), the author and subject, and a bookmark per section, opened on
opening. The plain-text copy (``/kopie.txt``) is the accessible alternative. The
footer is drawn after each page's content, so it is read last.

A character DejaVu Sans cannot draw (an emoji, a Chinese character) shows as
``MISSING`` with a note that the text file has it; the text file keeps every character.

The fonts are DejaVu Sans from ``beoordeling/fonts`` (read as files: ``subsidies``
imports nothing from ``beoordeling``), registered under names of their own so a
letter being rendered at the same time keeps its font objects.
"""

import io
import threading
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

FONT_DIR = Path(settings.BASE_DIR) / "beoordeling" / "fonts"
FONT = "KopieDejaVuSans"
FONT_BOLD = "KopieDejaVuSans-Bold"
_FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}
GREY = colors.HexColor("#4a4a4a")

#: What stands in the PDF for a character DejaVu Sans has no glyph for (an emoji, a
#: Chinese character): visible, where the font would draw nothing.
MISSING = "\ufffd"

_font_lock = threading.Lock()
_fonts_registered = False
_covered = frozenset()


def _register_fonts():
    global _fonts_registered, _covered
    if _fonts_registered:
        return
    with _font_lock:
        if _fonts_registered:
            return
        faces = []
        for name, filename in _FONT_FILES.items():
            font = TTFont(name, str(FONT_DIR / filename))
            pdfmetrics.registerFont(font)
            faces.append(set(font.face.charToGlyph))
        pdfmetrics.registerFontFamily(
            FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
        )
        # Both weights draw every code point of this set.
        _covered = frozenset(set.intersection(*faces))
        _fonts_registered = True


def _drawable(text):
    """``text`` with every character the fonts cannot draw replaced by ``MISSING``
    (joiners and variation selectors without a glyph are dropped), and whether any
    was replaced."""
    out = []
    replaced = False
    for char in str(text):
        if char.isspace() or ord(char) in _covered:
            out.append(char)
        elif unicodedata.category(char) in ("Cf", "Mn"):
            continue
        else:
            out.append(MISSING)
            replaced = True
    return "".join(out), replaced


def _styles():
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14)
    return {
        "wordmark": ParagraphStyle(
            "wordmark", body, fontName=FONT_BOLD, fontSize=14, leading=18
        ),
        "title": ParagraphStyle(
            "title",
            body,
            fontName=FONT_BOLD,
            fontSize=16,
            leading=20,
            spaceBefore=6,
            spaceAfter=8,
        ),
        "heading": ParagraphStyle(
            "heading",
            body,
            fontName=FONT_BOLD,
            fontSize=12.5,
            leading=16,
            spaceBefore=12,
            spaceAfter=4,
            keepWithNext=True,
        ),
        "label": ParagraphStyle(
            "label", body, fontName=FONT_BOLD, spaceBefore=4, keepWithNext=True
        ),
        "value": ParagraphStyle("value", body, leftIndent=8),
        "body": ParagraphStyle("para", body, spaceAfter=4),
        "muted": ParagraphStyle("muted", body, textColor=GREY),
    }


def _x(text):
    """Text as a Paragraph's markup: escaped, with its line breaks kept; a character
    the font lacks shows as ``MISSING``."""
    text, _replaced = _drawable(text)
    return "<br/>".join(escape(line) for line in text.splitlines()) or " "


def _lacks_glyphs(receipt):
    """Whether any text of the copy has a character the PDF cannot show."""
    texts = [receipt.title]
    for rows in [receipt.facts, *(section.rows for section in receipt.sections)]:
        for label, value in rows:
            texts += [label, value]
    return any(_drawable(text)[1] for text in texts if text)


class _Heading(Paragraph):
    """A section heading that becomes a bookmark (the PDF's outline)."""

    def __init__(self, text, style, key):
        super().__init__(_x(text), style)
        self.outline_title = text
        self.outline_key = key


class _CopyDocument(BaseDocTemplate):
    def afterFlowable(self, flowable):  # noqa: N802 - reportlab's name
        if isinstance(flowable, _Heading):
            self.canv.bookmarkPage(flowable.outline_key)
            self.canv.addOutlineEntry(
                flowable.outline_title, flowable.outline_key, level=0
            )


def _rows(rows, styles):
    story = []
    for label, value in rows:
        story.append(Paragraph(_x(label), styles["label"]))
        if value:
            story.append(Paragraph(_x(value), styles["value"]))
        else:
            story.append(Paragraph(_x(_("Niet ingevuld")), styles["muted"]))
    return story


def _story(receipt, styles):
    story = [
        Paragraph(_x(_("Gemeente Utrecht")), styles["wordmark"]),
        _Heading(receipt.title, styles["title"], "kopie"),
        Paragraph(
            _x(
                _(
                    "Dit is een kopie van wat u heeft verstuurd. Bewaar dit bestand. "
                    "Noem het kenmerk als u contact met ons opneemt."
                )
            ),
            styles["body"],
        ),
    ]
    if _lacks_glyphs(receipt):
        story.append(
            Paragraph(
                _x(
                    _(
                        "Sommige tekens kan deze PDF niet tonen, zoals emoji of Chinese "
                        "tekens. Op die plaats staat %(mark)s. Het tekstbestand van deze "
                        "kopie heeft alle tekens zoals u ze heeft ingevuld."
                    )
                    % {"mark": MISSING}
                ),
                styles["body"],
            )
        )
    story += _rows(receipt.facts, styles)
    for section in receipt.sections:
        story.append(_Heading(section.title, styles["heading"], section.step))
        if section.rows:
            story += _rows(section.rows, styles)
        else:
            story.append(Paragraph(_x(_("Niets toegevoegd.")), styles["muted"]))
    return story


def _open_outline(canvas, doc):
    if doc.page == 1:
        canvas.showOutline()


def _footer(reference):
    """The kenmerk and page number, drawn after the page's content (``onPageEnd``) so
    that text extraction and screen readers meet it last, not first."""

    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(GREY)
        canvas.drawString(
            doc.leftMargin,
            12 * mm,
            _("Kenmerk %(reference)s, pagina %(page)s")
            % {"reference": reference, "page": doc.page},
        )
        canvas.restoreState()

    return draw


def render_copy_pdf(application, receipt):
    """The copy of ``application`` (its ``receipt``) as PDF bytes; the same receipt
    gives the same bytes (reportlab's invariant mode)."""
    _register_fonts()
    buffer = io.BytesIO()
    doc = _CopyDocument(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title=receipt.title,
        author=_("Gemeente Utrecht"),
        subject=_("Kopie van uw aanvraag bij %(scheme)s")
        % {"scheme": application.round.scheme.name},
        creator=_("Initiatiefloket gemeente Utrecht"),
        keywords=[application.reference],
        lang="nl-NL",
        displayDocTitle=True,
        initialFontName=FONT,  # else the canvas references unembedded Helvetica
        invariant=True,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates(
        [
            PageTemplate(
                "kopie",
                [frame],
                onPage=_open_outline,
                onPageEnd=_footer(application.reference),
            )
        ]
    )
    doc.build(_story(receipt, _styles()))
    return buffer.getvalue()
