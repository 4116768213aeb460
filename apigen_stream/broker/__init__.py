"""Kafka itself: a local broker without Docker, topic administration, consumer-group lag."""
