"""Step 5 and 6 of the form (documents, review) and what follows submission: an
aanvulling and a withdrawal."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Document
from ..uploads import UploadRefused, check_quota, check_upload
from .base import TOO_LONG, UtrechtForm
from .fields import MultipleFileField

# --- step 5: documents --------------------------------------------------------------


#: Kinds only the gemeente adds (the letter) or that come with an aanvulling or the
#: verantwoording.
APPLICANT_CANNOT_UPLOAD = {
    Document.Kind.SUPPLEMENT,
    Document.Kind.DECISION_LETTER,
    Document.Kind.REPORT,
}


class DocumentForm(UtrechtForm):
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
    file = forms.FileField(
        label=_("Kies een bestand"),
        required=False,
        help_text=_(
            "PDF, Word, Excel, OpenDocument, JPG, PNG of tekst. Hoogstens 10 MB per "
            "bestand."
        ),
        error_messages={
            "invalid": _("Er ging iets mis met het bestand. Kies het opnieuw."),
            "empty": _("Het bestand is leeg. Kies een ander bestand."),
        },
    )

    def __init__(self, *args, require_file=False, usage=(0, 0), **kwargs):
        super().__init__(*args, **kwargs)
        self.usage = usage
        if require_file:
            self.fields["file"].required = True
            self.fields["file"].error_messages["required"] = _(
                "Kies eerst een bestand op uw computer of telefoon."
            )

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if not uploaded:
            return None
        try:
            self.checked = check_upload(uploaded)
            count, size = self.usage
            check_quota(used_count=count, used_bytes=size, sizes=[self.checked.size])
        except UploadRefused as error:
            raise ValidationError(str(error)) from error
        return uploaded


# --- step 6: review and submit -----------------------------------------------------


class ReviewForm(UtrechtForm):
    truthful_declaration = forms.BooleanField(
        label=_("Ik verklaar dat ik alles naar waarheid heb ingevuld."),
        error_messages={
            "required": _(
                "Vink aan dat u alles naar waarheid heeft ingevuld. Zonder deze "
                "verklaring kunnen wij uw aanvraag niet behandelen."
            )
        },
    )
    decisions_by_email = forms.BooleanField(
        label=_(
            "Ik wil het besluit over deze aanvraag per e-mail en in 'Mijn aanvragen' "
            "krijgen."
        ),
        required=False,
        help_text=_("Zet u hier geen vinkje? Dan sturen wij het besluit per post."),
    )


# --- after submission ----------------------------------------------------------------


class SupplementForm(UtrechtForm):
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

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > 10:
            raise ValidationError(_("Stuur hoogstens 10 bestanden tegelijk."))
        self.checked = []
        for uploaded in files:
            try:
                self.checked.append((uploaded, check_upload(uploaded)))
            except UploadRefused as error:
                raise ValidationError(
                    _("%(name)s: %(reason)s")
                    % {"name": uploaded.name[:100], "reason": error}
                ) from error
        count, size = self.usage
        try:
            check_quota(
                used_count=count,
                used_bytes=size,
                sizes=[checked.size for _uploaded, checked in self.checked],
            )
        except UploadRefused as error:
            raise ValidationError(str(error)) from error
        return files


class WithdrawForm(UtrechtForm):
    reason = forms.CharField(
        label=_("Waarom trekt u de aanvraag in?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dit helpt ons om de regeling te verbeteren."),
        error_messages=TOO_LONG,
    )
