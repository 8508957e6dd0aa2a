"""Assessment and decision records.

- ``assessment``: randvoorwaarden per scheme and their outcome per application, versioned
  rubrics, assessor assignments with conflict-of-interest declarations, scores.
- ``decisions``: allocation runs per round and their results, decisions (beschikkingen)
  with their letters.
- ``exports``: the log of exports and imports, and background export jobs.
- ``objections``: bezwaren against a beschikking, their handling and their log.
- ``payments``: the payments ledger (voorschot, betaling, terugvordering), payment
  batches with four eyes, and imported bank statements.

The pure rules live in ``beoordeling.preconditions``, ``scoring`` and ``allocation``.
"""

from .assessment import *  # noqa: F403
from .decisions import *  # noqa: F403
from .exports import *  # noqa: F403
from .objections import *  # noqa: F403
from .payments import *  # noqa: F403
from .reports import *  # noqa: F403
