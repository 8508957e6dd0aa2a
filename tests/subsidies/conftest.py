"""Shared fixtures of the subsidies tests."""

import pytest

from accounts.roles import WIJKBUREAU
from subsidies.models import Buurt, QuestionSet, TargetGroup, Theme
from tests.factories import RoundFactory, SchemeFactory, UserFactory, WijkFactory


@pytest.fixture
def scheme():
    """A scheme with one scheme question (question set version 2) and an open round."""
    scheme = SchemeFactory()
    QuestionSet.objects.create(
        scheme=scheme,
        version=2,
        questions=[
            {
                "key": "toegankelijk",
                "label": "Toegankelijk?",
                "kind": "yesno",
                "required": True,
            }
        ],
    )
    RoundFactory(scheme=scheme)
    return scheme


@pytest.fixture
def choices():
    """The form's choices: a wijk with one buurt, a target group and a theme."""
    wijk = WijkFactory(code="zuid", name="Zuid")
    return {
        "wijk": wijk,
        "buurt": Buurt.objects.create(wijk=wijk, name="Hoograven"),
        "group": TargetGroup.objects.create(slug="ouderen", name="Ouderen"),
        "theme": Theme.objects.create(slug="ontmoeting", name="Ontmoeting"),
    }


@pytest.fixture
def staff():
    """A wijkbureau staff member (Aanvragen met hulp)."""
    return UserFactory(
        role=WIJKBUREAU,
        email="wendy@utrecht.example",
        first_name="Wendy",
        last_name="Wijkhuis",
    )
