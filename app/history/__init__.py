"""The tamper-evident history: the hash chain (chain), bundles from many laptops (bundle), and the
annual report for the IBT (annual_report)."""
