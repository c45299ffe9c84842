"""Core: site-wide pages, base template, static assets and shared helpers."""
