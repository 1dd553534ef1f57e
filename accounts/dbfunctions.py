"""Database functions the apps share, written once for PostgreSQL and SQLite alike."""

from django.db.models import Func, IntegerField


class DaysBetween(Func):
    """Whole days from ``start`` to ``end`` (two dates) as an integer, on PostgreSQL and SQLite alike."""

    output_field = IntegerField()

    def __init__(self, end, start):
        super().__init__(end, start)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )
