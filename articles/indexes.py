"""Database indexes that degrade on backends without the PostgreSQL feature."""

from django.contrib.postgres.indexes import GinIndex
from django.db.models import Index


class SearchVectorIndex(GinIndex):
    """A GIN index on PostgreSQL; a plain index elsewhere.

    SQLite cannot build GIN indexes, and it rebuilds every index of a table
    when a later migration alters the table, so the fallback must be valid
    SQL there too rather than skipped once.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        return Index.create_sql(self, model, schema_editor, using=using, **kwargs)
