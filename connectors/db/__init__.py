"""Relational sources: live databases through SQLAlchemy and SQL dumps read as streams.

Both paths end in the same place (`samples.column_events`): sampled rows become one `ColumnSample` per
column plus the table's `Facts` (row estimate, sampled rows, data age), so a dump table and the live table
it was taken from give the detector the same evidence. Nothing here writes to a database.
"""
