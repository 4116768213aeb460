"""Chaos tests: processes and brokers killed and restarted under load."""
