"""The Toestemmingen page: the register table, edits, the import wizard, the change log and the
withdrawal impact."""
