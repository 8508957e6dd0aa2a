"""Overviews as files: the award overview, the applications list and the scores.

- ``resources``: django-import-export resources, one per overview, with Dutch column
  headers. Money leaves as ``Decimal`` euros with two decimals (never ``float``), dates
  as dates (ISO in CSV and JSON, a date cell shown as ``yyyy-mm-dd`` in XLSX).
- ``filters``: the filters of the admin list (regeling, ronde, wijk, status, periode),
  kept as JSON in the log and in background jobs.
- ``writers``: streaming writers for XLSX (openpyxl, write-only, number format
  ``#,##0.00`` for money), CSV and JSON; the same rows in every format.
- ``cells``: per CSV column one formatter made from its widget, writing each value
  straight to the text the widget and the CSV writer would give it.
- ``services``: write an export, log it, and run a background export job.
- ``jobs``: start a background export job (the task is ``beoordeling.overviews.tasks``).

Every export that produces a file is logged in ``ExportLog``; views check who may
export, services never see a request.
"""
