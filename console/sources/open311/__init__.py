"""Open311 GeoReport v2: citizen service requests as incidents."""
