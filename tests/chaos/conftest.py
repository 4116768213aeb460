"""The chaos tests use the integration tests' broker fixtures."""

from tests.integration.conftest import _kafka_session, kafka_bootstrap, local_kafka, make_topic

__all__ = ["_kafka_session", "kafka_bootstrap", "local_kafka", "make_topic"]
