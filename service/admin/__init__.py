"""Admin pages: API keys, accounts, policy thresholds, models. Admins only (403 otherwise)."""
