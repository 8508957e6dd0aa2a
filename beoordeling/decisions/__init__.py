"""Decisions: the allocation runs against a round's ceiling, the four-eyes approval and the letters.

``views``/``admin`` call the use cases in ``services`` (the only writers), which read through
``selectors``; ``tasks`` runs letter batches in the background. The rules that decide live
in the pure modules ``beoordeling.allocation`` and ``beoordeling.letters``. This package does
not import ``beoordeling.assessment`` (an import-linter contract).
"""
