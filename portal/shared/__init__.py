"""The bottom layer every app may import: pieces that belong to no app.

- ``forms``: the gemeente Utrecht form renderer, ``UtrechtFormMixin``, the error summary;
- ``ratelimit``: the fixed-window rate limiter and the audit logger's name;
- ``writeonce``: the base of every append-only record and its one exception;
- ``admin_screens``: a group of Wagtail admin screens, its URLs and one menu item shown
  to users with one permission;
- ``outbox``: ``queue_mail`` for ``accounts``, delegating to the outbox that
  ``subsidies`` provides at start-up (its table stays a ``subsidies`` model).

Money stays in ``subsidies`` (``subsidies.money``, ``subsidies.forms.fields``), where the
design keeps the money rules.

Nothing here imports ``accounts``, ``subsidies``, ``beoordeling``, ``cms`` or the rest of
``portal`` (import-linter contract "portal.shared is the bottom layer"); ``portal.urls``
and ``portal.settings`` stay on top of everything.
"""
