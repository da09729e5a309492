"""ceasewatch: monitor and verify ceasefire agreements."""

__version__ = "0.1.0"
