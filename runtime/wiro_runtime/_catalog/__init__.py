"""Wiro's catalogue: searching tools and reading one tool's schema."""
