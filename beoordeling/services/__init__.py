"""Use cases of the assessment and the decisions; see the modules in this package."""
