"""The built-in APIs: one module per category of the paper, each API a real offline computation."""
