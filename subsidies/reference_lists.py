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

import time

from django.core.cache import cache

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
