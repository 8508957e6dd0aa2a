"""The file fields of the public forms, with one rule for every upload.

One file at a time (``OneFileForm``: the application's documents step, the
verantwoording's proof) or several at once (``ManyFilesMixin``: an aanvulling, a
bezwaar). Either way each file is checked by its content (``subsidies.uploads``) and,
together with what the application holds already (``usage``: count and bytes), against
the application's quota; a refusal is a Dutch error at the field.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..uploads import UploadRefused, check_quota, check_upload
from .base import UtrechtForm

#: The messages for a file that did not arrive whole.
FILE_ERRORS = {
    "invalid": _("Er ging iets mis met het bestand. Kies het opnieuw."),
    "empty": _("Het bestand is leeg. Kies een ander bestand."),
}


def file_field(*, label, help_text):
    """A field for one file that may be left empty (``require_file`` asks for it)."""
    return forms.FileField(
        label=label, required=False, help_text=help_text, error_messages=FILE_ERRORS
    )


class OneFileForm(UtrechtForm):
    """Add one file; ``require_file`` when the button "Bestand toevoegen" was used."""

    file = file_field(
        label=_("Kies een bestand"),
        help_text=_(
            "PDF, Word, Excel, OpenDocument, JPG, PNG of tekst. Hoogstens 10 MB per "
            "bestand."
        ),
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


class ManyFilesMixin:
    """A ``files`` field of several files: at most ``max_files``, each checked, all
    together within the quota. The checked files are in ``self.checked`` as
    ``(uploaded, checked)`` pairs. The form sets ``self.usage``."""

    max_files = 10
    #: The error above ``max_files``; it may name the number as ``%(count)d``.
    too_many_files = _("Stuur hoogstens 10 bestanden tegelijk.")

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > self.max_files:
            raise ValidationError(self.too_many_files % {"count": self.max_files})
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
