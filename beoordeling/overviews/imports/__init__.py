"""Imports with django-import-export: historical applications and the buurten table.

A gemeente that moves from an earlier system brings its history: applications that were
decided there (``toegekend`` or ``afgewezen``), with their applicant, round, wijk,
amounts and decision date; and the table of buurten per wijk with their CBS codes.

Always two steps, on the same file:

1. ``import_check`` keeps the uploaded file in the ``private`` storage (an
   ``ImportRecord``) and runs the import as a dry run: django-import-export's
   ``import_data(dry_run=True)`` inside a transaction that is rolled back. It reports
   what would be created or changed and every row error in Dutch, with the row number
   as the spreadsheet shows it (the header is row 1) and the column.
2. ``import_confirm`` reads the same stored file again (its SHA-256 is checked) and
   imports it for real in one transaction. If any row fails, now or because the
   database changed since the check, the transaction is rolled back and nothing is
   written.

Historical applications enter in their final status without a workflow transition:
none happened in this system. The status is given to the model's constructor (the
protected FSM field refuses only a change of a loaded instance), and every imported
application gets one ``TransitionLog`` row with transition ``import``, by the user who
confirmed, with the file, the row and the original decision date in the reason, so its
history says where it came from (``docs/decisions.md``). The reference counter of a
prefix and year is moved past imported references (``IF-2024-0042``), so a new
application never collides with an imported one.

An applicant is found by KvK number or, without one, by name; otherwise it is created
(an organisation with a KvK number, else a bewonersgroep without penvoerder, which open
data therefore never names). The KvK number finds a portal applicant only when an
eHerkenning login verified it (``Applicant.kvk_verified``), else an applicant the import
made; a KvK number or a name a resident typed never matches. Contact details are not imported: the earlier system's
are not ours to copy without need (AVG, data minimisation).

Modules: ``reading`` (a file into rows), ``widgets`` (cells into values, with Dutch
errors), ``resources`` (the django-import-export resources per kind) and ``services``
(the dry run, the confirmation and the ``ImportRecord`` that keeps the file between
the two).
"""

from .reading import ImportFileError
from .services import ImportOutcome, import_check, import_confirm, import_run

__all__ = [
    "ImportFileError",
    "ImportOutcome",
    "import_check",
    "import_confirm",
    "import_run",
]
