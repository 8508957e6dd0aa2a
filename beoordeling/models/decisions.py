"""Allocation runs, decisions (beschikkingen) and their letters."""

__all__ = []
