"""What each network is: its profile and limits (profiles, media_limits, account_limits), how it
counts text (textcount), how an account is written (handles), and the Connector protocol with the
closed set of errors (connector)."""
