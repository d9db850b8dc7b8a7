"""The code of conduct as rules: one module per concern, one explicit registry (registry.py)."""
