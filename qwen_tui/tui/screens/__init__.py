"""Screens: the main three-pane explorer and the overlays it opens (help, compare, changes, copy)."""
