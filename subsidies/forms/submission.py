"""Step 5 and 6 of the form (documents, review) and what follows submission: an
aanvulling and a withdrawal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Document
from .base import TOO_LONG, UtrechtForm, declaration_field
from .fields import MultipleFileField
from .files import ManyFilesMixin, OneFileForm

# --- step 5: documents --------------------------------------------------------------


#: Kinds only the gemeente adds (the letter) or that come with an aanvulling or the
#: verantwoording.
APPLICANT_CANNOT_UPLOAD = {
    Document.Kind.SUPPLEMENT,
    Document.Kind.DECISION_LETTER,
    Document.Kind.REPORT,
}


class DocumentForm(OneFileForm):
    kind = forms.ChoiceField(
        label=_("Wat voor document is het?"),
        choices=[
            choice
            for choice in Document.Kind.choices
            if choice[0] not in APPLICANT_CANNOT_UPLOAD
        ],
        initial=Document.Kind.SUPPORT,
        error_messages={"invalid_choice": _("Kies een soort document uit de lijst.")},
    )
    field_order = ["kind", "file"]


# --- step 6: review and submit -----------------------------------------------------


class ReviewForm(UtrechtForm):
    truthful_declaration = declaration_field(
        label=_("Ik verklaar dat ik alles naar waarheid heb ingevuld."),
        refused=_(
            "Vink aan dat u alles naar waarheid heeft ingevuld. Zonder deze "
            "verklaring kunnen wij uw aanvraag niet behandelen."
        ),
    )
    decisions_by_email = forms.BooleanField(
        label=_(
            "Ik wil het besluit over deze aanvraag per e-mail en in 'Mijn aanvragen' "
            "krijgen."
        ),
        required=False,
        help_text=_("Zet u hier geen vinkje? Dan sturen wij het besluit per post."),
    )

    def __init__(self, *args, by_email=True, **kwargs):
        """``by_email`` False: the applicant gave no e-mail address, so the decision
        can only come by post and the choice is not offered."""
        super().__init__(*args, **kwargs)
        if not by_email:
            del self.fields["decisions_by_email"]


# --- after submission ----------------------------------------------------------------


class SupplementForm(ManyFilesMixin, UtrechtForm):
    answer = forms.CharField(
        label=_("Uw antwoord"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Schrijf uw antwoord op de vraag van de gemeente."),
            **TOO_LONG,
        },
    )
    files = MultipleFileField(
        label=_("Bestanden meesturen"),
        required=False,
        help_text=_(
            "U kunt meer bestanden tegelijk kiezen. PDF, Word, Excel, OpenDocument, "
            "JPG, PNG of tekst. Hoogstens 10 MB per bestand."
        ),
    )

    def __init__(self, *args, usage=(0, 0), **kwargs):
        super().__init__(*args, **kwargs)
        self.usage = usage


class WithdrawForm(UtrechtForm):
    reason = forms.CharField(
        label=_("Waarom trekt u de aanvraag in?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dit helpt ons om de regeling te verbeteren."),
        error_messages=TOO_LONG,
    )
