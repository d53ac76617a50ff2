"""Policy reader benchmark: `policy extract` vs a keyword baseline, scored by the devset's own scorer."""
