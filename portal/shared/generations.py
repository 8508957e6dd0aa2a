"""A generation token in the shared cache, for caches that must be forgotten at once
in every process.

A cached value is stored under a key that holds the current token; a change sets a
new token (:meth:`Generation.bump`), so every process reads anew on its next visit
without deleting keys one by one. A token that is gone (the cache was emptied or
evicted it) is replaced by a new random one, never an old value again. With a cache
that keeps nothing (DummyCache) :meth:`Generation.current` is None.
"""

import uuid

from django.core.cache import cache


class Generation:
    def __init__(self, key):
        self.key = key

    def bump(self):
        """Forget everything cached under the current token, in every process."""
        cache.set(self.key, uuid.uuid4().hex, None)

    def current(self):
        """The current token; a new one when the cache has none."""
        generation = cache.get(self.key)
        if generation is None:
            cache.add(self.key, uuid.uuid4().hex, None)
            generation = cache.get(self.key)
        return generation
