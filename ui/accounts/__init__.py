"""The Accounts page and its dialogs (Bluesky sign-in, suspension)."""
