"""The consent register (register), why a person cannot be shown (explain), the published posts a
withdrawal concerns (withdrawal_impact), and the import of the administration's CSV export:
reading the file (csv_reading), mapping its columns (column_mapping), checking its lines
(line_validation), applying it (csv_import) and the shared folder (share_import)."""
