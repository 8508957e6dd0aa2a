"""Assessment records: randvoorwaarden checks, scores, allocation runs and decisions.

Filled in by the assessment and spreiding issues; the pure decision rules live in
``preconditions.py``, ``scoring.py`` and ``allocation.py`` and import no Django.
"""
