"""Edit mode on the live wall: split, merge, kinds, settings, swap, save."""
