"""Camera tiles: the tile, its status bar, engines (libVLC, Qt Multimedia), budget, tours."""
