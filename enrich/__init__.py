"""Enrichment of mentions: language, sentiment (whole text and towards each brand), entities,
story grouping of near-duplicates and author influence; ``enrich.pipeline.Enricher`` runs them."""
