"""The runtime: everything that touches Kafka, the in-memory bus, HTTP serving and signals."""
