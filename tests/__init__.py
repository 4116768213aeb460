"""The test suite; a package so that test support code imports as ``tests.support``."""
