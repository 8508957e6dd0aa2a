"""Wagtail admin screens for assessors: the queue and the application detail."""
