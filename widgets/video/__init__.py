"""Camera tiles on screen: the tile and its pages, status bar, players (libVLC, Qt Multimedia)."""
