"""The version of netnotes, in one place below everything that needs it (the caches key on it)."""

__version__ = "0.1.0"
