"""Qt panels and windows: thin views bound to the stores in console/."""
