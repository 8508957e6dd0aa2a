"""One counter for kenmerken (``subsidies.counters``): application references and
decision kenmerken count in ``ReferenceCounter``; after the migration that moved the
decision counter over, the next kenmerk follows the last one handed out."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from beoordeling.decisions.services.letters import next_kenmerk
from subsidies import counters
from subsidies.models import ReferenceCounter
from subsidies.services import next_reference

BEFORE = [("beoordeling", "0008_history_link")]
AFTER = [("beoordeling", "0009_one_counter_for_kenmerken")]


@pytest.mark.django_db
def test_references_and_kenmerken_count_in_the_one_counter():
    assert next_reference(prefix="IF", year=2031) == "IF-2031-0001"
    assert next_reference(prefix="IF", year=2031) == "IF-2031-0002"
    assert next_kenmerk(year=2031) == "D2031-000001"
    assert next_reference(prefix="IF", year=2031) == "IF-2031-0003"
    assert next_kenmerk(year=2031) == "D2031-000002"
    stored = dict(
        ReferenceCounter.objects.filter(year=2031).values_list("prefix", "last_number")
    )
    assert stored == {"IF": 3, counters.DECISION_PREFIX: 2}


@pytest.mark.django_db
def test_peek_and_take_follow_the_same_counter():
    prefix = counters.DECISION_PREFIX
    assert counters.peek_number(prefix=prefix, year=2032) == 1
    assert counters.take_number(prefix=prefix, year=2032, number=1)
    assert not counters.take_number(prefix=prefix, year=2032, number=1)
    assert next_kenmerk(year=2032) == "D2032-000002"
    assert counters.last_number(prefix=prefix, year=2032) == 2


@pytest.fixture
def back_to_the_latest_schema():
    """Whatever the test did to the schema, the database ends at every app's newest
    migration again (later tests need the columns added after ``AFTER``)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_after_the_migration_the_next_kenmerk_follows_the_last_one(
    back_to_the_latest_schema,
):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    DecisionCounter = old_apps.get_model("beoordeling", "DecisionCounter")
    DecisionCounter.objects.create(year=2026, last_number=41)
    DecisionCounter.objects.create(year=2025, last_number=7)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    assert next_kenmerk(year=2026) == "D2026-000042"
    assert next_kenmerk(year=2025) == "D2025-000008"
    assert next_kenmerk(year=2027) == "D2027-000001"
    assert "beoordeling_decisioncounter" not in connection.introspection.table_names()
