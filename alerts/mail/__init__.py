"""Email: building MIME messages, the durable outgoing queue, and the transports (SMTP, outbox)."""
