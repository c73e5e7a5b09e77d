"""Bringing published releases and old records into the archive."""
