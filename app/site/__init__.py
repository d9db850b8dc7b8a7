"""The site configuration: its schema and loading (config), and the record of its changes (audit)."""
