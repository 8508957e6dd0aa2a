"""Bezwaar: objections against any beschikking of the portal (Awb chapters 6 and 7).

- ``terms``: the pure clocks (bezwaartermijn with the Algemene termijnenwet, post,
  lateness, the beslistermijn and its one deferral).
- ``workflow``: the bezwaar's own state table, guards and permissions; the FSM is on
  ``beoordeling.models.Objection``.
- ``letters``: the pure letters of a bezwaar (ontvangstbevestiging, uitnodiging voor de
  hoorzitting, verdaging, beslissing op bezwaar) on the portal's letter base.
- ``services``: lodging, handling and deciding, each transition under a row lock with
  its log row; ``selectors``: the queue, deadlines and overviews.
- ``views``/``forms``/``admin``: the handlers' screens in the Wagtail admin;
  ``views_public``/``urls_public``: the objector's pages under "Mijn aanvragen".
"""
