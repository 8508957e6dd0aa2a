"""Use cases of the decisions (the only writers of their records); see the modules in this package."""
