"""Overviews: staff exports and imports, the budget dashboard and the public open data.

``views``/``admin`` (staff screens) and ``views_public``/``urls_public`` (``/open-data/``)
call ``exports`` and ``imports`` (the use cases), which read through ``dashboard`` and
``opendata``; ``tasks`` runs an export job in the background.
"""
