"""Admin pages: API keys, accounts, policy, term lists, models. Admins only (403 otherwise)."""
