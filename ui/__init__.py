"""Qt widgets only: they show the core's state and forward the user's intent; no policy here."""
