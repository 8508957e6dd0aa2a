"""Step 4 of the form: the budget lines (the requested amount is their sum, within
the scheme's maximum) and other funding. Amounts are typed in euros."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import BudgetLine, OtherFunding
from ..money import cents_to_euros, euros_to_cents, format_euros
from .base import TOO_LONG, BaseUtrechtFormSet, UtrechtForm
from .fields import EuroField


class BudgetLineForm(UtrechtForm):
    category = forms.ChoiceField(
        label=_("Soort kosten"),
        choices=[("", _("Kies de soort kosten")), *BudgetLine.Category.choices],
        error_messages={
            "required": _("Kies de soort kosten."),
            "invalid_choice": _("Kies een soort kosten uit de lijst."),
        },
    )
    description = forms.CharField(
        label=_("Omschrijving"),
        max_length=200,
        error_messages={
            "required": _("Omschrijf waar deze kosten voor zijn."),
            **TOO_LONG,
        },
    )
    amount = EuroField(
        label=_("Bedrag in euro"),
        error_messages={"required": _("Vul het bedrag in euro's in.")},
    )


class BaseBudgetFormSet(BaseUtrechtFormSet):
    row_label = _("Kostenpost")
    #: ``clean`` asks for one filled line, so the page never calls the first optional.
    required_rows = 1

    def __init__(self, *args, max_total_cents=None, **kwargs):
        self.max_total_cents = max_total_cents
        super().__init__(*args, **kwargs)

    def total_cents(self):
        return sum(
            euros_to_cents(form.cleaned_data["amount"]) for form in self.filled_forms
        )

    def clean(self):
        if any(self.errors):
            return
        if not self.filled_forms:
            raise ValidationError(
                _("Vul minstens één kostenpost in: waar geeft u het geld aan uit?")
            )
        total = self.total_cents()
        if self.max_total_cents is not None and total > self.max_total_cents:
            raise ValidationError(
                _(
                    "Samen is dat %(total)s. Dat is meer dan het maximum van %(max)s voor "
                    "deze regeling. Maak de begroting kleiner."
                )
                % {
                    "total": format_euros(total),
                    "max": format_euros(self.max_total_cents),
                }
            )


BudgetFormSet = forms.formset_factory(
    BudgetLineForm,
    formset=BaseBudgetFormSet,
    extra=2,
    can_delete=True,
    max_num=50,
    absolute_max=60,
    validate_max=True,
)


class OtherFundingForm(UtrechtForm):
    source = forms.CharField(
        label=_("Van wie?"),
        max_length=200,
        help_text=_(
            "Bijvoorbeeld een fonds, sponsor, of de eigen bijdrage van deelnemers."
        ),
        error_messages={
            "required": _("Vul in van wie dit geld komt, of vink 'verwijderen' aan."),
            **TOO_LONG,
        },
    )
    state = forms.ChoiceField(
        label=_("Hoe staat het ervoor?"),
        choices=[("", _("Kies")), *OtherFunding.State.choices],
        error_messages={
            "required": _(
                "Kies of u het geld heeft aangevraagd, of iemand het al beloofde, of dat u het zelf betaalt."
            ),
            "invalid_choice": _("Kies een mogelijkheid uit de lijst."),
        },
    )
    amount = EuroField(
        label=_("Bedrag in euro"),
        error_messages={"required": _("Vul het bedrag in euro's in.")},
    )


class BaseOtherFundingFormSet(BaseUtrechtFormSet):
    row_label = _("Inkomsten")


OtherFundingFormSet = forms.formset_factory(
    OtherFundingForm,
    formset=BaseOtherFundingFormSet,
    extra=1,
    can_delete=True,
    max_num=30,
    absolute_max=40,
    validate_max=True,
)


def budget_initial(application):
    return [
        {
            "category": line.category,
            "description": line.description,
            "amount": cents_to_euros(line.amount_cents),
        }
        for line in application.budget_lines.all()
    ]


def other_funding_initial(application):
    return [
        {
            "source": item.source,
            "state": item.state,
            "amount": cents_to_euros(item.amount_cents),
        }
        for item in application.other_funding.all()
    ]
