"""The database underneath the store: the schema and its migrations, the SQLModel tables
that define the data, and the two backends that speak the same SQL (stdlib ``sqlite3`` for
the embedded store, SQLAlchemy for a database server)."""
