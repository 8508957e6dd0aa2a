"""Write-once records: stored once, never changed or deleted.

Every append-only record of the portal (the transition log, a published verdeelregel, a
fixed allocation run and its results, a decision, the export log, a history link, the
assessors' reviews and events, a security event) derives from ``WriteOnceModel``. Its
manager's QuerySet refuses ``update()`` and ``delete()`` and the model refuses ``save()``
of a stored row and ``delete()``, all with the one exception ``WriteOnceError``.

Two hooks cover the records that are write-once only from a moment on, or keep one
field open:

- ``write_once_frozen()``: a ``Q`` for the stored rows that are frozen; ``None`` (the
  default) means every stored row is (a run only once it is fixed);
- ``write_once_open_fields``: fields that may still be written on a frozen row through
  ``save(update_fields=...)`` or ``update(...)`` (when a decision's mail went out).

A cascade started by deleting a parent row goes past these checks (Django deletes the
rows in SQL); the foreign keys to write-once rows are ``PROTECT`` for that reason.
"""

from django.db import models


class WriteOnceError(Exception):
    """A write-once record was to be changed or deleted."""


def _refusal(model, action):
    return WriteOnceError(f"A {model._meta.verbose_name} cannot be {action}.")


class WriteOnceQuerySet(models.QuerySet):
    def _touches_frozen_rows(self):
        frozen = self.model.write_once_frozen()
        return True if frozen is None else self.filter(frozen).exists()

    def update(self, **kwargs):
        opening = kwargs and set(kwargs) <= self.model.write_once_open_fields
        if not opening and self._touches_frozen_rows():
            raise _refusal(self.model, "changed")
        return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        if self._touches_frozen_rows():
            raise _refusal(self.model, "deleted")
        return super().delete()

    delete.alters_data = True
    delete.queryset_only = True


class WriteOnceModel(models.Model):
    """The base of every append-only record (see the module's docstring)."""

    #: Fields a frozen row may still have written (``save(update_fields=...)``).
    write_once_open_fields = frozenset()

    objects = WriteOnceQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        opening = update_fields and set(update_fields) <= self.write_once_open_fields
        if not opening and self.is_write_once_frozen():
            raise _refusal(type(self), "changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_write_once_frozen():
            raise _refusal(type(self), "deleted")
        return super().delete(*args, **kwargs)

    @classmethod
    def write_once_frozen(cls):
        """The stored rows that may no longer change; ``None``: all of them."""
        return None

    def is_write_once_frozen(self):
        """Whether this row, as stored, may no longer change."""
        if self._state.adding or self.pk is None:
            return False
        frozen = type(self).write_once_frozen()
        if frozen is None:
            return True
        return type(self)._base_manager.filter(frozen, pk=self.pk).exists()
