"""Staff type and read amounts in euros, never in cents.

On the demo a round's ceiling and four-eyes threshold were typed in cents. Every
``*_cents`` field of the configuration screens (rounds, wijk limits, schemes) is now
a euro field: shown as "1.234,56", typed the way residents type amounts, bounded.
"""

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from subsidies.forms.fields import EuroCentsField
from subsidies.wagtail_hooks import RoundViewSet
from tests.factories import RoundFactory

pytestmark = pytest.mark.django_db


def _round_form(**kwargs):
    return RoundViewSet("rondes").get_form_class()(**kwargs)


def test_the_round_form_shows_and_takes_euros():
    """The ceiling EUR 250.000 is shown as "250.000,00"; typed euros clean to cents."""
    round_ = RoundFactory(ceiling_cents=25_000_000, four_eyes_threshold_cents=500_000)
    form = _round_form(instance=round_)
    html = str(form["ceiling_cents"]) + str(form["four_eyes_threshold_cents"])
    assert 'value="250.000,00"' in html and 'value="5.000,00"' in html
    assert form.fields["ceiling_cents"].label == "Subsidieplafond (euro)"
    assert form.fields["four_eyes_threshold_cents"].label == "Vier-ogengrens (euro)"
    field = form.fields["ceiling_cents"]
    assert field.clean("250.000,50") == 25_000_050
    assert field.clean("1250") == 125_000
    assert form.fields["four_eyes_threshold_cents"].clean("") is None


def test_the_rounds_list_shows_the_ceiling_in_euros(client, django_user_model):
    """The listing's ceiling column reads "€ 250.000,00", not 25000000."""
    RoundFactory(ceiling_cents=25_000_000, name="Ronde in euro")
    client.force_login(
        django_user_model.objects.create_superuser(
            email="beheer@example.org", password="x"
        )
    )
    page = client.get(reverse("round:index")).content.decode()
    assert "Ronde in euro" in page
    assert "250.000,00" in page and "25000000" not in page


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60) | st.integers().map(str) | st.floats().map(str))
def test_a_euro_field_on_a_staff_screen_never_raises_anything_but_a_form_error(text):
    """Any typed value is a clean amount within bounds or a ValidationError: never
    an overflow or another exception (which would be a 500)."""
    from django.core.exceptions import ValidationError

    field = EuroCentsField(required=False)
    try:
        cents = field.clean(text)
    except ValidationError:
        return
    assert cents is None or 0 <= cents <= 10_000_000_000
