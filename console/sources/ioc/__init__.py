"""The native IOC Console API: REST, Server-Sent Events, and the sync that follows them."""
