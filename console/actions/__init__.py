"""Operator actions that are never lost: the durable outbox and the audit log."""
