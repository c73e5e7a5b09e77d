"""Where releases are kept: the folder archive, atomic file writes, drafts, the unit profile."""
