"""The release record: its model and validation, and the dates it speaks of."""
