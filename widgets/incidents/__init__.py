"""The incident queue panel: filters, table, detail pane, actions, alarm banner."""
