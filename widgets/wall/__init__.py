"""Wall windows: pages of framed panels, controls, links between panels, screens."""
