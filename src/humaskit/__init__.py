"""humaskit: draft, render and archive the news releases of Indonesian government units."""

__version__ = "0.1.0"
