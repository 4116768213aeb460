"""Importable helpers for tests: tool modules the sandbox runs by ``module:function``."""
