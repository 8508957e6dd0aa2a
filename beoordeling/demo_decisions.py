"""Demo allocation runs, decisions and letters on the seeded applications."""


def seed_decisions(*, now):
    """Filled in by the decision work."""
