"""Data of the synthetic linkage test set (invented; no real person's record)."""
