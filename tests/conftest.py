"""Fixtures shared by every test folder: the real Kafka broker (one per session)."""

pytest_plugins = ("tests.support.kafka",)
