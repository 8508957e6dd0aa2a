"""Payments: the ledger of voorschotten, betalingen and terugvorderingen, payment
batches with four eyes, the SEPA and CSV/XLSX exports, and bank statements in.

``views``/``admin`` call the use cases in ``services`` (the only writers), which read
through ``selectors``. The pure rules live beside them: ``ledger`` (which instructions
an application's facts call for), ``sepa`` (the pain.001 file), ``camt`` (reading a
bank statement) and ``vop`` (the account holder's name against the applicant's). The
portal never talks to a bank. This package does not import ``beoordeling.assessment``
(an import-linter contract).
"""
