"""Benchmarks (not tests): each prints figures as ratios against a baseline run side by side."""
