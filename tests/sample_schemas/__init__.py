"""Reduced but faithful SQLAlchemy models of well-known public sample databases.

Each module has its own ``Base`` and a ``MODELS`` list (every model of the schema, parents and
children mixed), so a test can hand the whole schema to syda at once:

* :mod:`.chinook`: the digital media store (artists, albums, tracks, invoices, playlists).
* :mod:`.sakila`: the DVD rental store, including its NOT NULL ``store`` <-> ``staff`` cycle.
* :mod:`.northwind`: the food trading company (string customer keys, composite order lines).
* :mod:`.warehouse`: composite primary and foreign keys, and a one-to-one foreign key.
* :mod:`.company`: a nullable cycle between departments and their employees.

The models are written from the public descriptions of these schemas; column names follow the
snake_case PostgreSQL ports.
"""
