"""Guided drafting with questionary: flows that return a release; no file I/O of their own."""
