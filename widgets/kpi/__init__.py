"""KPI panels: chart, tile, gauge, bars, table, and what they share."""
