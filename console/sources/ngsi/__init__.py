"""FIWARE NGSI-LD: KPIs, map points, Alerts and Complaints from a context broker."""
