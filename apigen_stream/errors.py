"""The one exception tree of apigen-stream.

What the engine does with an error is a property of its class: ``retriable`` errors are retried
with backoff, ``dead_letter`` errors send the input record to ``apigen.dlq`` and the stage goes on.
Third-party errors are wrapped ``from exc`` so callers only ever catch ``ApigenError``.
"""

from __future__ import annotations


class ApigenError(Exception):
    """Root of every error apigen-stream raises on purpose."""

    retriable: bool = False
    dead_letter: bool = False


class ConfigError(ApigenError):
    """The configuration file or environment is invalid; the message says which key and why."""


class BrokerUnavailable(ApigenError):
    """The Kafka bootstrap servers did not answer in time."""

    retriable = True


class BrokerRefused(ApigenError):
    """The broker refused the stage for good (a missing topic, no authorisation): not retried."""


class ChangelogMismatch(BrokerRefused):
    """A state store's changelog topic is missing or its partitions do not pair with the input's."""


class ServeUnavailable(ApigenError):
    """The /metrics, /healthz and /readyz endpoints cannot listen where configured."""


class KafkaSetupError(ApigenError):
    """The local Kafka broker could not be fetched, formatted or started."""


class DecodeError(ApigenError):
    """Input bytes are not a valid record of the topic's type: the record is dead-lettered."""

    dead_letter = True


class HandlerBug(ApigenError):
    """A stage handler raised unexpectedly: the record is dead-lettered so the stage goes on."""

    dead_letter = True


class LLMUnavailable(ApigenError):
    """The LLM endpoint is unreachable or refused the credentials at start-up."""


class LLMError(ApigenError):
    """An LLM request failed after its retries; ``requests`` and ``tokens`` are what it spent."""

    def __init__(self, message: str, *, requests: int = 0, tokens: int = 0) -> None:
        super().__init__(message)
        self.requests = requests
        self.tokens = tokens


class SandboxError(ApigenError):
    """The execution sandbox could not start or lost its workers beyond repair."""


class UnknownApi(ApigenError):
    """A tool name is not in the API library."""


class ToolImportError(ApigenError):
    """A user's tool definitions (Python module, OpenAPI spec, JSON tools) could not be imported."""


class DatasetError(ApigenError):
    """A dataset file could not be read: wrong format, bad row; the message names the row."""
