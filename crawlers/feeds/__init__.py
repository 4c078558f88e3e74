"""Feed polling (RSS/Atom with feedparser)."""
