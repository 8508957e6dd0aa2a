"""Writes of the bezwaar procedure: lodging, handling, deciding (see the package)."""


class ObjectionError(Exception):
    """A bezwaar step that may not happen now; the message is for the user, in Dutch."""
