"""Accounts: Himaya's user model (organisations and grants come later)."""
