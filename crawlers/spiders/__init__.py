"""Scrapy spiders for forums, blogs and review sites, with their profiles and pipeline."""
