"""The stage engine: a stage's pure handler run exactly-once over Kafka or in process."""
