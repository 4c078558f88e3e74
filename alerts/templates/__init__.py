"""Jinja2 templates of alert and digest emails (HTML autoescaped, plain text)."""
