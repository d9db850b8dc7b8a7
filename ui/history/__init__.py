"""The Geschiedenis page and its actions (annual report, chain check, export)."""
