"""The production smoke stage runs only when asked (``SMOKE=1``, as ``.ci/run`` does):
it builds the static files, starts two app servers and two workers, and takes minutes."""

import os

import pytest


def pytest_collection_modifyitems(config, items):
    if os.environ.get("SMOKE") == "1":
        return
    skip = pytest.mark.skip(reason="the production smoke stage: run with SMOKE=1")
    for item in items:
        if "smoke" in item.keywords:
            item.add_marker(skip)
