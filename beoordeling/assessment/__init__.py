"""Assessment: the queue, the randvoorwaarden, the scores and the advice on one application.

``views``/``views_rubric``/``admin`` (the Wagtail screens) call ``services`` (the use cases,
the only writers), which read through ``selectors``; ``facts`` computes the checks the
randvoorwaarden need. The rules that decide live in the pure modules
``beoordeling.preconditions`` and ``beoordeling.scoring``.
"""
