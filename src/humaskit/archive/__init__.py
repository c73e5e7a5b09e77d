"""Where releases are kept: the folder archive, its atomic file writes, drafts and the unit profile."""
