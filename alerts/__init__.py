"""Alerts: rule types evaluated on Elasticsearch aggregations, alert state kept in ES, email
notifications (SMTP or a local outbox) and the daily digest."""
