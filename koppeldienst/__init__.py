"""The koppeldienst: the small service the foundation runs to hold the Meta and LinkedIn app
secrets (code exchanges, refreshes) and to host Instagram photos for minutes. It stores no tokens.
Its HTTP API is docs/koppeldienst-api.md."""

VERSION = "0.1.0"
