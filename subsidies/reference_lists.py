"""The reference lists a resident chooses from (wijken, buurten, doelgroepen,
thema's), cached between requests: they change a few times a year, and the form
showed them with one query each on every visit. Saving or deleting one of them
(``subsidies.signals``) calls ``reference_changed``, and the next page reads them
anew.

Two levels. The shared cache holds the lists and a generation: a random token that
``reference_changed`` replaces. Each process also keeps the lists it read, under the
generation it read them for, so a warm request reads one short token from the shared
cache and unpickles no lists (issue 19: on the form step that unpickling was a large
part of drawing the 81 buurten). A change in any process gives a new token, and every
process reads the lists again on its next request. The token is random, not a
counter, so an emptied cache never brings back a generation a process still holds.
"""

import functools
import time

from django.core.cache import cache
from django.db import connection
from django.db.models import prefetch_related_objects

from portal.shared.generations import Generation

#: How long a list stays cached when nothing changes (a safety net).
SECONDS = 3600
_GENERATION_KEY = "subsidies:reference:generation"
_GENERATIONS = Generation(_GENERATION_KEY)

#: This process's lists: name -> (generation, read at, objects).
_local = {}


def reference_changed():
    """Forget every cached reference list, in every process."""
    _GENERATIONS.bump()


def reference_objects(name, queryset):
    """The objects of ``queryset`` as a list, cached under ``name``."""
    generation = _GENERATIONS.current()
    if generation is None:
        return list(queryset)  # a cache that keeps nothing (DummyCache)
    now = time.monotonic()
    held = _local.get(name)
    if held is not None and held[0] == generation and now - held[1] < SECONDS:
        return held[2]
    key = f"subsidies:reference:{generation}:{name}"
    objects = cache.get(key)
    if objects is None:
        objects = list(queryset)
        cache.set(key, objects, SECONDS)
    _local[name] = (generation, now, objects)
    return objects


def _positions(name, objects):
    """``{pk: (place in the list, object)}`` for the list ``objects`` under ``name``,
    kept with the list for as long as the process keeps the list."""
    held = _local_positions.get(name)
    if held is not None and held[0] is objects:
        return held[1]
    positions = {obj.pk: (place, obj) for place, obj in enumerate(objects)}
    _local_positions[name] = (objects, positions)
    return positions


#: This process's index of each list: name -> (the list it indexes, {pk: ...}).
_local_positions = {}


@functools.cache
def _links_sql(model, relations):
    """One statement for the chosen keys of several many-to-many relations of one row:
    ``(relation's place in relations, chosen key)``."""
    quote = connection.ops.quote_name
    parts = []
    for place, name in enumerate(relations):
        field = model._meta.get_field(name)
        table = field.remote_field.through._meta.db_table
        parts.append(
            f"SELECT {place}, {quote(field.m2m_reverse_name())} FROM {quote(table)}"
            f" WHERE {quote(field.m2m_column_name())} = %s"
        )
    return " UNION ALL ".join(parts)


def load_chosen(instance, fields):
    """Load what ``instance`` chose in reference-list relations, as a prefetch would,
    in one query: ``fields`` maps each many-to-many relation of ``instance`` to the
    form field that shows its list (with ``cached_as`` and ``queryset``).

    The prefetch asked one query per relation and built its objects anew each time;
    this asks the link tables once and takes the objects from this process's lists
    (the step page's relations, issue 19). A key that is not in its list (an item
    made inactive since it was chosen) falls back to Django's prefetch for that
    relation, so the page shows exactly what is stored."""
    relations = tuple(fields)
    chosen = {name: [] for name in relations}
    with connection.cursor() as cursor:
        cursor.execute(
            _links_sql(type(instance), relations), [instance.pk] * len(relations)
        )
        for place, pk in cursor.fetchall():
            chosen[relations[place]].append(pk)
    cache_of = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    missing = []
    for name, pks in chosen.items():
        field = fields[name]
        # .all(): a copy, as a form's own field has; reading the declared queryset
        # itself would keep its first result for the life of the process.
        objects = reference_objects(field.cached_as, field.queryset.all())
        positions = _positions(field.cached_as, objects)
        if any(pk not in positions for pk in pks):
            missing.append(name)
            continue
        manager = getattr(instance, name)
        queryset = manager.get_queryset()
        # What ``prefetch_related_objects`` stores: the related objects in the list's
        # (the model's) order, as the manager's evaluated queryset.
        queryset._result_cache = [
            positions[pk][1] for pk in sorted(pks, key=lambda pk: positions[pk][0])
        ]
        queryset._prefetch_done = True
        cache_of[manager.prefetch_cache_name] = queryset
    if missing:
        prefetch_related_objects([instance], *missing)
    return instance
