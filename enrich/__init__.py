"""enrich package."""
