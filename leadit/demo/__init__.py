"""Demo data: the curated fixture with its sources (builder), demo users, and synthetic
projects for scale tests and benchmarks. Development and tests only."""
