"""Fixtures of the audit tests."""
