"""Levels of assurance (accounts.oidc.assurance): the broker's values named and
ordered, DigiD Midden and eHerkenning EH3 as minimums, unknown values never enough.
Pure: examples and Hypothesis properties, no database."""

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts.oidc import assurance
from accounts.oidc.assurance import DIGID, EHERKENNING, LEVELS, level, meets

SAML = "urn:oasis:names:tc:SAML:2.0:ac:classes:"
LOA = "urn:etoegang:core:assurance-class:"


@pytest.mark.parametrize(
    ("provider", "claimed", "expected"),
    [
        (DIGID, f"{SAML}PasswordProtectedTransport", "basis"),
        (DIGID, f"{SAML}MobileTwoFactorContract", "midden"),
        (DIGID, f"{SAML}Smartcard", "substantieel"),
        (DIGID, "http://eidas.europa.eu/LoA/substantial", "substantieel"),
        (DIGID, f"{SAML}SmartcardPKI", "hoog"),
        (DIGID, "Midden", "midden"),
        (DIGID, "  midden ", "midden"),
        (EHERKENNING, f"{LOA}loa2", "eh2"),
        (EHERKENNING, f"{LOA}loa2plus", "eh2+"),
        (EHERKENNING, f"{LOA}loa3", "eh3"),
        (EHERKENNING, "EH3", "eh3"),
        (EHERKENNING, "http://eidas.europa.eu/LoA/high", "eh4"),
        (EHERKENNING, [f"{LOA}loa2", f"{LOA}loa3", "onbekend"], "eh3"),
        (DIGID, f"{LOA}loa3", None),  # eHerkenning's value means nothing for DigiD
        (DIGID, None, None),
        (DIGID, "", None),
        (DIGID, [], None),
        (DIGID, 2, None),
        ("itsme", "midden", None),
    ],
)
def test_a_brokers_value_is_named(provider, claimed, expected):
    assert level(provider, claimed) == expected


@pytest.mark.parametrize(
    ("provider", "claimed", "minimum", "expected"),
    [
        (DIGID, f"{SAML}PasswordProtectedTransport", "midden", False),
        (DIGID, f"{SAML}MobileTwoFactorContract", "midden", True),
        (DIGID, f"{SAML}Smartcard", "midden", True),
        (DIGID, "onbekend", "basis", False),
        (DIGID, None, "basis", False),
        (EHERKENNING, f"{LOA}loa2plus", "eh3", False),
        (EHERKENNING, f"{LOA}loa3", "eh3", True),
        (EHERKENNING, f"{LOA}loa4", "eh3", True),
        (EHERKENNING, [f"{LOA}loa2", f"{LOA}loa4"], "eh3", True),
    ],
)
def test_a_claimed_level_meets_the_minimum_or_not(provider, claimed, minimum, expected):
    assert meets(provider, claimed, minimum) is expected


def test_an_unknown_minimum_or_provider_is_a_configuration_error():
    """Not silently "too low": a misconfigured minimum or provider raises."""
    with pytest.raises(ValueError, match="unknown minimum"):
        meets(DIGID, "midden", "eh3")
    with pytest.raises(ValueError, match="unknown provider"):
        meets("itsme", "midden", "midden")


def test_every_level_has_a_dutch_label():
    for levels in LEVELS.values():
        for name, _values in levels:
            assert assurance.LABELS[name].startswith(("DigiD ", "eHerkenning "))


def test_the_module_imports_no_django():
    """Pure: importing it loads no Django (checked in a fresh interpreter)."""
    code = (
        "import sys, accounts.oidc.assurance; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    run = subprocess.run([sys.executable, "-c", code], cwd=root, check=False)
    assert run.returncode == 0


providers = st.sampled_from(sorted(LEVELS))


@st.composite
def provider_and_levels(draw):
    provider = draw(providers)
    names = [name for name, _values in LEVELS[provider]]
    return provider, names


@st.composite
def known_value(draw, provider):
    """One value a broker may send for a level of ``provider``: a URN or the name."""
    name, values = draw(st.sampled_from(LEVELS[provider]))
    return draw(st.sampled_from([*values, name, name.upper()]))


def index(provider, claimed):
    names = [name for name, _values in LEVELS[provider]]
    return names.index(level(provider, claimed))


@given(st.data())
def test_meets_is_monotone_in_the_level_order(data):
    """A level that meets a minimum meets every lower minimum, and every higher
    level meets it too."""
    provider, names = data.draw(provider_and_levels())
    claimed = data.draw(known_value(provider))
    higher = data.draw(known_value(provider))
    minimum = data.draw(st.sampled_from(names))
    if meets(provider, claimed, minimum):
        for lower in names[: names.index(minimum) + 1]:
            assert meets(provider, claimed, lower)
        if index(provider, higher) >= index(provider, claimed):
            assert meets(provider, higher, minimum)
    assert meets(provider, claimed, minimum) == (
        index(provider, claimed) >= names.index(minimum)
    )


URNS = {
    value for levels in LEVELS.values() for _name, values in levels for value in values
}
NAMES = {name for levels in LEVELS.values() for name, _values in levels}


def is_known(text):
    return text.strip() in URNS or text.strip().lower() in NAMES


@given(
    provider=providers,
    claimed=st.one_of(
        st.none(),
        st.integers(),
        st.text().filter(lambda text: not is_known(text)),
    ),
)
def test_an_unknown_value_never_meets_any_minimum(provider, claimed):
    for name, _values in LEVELS[provider]:
        assert not meets(provider, claimed, name)
    assert level(provider, claimed) is None


@given(st.data())
def test_a_list_counts_by_its_highest_known_level(data):
    """However many values, in any order, with unknown ones among them: the list is
    as strong as its strongest known value, and any order gives the same level."""
    provider, names = data.draw(provider_and_levels())
    known = data.draw(st.lists(known_value(provider), min_size=1, max_size=5))
    unknown = data.draw(st.lists(st.sampled_from(["", "onbekend", "loa9"]), max_size=3))
    claimed = data.draw(st.permutations(known + unknown))

    strongest = max((level(provider, value) for value in known), key=names.index)
    assert level(provider, claimed) == strongest
    assert level(provider, tuple(reversed(claimed))) == strongest
    for minimum in names:
        assert meets(provider, claimed, minimum) == any(
            meets(provider, value, minimum) for value in known
        )


@given(provider=providers, unknown=st.lists(st.sampled_from(["", "x", "loa9"])))
def test_a_list_of_only_unknown_values_never_meets(provider, unknown):
    assert level(provider, unknown) is None
    assert not meets(provider, unknown, LEVELS[provider][0][0])
