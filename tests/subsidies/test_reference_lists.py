"""The reference lists of the form (``subsidies.reference_lists``): a warm page reads
them from its own process without a query, and every change shows on the next page,
also one made in another process or after the shared cache was emptied."""

import pytest
from django.core.cache import cache

from subsidies import reference_lists
from subsidies.models import Theme

pytestmark = pytest.mark.django_db


def _themes():
    return reference_lists.reference_objects("themas", Theme.objects.order_by("name"))


def _names():
    return [theme.name for theme in _themes()]


def test_a_warm_read_asks_the_database_nothing(django_assert_num_queries):
    Theme.objects.create(slug="ontmoeting", name="Ontmoeting")
    first = _themes()
    with django_assert_num_queries(0):
        again = _themes()
    assert again is first
    assert [theme.name for theme in again] == ["Ontmoeting"]


def test_a_saved_theme_shows_on_the_next_read():
    Theme.objects.create(slug="ontmoeting", name="Ontmoeting")
    assert _names() == ["Ontmoeting"]
    Theme.objects.create(slug="groen", name="Groen")  # the signal: reference_changed
    assert _names() == ["Groen", "Ontmoeting"]


def test_a_change_in_another_process_shows_here():
    Theme.objects.create(slug="ontmoeting", name="Ontmoeting")
    assert _names() == ["Ontmoeting"]
    # Written without signals in this process; another process then called
    # reference_changed, which only reaches this one through the shared cache.
    Theme.objects.bulk_create([Theme(slug="groen", name="Groen")])
    assert _names() == ["Ontmoeting"]
    cache.set(reference_lists._GENERATION_KEY, "another-process", None)
    assert _names() == ["Groen", "Ontmoeting"]


def test_an_emptied_cache_never_brings_back_an_old_list():
    Theme.objects.create(slug="ontmoeting", name="Ontmoeting")
    assert _names() == ["Ontmoeting"]
    Theme.objects.bulk_create([Theme(slug="groen", name="Groen")])
    cache.clear()
    assert _names() == ["Groen", "Ontmoeting"]


def test_a_list_read_by_another_process_before_the_commit_is_not_kept(
    django_capture_on_commit_callbacks,
):
    """Another process reading between the change and its commit still sees the old
    rows and stores them under the new token; the token changes again after the
    commit, so that stale list is never used."""
    Theme.objects.create(slug="ontmoeting", name="Ontmoeting")
    assert _names() == ["Ontmoeting"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Theme.objects.create(slug="groen", name="Groen")
    # The other process, before the commit: the old list under the current token.
    generation = cache.get(reference_lists._GENERATION_KEY)
    stale = [Theme(slug="ontmoeting", name="Ontmoeting")]
    cache.set(f"subsidies:reference:{generation}:themas", stale)
    reference_lists._local.clear()
    assert _names() == ["Ontmoeting"]
    for callback in callbacks:  # the commit
        callback()
    assert _names() == ["Groen", "Ontmoeting"]
