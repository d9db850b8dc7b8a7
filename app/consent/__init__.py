"""The consent register (register) and the import of the administration's CSV export (csv_import)."""
