"""Who may do what: moderator accounts, website API clients, credentials, passwords."""
