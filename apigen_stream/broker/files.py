"""The text files a local Kafka broker needs: the Maven pom that resolves it, its properties.

Pure functions of their arguments, no I/O, so the settings are tested without a JVM. The
docker compose file in ``deploy/`` sets the same broker settings for the official image.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping
from pathlib import Path

# 3.9.x is the newest line whose protocol versions aiokafka is exercised against most; the
# docker compose image uses the same version so both ways of running behave alike.
KAFKA_VERSION = "3.9.1"
SCALA_VERSION = "2.13"
# Kafka 3.9 ships no logging backend: slf4j 1.7 binding to reload4j, the pair Kafka's own
# distribution tarball bundles for 3.x.
SLF4J_RELOAD4J_VERSION = "1.7.36"
RELOAD4J_VERSION = "1.2.25"

POM_TEMPLATE = """\
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0
                             https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>apigen-stream</groupId>
  <artifactId>local-kafka</artifactId>
  <version>{kafka_version}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_{scala_version}</artifactId>
      <version>{kafka_version}</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-reload4j</artifactId>
      <version>{slf4j_version}</version>
    </dependency>
    <dependency>
      <groupId>ch.qos.reload4j</groupId>
      <artifactId>reload4j</artifactId>
      <version>{reload4j_version}</version>
    </dependency>
  </dependencies>
</project>
"""

# One combined KRaft node for development and tests; every value is explained in
# deploy/kafka/README.md. The single-replica settings are what make transactions and consumer
# groups work on one broker at all.
SINGLE_NODE_SETTINGS: Mapping[str, str] = {
    "process.roles": "broker,controller",
    "node.id": "1",
    "controller.listener.names": "CONTROLLER",
    "inter.broker.listener.name": "PLAINTEXT",
    "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
    "offsets.topic.replication.factor": "1",
    "transaction.state.log.replication.factor": "1",
    "transaction.state.log.min.isr": "1",
    # A consumer group's first join otherwise waits 3 s for more members.
    "group.initial.rebalance.delay.ms": "0",
    # 50 partitions each by default: creating them dominates the first join and transaction.
    "offsets.topic.num.partitions": "4",
    "transaction.state.log.num.partitions": "4",
    # Topics come from topics/topics.toml only; a typo in a topic name must fail, not create.
    "auto.create.topics.enable": "false",
    "num.partitions": "1",
    "log.segment.bytes": str(64 * 1024 * 1024),  # small segments: a dev disk, not a cluster
}

LOG4J_PROPERTIES = """\
# Broker logs go to files in the data directory: the console stays quiet.
log4j.rootLogger=INFO, server
log4j.appender.server=org.apache.log4j.RollingFileAppender
log4j.appender.server.File=${kafka.logs.dir}/server.log
log4j.appender.server.MaxFileSize=20MB
log4j.appender.server.MaxBackupIndex=2
log4j.appender.server.layout=org.apache.log4j.PatternLayout
log4j.appender.server.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
# The request log is one line per request: far too much for a dev broker.
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
"""


def pom_xml(kafka_version: str = KAFKA_VERSION) -> str:
    """A ``packaging=pom`` project whose runtime dependencies are the whole broker classpath."""
    return POM_TEMPLATE.format(
        kafka_version=kafka_version,
        scala_version=SCALA_VERSION,
        slf4j_version=SLF4J_RELOAD4J_VERSION,
        reload4j_version=RELOAD4J_VERSION,
    )


def server_properties(port: int, controller_port: int, log_dir: Path) -> str:
    """``server.properties`` of one combined broker+controller on 127.0.0.1."""
    settings = {
        **SINGLE_NODE_SETTINGS,
        "controller.quorum.voters": f"1@127.0.0.1:{controller_port}",
        "listeners": f"PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}",
        "advertised.listeners": f"PLAINTEXT://127.0.0.1:{port}",
        "log.dirs": str(log_dir),
    }
    return "".join(f"{key}={value}\n" for key, value in settings.items())


def parse_properties(text: str) -> dict[str, str]:
    """The ``key=value`` pairs of a Java properties file (comments and blank lines skipped)."""
    pairs: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith(("#", "!")) and "=" in line:
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def listener_ports(properties: Mapping[str, str]) -> tuple[int, int]:
    """(broker port, controller port) from a ``server.properties`` written by this module."""
    ports: dict[str, int] = {}
    for listener in properties["listeners"].split(","):
        name, _, address = listener.partition("://")
        ports[name] = int(address.rsplit(":", 1)[1])
    return ports["PLAINTEXT"], ports["CONTROLLER"]


def random_cluster_id() -> str:
    """A KRaft cluster id as ``kafka-storage.sh random-uuid`` prints it (no JVM start needed).

    Kafka's ``Uuid.toString`` is the URL-safe base64 of 16 random bytes without padding; it
    never hands out ids starting with ``-`` (they read as command-line flags).
    """
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not text.startswith("-"):
            return text
