"""Himaya: an information system against child labour."""

__version__ = "0.1.0"
