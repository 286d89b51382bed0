"""Reads of the policies module. Each selector owns its select_related / prefetch_related."""
