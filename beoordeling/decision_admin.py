"""Wagtail admin screens for decision makers: allocation runs and letters."""
