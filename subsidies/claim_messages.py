"""What a resident reads on "Aanvraag van het wijkbureau overnemen" when the printed
code is not accepted (``services_assisted.assisted_claim``).

Kept apart from ``services_assisted`` (whose other texts are for the wijkbureau and
stay Dutch) so this module is listed as resident-facing in ``tests/i18n/sources.py``
and each text has an English one. Lazy: the text follows the resident's language
when it is shown.
"""

from django.utils.translation import gettext_lazy as _

NOT_LOGGED_IN = _("Log eerst in met DigiD. Vul daarna de code in.")
STAFF = _("Als medewerker van de gemeente kunt u geen aanvraag overnemen.")
NO_DIGID = _(
    "U bent niet ingelogd met DigiD. Log in met DigiD om een aanvraag van het "
    "wijkbureau over te nemen."
)
TOO_OFTEN = _(
    "U probeerde te vaak een code. Wacht een kwartier en probeer het dan opnieuw. "
    "Of bel het wijkbureau."
)
WRONG = _(
    "Deze code klopt niet. Kijk of u de code goed overnam van het papier van het "
    "wijkbureau."
)
NOT_A_CONCEPT = _(
    "Deze aanvraag is geen concept meer. U kunt hem niet overnemen. Bel het wijkbureau."
)
USED = _(
    "Iemand gebruikte deze code al. De aanvraag staat nu bij die persoon. Klopt dat "
    "niet? Bel het wijkbureau."
)
EXPIRED = _(
    "Deze code is te oud en werkt niet meer. Vraag het wijkbureau om een nieuwe "
    "code. Of begin zelf een nieuwe aanvraag."
)
