"""Several PCs, one wall: nodes that follow a controller, and meetings, over MQTT."""
