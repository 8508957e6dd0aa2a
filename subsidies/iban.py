"""An IBAN as shown outside the portal's own screens: masked.

``mask_iban`` is the one way an IBAN is masked, in the beschikking and in every e-mail
(``subsidies.mail.queue_mail`` masks each IBAN it finds in a subject or body, also
one the applicant typed in an answer). Only the applicant's own pages and the
assessors' screens show it in full.
"""

import re

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

#: An IBAN as people write it: compact, or in groups of four; any case.
_CANDIDATE = re.compile(
    r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b", re.IGNORECASE
)


def mask_iban(iban):
    """NL91ABNA0417164300 -> 'NL91 **** **** 4300': country, check digits, last four."""
    compact = "".join(str(iban or "").split()).upper()
    return f"{compact[:4]} **** **** {compact[-4:]}" if compact else ""


def _valid(candidate):
    try:
        IBAN("".join(candidate.split()).upper())
    except SchwiftyException:
        return False
    return True


def mask_ibans_in(text):
    """``text`` with every valid IBAN in it masked by ``mask_iban``."""
    if not text:
        return text
    return _CANDIDATE.sub(
        lambda match: (
            mask_iban(match.group()) if _valid(match.group()) else match.group()
        ),
        text,
    )
