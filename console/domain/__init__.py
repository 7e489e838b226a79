"""Shared domain: records (the API's wire format), time, formatting, text, geometry, session."""
