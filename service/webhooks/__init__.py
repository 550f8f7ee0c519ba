"""Webhooks: tell a website of every decision after its first answer (a transactional outbox)."""
