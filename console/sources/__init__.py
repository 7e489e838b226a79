"""Adapters for backend protocols: one async client per protocol, returning domain records."""
