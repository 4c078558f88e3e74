"""veille package."""
