"""The reference lists a resident chooses from (wijken, buurten, doelgroepen,
thema's), cached between requests: they change a few times a year, and the form
showed them with one query each on every visit. Saving or deleting one of them
(``subsidies.signals``) calls ``reference_changed``, and the next page reads them
anew."""

from django.core.cache import cache

#: How long a list stays cached when nothing changes (a safety net).
SECONDS = 3600
_GENERATION_KEY = "subsidies:reference:generation"


def reference_changed():
    """Forget every cached reference list."""
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:
        cache.set(_GENERATION_KEY, 1, None)


def reference_objects(name, queryset):
    """The objects of ``queryset`` as a list, cached under ``name``."""
    generation = cache.get_or_set(_GENERATION_KEY, 1, None)
    key = f"subsidies:reference:{generation}:{name}"
    objects = cache.get(key)
    if objects is None:
        objects = list(queryset)
        cache.set(key, objects, SECONDS)
    return objects
