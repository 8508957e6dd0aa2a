"""Levels of assurance (betrouwbaarheidsniveaus) as brokers send them, and their order.

Pure: no Django. A broker sends the level in a claim (``acr`` by default) as a SAML
AuthnContextClassRef (DigiD), an eToegang assurance class (eHerkenning) or an eIDAS
level; ``level`` turns each into the portal's name for it, ``meets`` compares it with
the minimum a provider requires (DigiD Midden, eHerkenning EH3). A value the portal does
not know never meets a minimum.
"""

DIGID = "digid"
EHERKENNING = "eherkenning"

_SAML = "urn:oasis:names:tc:SAML:2.0:ac:classes:"
_ETOEGANG = "urn:etoegang:core:assurance-class:"
_EIDAS = "http://eidas.europa.eu/LoA/"

#: Each provider's levels from low to high, with the values that name each.
LEVELS = {
    DIGID: (
        ("basis", (f"{_SAML}PasswordProtectedTransport",)),
        ("midden", (f"{_SAML}MobileTwoFactorContract",)),
        ("substantieel", (f"{_SAML}Smartcard", f"{_EIDAS}substantial")),
        ("hoog", (f"{_SAML}SmartcardPKI", f"{_EIDAS}high")),
    ),
    EHERKENNING: (
        ("eh1", (f"{_ETOEGANG}loa1",)),
        ("eh2", (f"{_ETOEGANG}loa2",)),
        ("eh2+", (f"{_ETOEGANG}loa2plus", f"{_EIDAS}low")),
        ("eh3", (f"{_ETOEGANG}loa3", f"{_EIDAS}substantial")),
        ("eh4", (f"{_ETOEGANG}loa4", f"{_EIDAS}high")),
    ),
}

#: How a level is named to a resident ("DigiD Midden").
LABELS = {
    "basis": "DigiD Basis",
    "midden": "DigiD Midden",
    "substantieel": "DigiD Substantieel",
    "hoog": "DigiD Hoog",
    "eh1": "eHerkenning EH1",
    "eh2": "eHerkenning EH2",
    "eh2+": "eHerkenning EH2+",
    "eh3": "eHerkenning EH3",
    "eh4": "eHerkenning EH4",
}


def _names(provider):
    return [name for name, _values in LEVELS[provider]]


def level(provider, claimed):
    """The portal's name of the claimed level, or None when it is not one it knows.

    Takes the broker's value (a URN) or the name itself ("midden", "EH3"); a list (some
    brokers send ``acr`` values as a list) counts by its highest known level.
    """
    if provider not in LEVELS or claimed is None:
        return None
    if isinstance(claimed, (list, tuple)):
        known = [level(provider, value) for value in claimed]
        known = [name for name in known if name is not None]
        return max(known, key=_names(provider).index, default=None)
    value = str(claimed).strip()
    for name, values in LEVELS[provider]:
        if value.lower() == name or value in values:
            return name
    return None


def meets(provider, claimed, minimum):
    """True when the claimed level is at least ``minimum`` (a level's name).

    A provider or minimum the portal does not know is a configuration error, not a
    level too low: it raises ``ValueError``.
    """
    if provider not in LEVELS:
        raise ValueError(f"unknown provider {provider!r}")
    names = _names(provider)
    if minimum not in names:
        raise ValueError(f"unknown minimum level {minimum!r} for {provider}")
    found = level(provider, claimed)
    return found is not None and names.index(found) >= names.index(minimum)
