"""Login through an OpenID Connect broker: DigiD, eHerkenning and staff sign-on.

The route Open Forms and most Dutch municipal portals take: the gemeente's broker
speaks SAML to DigiD and eHerkenning and OpenID Connect to the portal. The portal is an
ordinary relying party (mozilla-django-oidc; the comparison with django-digid-eherkenning
is in docs/decisions.md), one client per provider, each configured from the environment
(``settings.OIDC_PROVIDERS``).

- ``assurance``: the levels of assurance and their order (pure).
- ``providers``: which providers are configured, their endpoints (discovery), and which
  logins the login pages offer.
- ``identities``: the keyed hash and the accounts a verified identity logs in to.
- ``backends``: one authentication backend per provider; each answers only its own
  callback.
- ``views``: start, callback (with the Dutch failure page) and the provider's logout.
"""
