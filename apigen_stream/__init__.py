"""apigen-stream: APIGen as streaming services that emit verified function-calling data."""

__version__ = "0.1.0"
