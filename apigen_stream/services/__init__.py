"""The services around the stages: the sampler, the sink, and ``up``'s supervised processes."""
