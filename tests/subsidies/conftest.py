"""Shared fixtures of the subsidies tests."""

import pytest

from subsidies.models import QuestionSet
from tests.factories import RoundFactory, SchemeFactory


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
