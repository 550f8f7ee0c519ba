"""Retraining: labels from decisions, label files, the promotion gate and its measures."""
