"""The offline generator: queries from each API's own templates, with realistic values."""
