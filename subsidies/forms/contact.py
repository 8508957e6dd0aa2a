"""The hidden form behind a contact-address confirmation link."""

from django import forms


class ConfirmationLinkForm(forms.Form):
    t = forms.CharField(max_length=200, widget=forms.HiddenInput)
