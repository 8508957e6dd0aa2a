"""Assessment records: randvoorwaarden, rubrics, assignments, scores."""

__all__ = []
