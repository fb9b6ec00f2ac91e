"""syda: fill a whole relational schema with domain-realistic synthetic data."""
