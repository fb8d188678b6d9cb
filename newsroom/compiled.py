"""Querysets compiled to SQL once per process, then run with new values.

Building and compiling a queryset costs the ORM 0.3–1 ms, more than
PostgreSQL spends answering the small indexed queries behind a reader page.
A CompiledQuery builds its queryset once from sample values, keeps the SQL,
and finds where each value sits among the parameters; each call runs that
SQL with the call's values and turns the rows into model instances the way
the ORM does. The rules stay in the queryset methods: only their
compilation is kept, so a change to them changes the compiled SQL too.
"""

import datetime
import threading
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import ModelIterable, get_related_populators


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple  # (name, index in params) of each value of a call
    compiler: object  # Django's SQLCompiler, which knows the selected columns


class CompiledQuery:
    """build(**values) -> QuerySet, compiled once per database and window.

    samples: a value of each name build takes, of the type calls pass.
    window: a (start, stop) slice of the rows, as a paginator asks; each
    window is compiled once (LIMIT and OFFSET are part of the SQL).
    prepare: on PostgreSQL, run it as a prepared statement, which may get
    one generic plan for every value. Only for queries whose best plan does
    not depend on the values (an index walk on the columns compared): a
    join by section kind, for one, got a generic plan 15 times slower.
    Values may change parameters, never the SQL: a call with a value that
    would (None, a list of another length) must not use a compiled query,
    and compiling finds out if a build does so for its samples.
    """

    def __init__(self, build, *, prepare=False, using=DEFAULT_DB_ALIAS, **samples):
        self.build = build
        self.samples = samples
        self.prepare = prepare
        self.using = using
        self._compiled = {}
        self._lock = threading.Lock()

    def __call__(self, window=None, **values):
        """The model instances of build(**values)[slice(*window)], a list."""
        compiled, connection = self._for_connection(window)
        compiler = compiled.compiler
        with _cursor(connection, self.prepare) as cursor:
            cursor.execute(compiled.sql, self._bind(compiled, connection, values))
            rows = cursor.fetchall()
        if compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        return list(_instances(compiler, rows, connection.alias))

    def count(self, window=None, **values):
        """How many rows build(**values)[slice(*window)] has."""
        compiled, connection = self._for_connection(window)
        with _cursor(connection, self.prepare) as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM ({compiled.sql}) counted",
                self._bind(compiled, connection, values),
            )
            return cursor.fetchone()[0]

    def _for_connection(self, window):
        connection = connections[self.using]
        key = (connection.vendor, window)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key)
                if compiled is None:
                    compiled = self._compile(connection, window)
                    self._compiled[key] = compiled
        return compiled, connection

    def _bind(self, compiled, connection, values):
        if values.keys() != self.samples.keys():
            raise TypeError(f"expected values for {sorted(self.samples)}")
        params = list(compiled.params)
        for name, index in compiled.slots:
            params[index] = _adapt(values[name], connection)
        return params

    def _compile(self, connection, window):
        """SQL and parameters from the samples, and from a second set that
        differs in every value: where the parameters differ, the values go."""
        others = {name: _other(value) for name, value in self.samples.items()}
        first, second = self._sql(self.samples, window), self._sql(others, window)
        (sql, params, compiler), (other_sql, other_params, _) = first, second
        if sql != other_sql or len(params) != len(other_params):
            raise ImproperlyConfigured(
                "A value changes this query's SQL, not only its parameters."
            )
        slots = []
        for index, (one, two) in enumerate(zip(params, other_params, strict=True)):
            if one == two:
                continue
            names = [
                name
                for name, sample in self.samples.items()
                if _adapt(sample, connection) == one
                and _adapt(_other(sample), connection) == two
            ]
            if len(names) != 1:
                raise ImproperlyConfigured(
                    f"Parameter {index} of this query is no single value of "
                    f"{sorted(self.samples)}; give the samples distinct values."
                )
            slots.append((names[0], index))
        return _Compiled(sql, tuple(params), tuple(slots), compiler)

    def _sql(self, values, window):
        queryset = self.build(**values)
        if window is not None:
            queryset = queryset[slice(*window)]
        if queryset._iterable_class is not ModelIterable or (
            queryset._prefetch_related_lookups or queryset._known_related_objects
        ):
            raise ImproperlyConfigured(
                "Only plain model querysets compile: no values(), prefetches "
                "or related managers."
            )
        compiler = queryset.query.get_compiler(using=self.using)
        sql, params = compiler.as_sql()
        return sql, params, compiler


class CompiledListing:
    """What a paginator takes of a queryset, from compiled queries: rows
    (slices of `rows`) and a count (of `counted`, which may leave the
    ordering and most columns out), both for the same values.

    Every slice is read as start + page_size rows, so that a paginator's
    last page, which ends at the count, compiles no window of its own.
    """

    ordered = True  # rows orders its rows; Paginator asks.

    def __init__(self, rows, counted, *, page_size, model, **values):
        self.rows, self.counted = rows, counted
        self.page_size, self.model, self.values = page_size, model, values

    def __getitem__(self, window):
        start = window.start or 0
        if window.step or window.stop is None or window.stop - start > self.page_size:
            raise ValueError("CompiledListing gives one page of rows at a time.")
        rows = self.rows(window=(start, start + self.page_size), **self.values)
        return rows[: window.stop - start]

    def count_first(self, limit):
        """How many rows there are, counting no further than limit."""
        return self.counted.count(window=(0, limit), **self.values)


def _cursor(connection, prepare):
    """A cursor for compiled queries; on PostgreSQL, if asked, one that
    prepares them.

    A prepared statement is parsed once per connection, and PostgreSQL plans
    it once when a plan for any values costs no more than planning each call
    (as for an article by its slug, a section's newest rows): that planning
    cost more than running these queries. Logged and counted like any
    Django cursor.
    """
    if (
        not prepare
        or connection.vendor != "postgresql"
        or (
            connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is None
        )
    ):
        return connection.cursor()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = _PreparingCursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(cursor)
    return connection.make_cursor(cursor)


def _preparing_cursor_class():
    try:
        from django.db.backends.postgresql.base import ServerBindingCursor
    except ImportError:  # no psycopg 3: PostgreSQL is not in use
        return None

    class PreparingCursor(ServerBindingCursor):
        """Django's server-side binding cursor, preparing what it runs."""

        def execute(self, query, params=None, *, prepare=True, **kwargs):
            return super().execute(query, params, prepare=prepare, **kwargs)

    return PreparingCursor


_PreparingCursor = _preparing_cursor_class()


def _other(value):
    """A value of the same type, different from value (for _compile)."""
    if isinstance(value, bool):
        raise ImproperlyConfigured("A flag changes SQL; build one query per flag.")
    if isinstance(value, int):
        return value + 7919
    if isinstance(value, str):
        return value + "-other"
    if isinstance(value, datetime.datetime):
        return value + datetime.timedelta(days=1, seconds=1)
    raise ImproperlyConfigured(f"No compiled parameters of type {type(value)}.")


def _adapt(value, connection):
    """value as the ORM passes it to the driver (datetimes: per backend)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _instances(compiler, rows, alias):
    """Model instances from rows, as Django's ModelIterable makes them
    (select_related objects and annotations included)."""
    select, klass_info = compiler.select, compiler.klass_info
    model = klass_info["model"]
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    init_list = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, alias)
    annotations = compiler.annotation_col_map.items()
    for row in compiler.results_iter([rows]):
        instance = model.from_db(alias, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, instance)
        for name, position in annotations:
            setattr(instance, name, row[position])
        yield instance
