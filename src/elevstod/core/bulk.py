"""Inserting and updating many rows of one model fast, for bulk writers (the SS 12000 import).

``rows_insert`` takes plain tuples of column values, not model instances, and returns the new
rows' ids in order. On PostgreSQL it draws the ids from the table's sequence in one query and
sends the rows with ``COPY``; elsewhere it is ``bulk_create``. Both give the same rows: fields
with ``auto_now``/``auto_now_add`` left out are set to now, other fields left out take their
model default. It sends no signals and runs no ``save()``, like ``bulk_create``; values are
taken as given, but for those of JSON fields, sent as JSON.

``rows_append`` inserts rows alike in most columns (a page's access-log rows) in one
statement: the shared values sent once, the others as arrays (``INSERT … SELECT … FROM
unnest(…)``) on PostgreSQL, by ``executemany`` elsewhere; the ids from the table's sequence,
in the rows' order.

``tables_analyze`` refreshes PostgreSQL's statistics of tables that a bulk writer has grown:
a table filled within minutes has none yet (autovacuum comes later), and the planner, thinking
it nearly empty, then scans a whole kind of rows where an index would find a few.

``rows_matching`` reads the rows whose unique column holds one of many values. On PostgreSQL
each value is looked up on its own (``unnest`` and a ``LATERAL`` subquery), one probe of the
unique b-tree each, whatever the planner's statistics say: with ``= ANY(…)`` a column that also
has a trigram index (the person search's, on the civic number) was read through that index,
whose posting lists of digits grow with the table (seconds per batch at 20,000 persons), and
the lookups by external id took several times as long as the probes.

``rows_update`` sets columns of many rows, each row its own values, in one statement on
PostgreSQL (``UPDATE … FROM unnest(…)``, linear in the rows, where ``bulk_update``'s
``CASE`` grows with the square of them) and by ``executemany`` elsewhere."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.db import connection, models
from django.utils import timezone

BATCH = 1000
_M = TypeVar("_M", bound=models.Model)


def rows_insert(
    model: type[models.Model],
    columns: Sequence[str],
    values: Sequence[Sequence[Any]],
    *,
    ids: bool = True,
) -> list[int]:
    """Insert ``values`` (one tuple per row, in the order of ``columns``, attribute names such
    as ``pupil_id``); returns the ids of the rows, in the same order. Without ``ids`` it
    returns none, and on PostgreSQL the table's sequence numbers the rows, in their order, as
    they arrive (one query fewer, and no ids drawn and sent)."""
    if not values:
        return []
    names, rows = _complete(model, list(columns), values)
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(names, row, strict=True))) for row in rows]
        model._default_manager.bulk_create(objs, batch_size=BATCH)
        return [int(obj.pk) for obj in objs] if ids else []
    pk = model._meta.pk
    assert pk is not None
    fields = {f.attname: f for f in model._meta.concrete_fields}
    rows = _json_prepared([fields[n] for n in names], rows)
    drawn = _draw_ids(model, len(rows)) if ids else []
    if ids:
        names, rows = [pk.attname, *names], [(i, *row) for i, row in zip(drawn, rows, strict=True)]
    quoted = ", ".join(connection.ops.quote_name(fields[n].column) for n in names)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
    return drawn


def _json_prepared(
    fields: list[models.Field[Any, Any]], rows: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """The rows with the values of JSON fields made into the JSON the field would send."""
    json = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    if not json:
        return rows
    prep = [(i, fields[i].get_db_prep_value) for i in json]
    out = []
    for row in rows:
        values = list(row)
        for i, to_db in prep:
            values[i] = to_db(values[i], connection)
        out.append(tuple(values))
    return out


def _complete(
    model: type[models.Model], names: list[str], values: Sequence[Sequence[Any]]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Add the fields not given: timestamps now, others their default."""
    now = timezone.now()
    extra: list[tuple[str, Any]] = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in names:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            extra.append((field.attname, now))
        else:
            extra.append((field.attname, field.get_default()))
    tail = tuple(value for _, value in extra)
    return [*names, *(name for name, _ in extra)], [(*row, *tail) for row in values]


_SEQUENCES: dict[tuple[str, str], str] = {}


def _draw_ids(model: type[models.Model], n: int) -> list[int]:
    """``n`` ids from the table's sequence. The sequence's name is looked up once: asked in
    the same query, ``pg_get_serial_sequence`` was evaluated again for every id drawn (6 ms
    for 500 ids, 3.7 s of a 100,000-person import, against 0.2 ms)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [_sequence(model), n]
        )
        return sorted(int(r[0]) for r in cursor.fetchall())  # rows in order, ids ascending


def _sequence(model: type[models.Model]) -> str:
    pk = model._meta.pk
    assert pk is not None
    key = (connection.settings_dict["NAME"], model._meta.db_table)
    if key not in _SEQUENCES:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [key[1], pk.column])
            _SEQUENCES[key] = str(cursor.fetchone()[0])
    return _SEQUENCES[key]


def rows_matching(
    model: type[_M], attname: str, values: Iterable[Any], **equal: object
) -> list[_M]:
    """The rows of ``model`` whose column ``attname`` holds one of ``values`` and whose columns
    in ``equal`` (attribute names) hold those values; ``attname`` must be unique among such
    rows (a unique field, or unique together with the ``equal`` columns)."""
    wanted = list(values)
    if not wanted:
        return []
    manager = model._default_manager
    if connection.vendor != "postgresql":
        return list(manager.filter(**{f"{attname}__in": wanted}, **equal))
    sql = _probes(model, attname, "found.*", equal)
    return list(manager.raw(sql, [wanted, *equal.values()]))


def ids_matching(
    model: type[models.Model], attname: str, values: Iterable[Any], **equal: object
) -> dict[Any, int]:
    """``rows_matching`` as the id of each value found (value -> id), without making the rows:
    for a lookup that needs only the ids (the members of a batch of groups: 11,000 persons)."""
    wanted = list(values)
    if not wanted:
        return {}
    if connection.vendor != "postgresql":
        rows = model._default_manager.filter(**{f"{attname}__in": wanted}, **equal)
        return dict(rows.values_list(attname, "pk"))
    pk = model._meta.pk
    assert pk is not None
    quote = connection.ops.quote_name
    sql = _probes(model, attname, f"wanted.value, found.{quote(pk.column)}", equal)
    params: list[Any] = [wanted, *equal.values()]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def _probes(model: type[models.Model], attname: str, select: str, equal: dict[str, object]) -> str:
    """One probe of the unique index per wanted value (see the module's text)."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    column = quote(fields[attname].column)
    also = "".join(f" AND {quote(fields[name].column)} = %s" for name in equal)
    field = fields[attname]
    # text, not varchar(n): a cast to varchar(n) would cut a longer value and match another row
    text = field.get_internal_type() in ("CharField", "SlugField", "EmailField", "TextField")
    cast = "text" if text else field.cast_db_type(connection)  # type: ignore[attr-defined]
    return (  # names from the model's own fields, quoted; every value is a parameter
        f"SELECT {select} FROM unnest(%s::{cast}[]) AS wanted(value) "  # noqa: S608
        f"CROSS JOIN LATERAL (SELECT * FROM {quote(model._meta.db_table)} "
        f"WHERE {column} = wanted.value{also} LIMIT 1) AS found"
    )


def rows_update(
    model: type[models.Model], columns: Sequence[str], values: Sequence[Sequence[Any]]
) -> None:
    """Set ``columns`` (attribute names) of the rows whose ids come first in each tuple of
    ``values``: ``(id, value, …)``. Fields with ``auto_now`` are set to now as well."""
    if not values:
        return
    meta = model._meta
    fields = {f.attname: f for f in meta.concrete_fields}
    now = [name for name, f in fields.items() if getattr(f, "auto_now", False)]
    names = [*columns, *(n for n in now if n not in columns)]
    stamp = timezone.now()
    rows = [(*row, *(stamp for n in now if n not in columns)) for row in values]
    table = connection.ops.quote_name(meta.db_table)
    pk = meta.pk
    assert pk is not None
    quote = connection.ops.quote_name
    if connection.vendor != "postgresql":
        sets = ", ".join(f"{quote(fields[n].column)} = %s" for n in names)
        # names from the model's own fields, quoted; every value is a parameter
        sql = f"UPDATE {table} SET {sets} WHERE {quote(pk.column)} = %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.executemany(sql, [(*row[1:], row[0]) for row in rows])
        return
    all_fields = [pk, *(fields[n] for n in names)]
    arrays = ", ".join(f"%s::{f.cast_db_type(connection)}[]" for f in all_fields)  # type: ignore[attr-defined]
    alias = ", ".join(quote(f.column) for f in all_fields)
    sets = ", ".join(f"{quote(fields[n].column)} = v.{quote(fields[n].column)}" for n in names)
    sql = (  # names from the model's own fields, quoted; every value is a parameter
        f"UPDATE {table} SET {sets} FROM unnest({arrays}) AS v({alias}) "  # noqa: S608
        f"WHERE {table}.{quote(pk.column)} = v.{quote(pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])


def rows_append(
    model: type[models.Model],
    fixed: dict[str, Any],
    columns: Sequence[str],
    values: Sequence[Sequence[Any]],
    *,
    only_if_free: int | None = None,
) -> bool:
    """Insert one row of ``model`` per tuple of ``values`` (attribute names in ``columns``:
    ids, numbers and texts, taken as given), each with the values of ``fixed`` (made ready for
    the database here); other fields take their database default (the id). One statement.
    ``only_if_free`` (PostgreSQL): an advisory lock's key; the rows are inserted only if that
    lock is free at once, and then held to the statement's end. Whether the rows were written."""
    if not values:
        return True
    fields = {f.attname: f for f in model._meta.concrete_fields}
    shared = [fields[n].get_db_prep_save(v, connection) for n, v in fixed.items()]
    quote = connection.ops.quote_name
    names = ", ".join(quote(fields[n].column) for n in [*fixed, *columns])
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            marks = ", ".join(["%s"] * (len(fixed) + len(columns)))
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, [(*shared, *row) for row in values])
            return True
        kept = ", ".join(f"%s::{_base_type(fields[n])}" for n in fixed)
        arrays = ", ".join(f"%s::{_base_type(fields[n])}[]" for n in columns)
        alias = ", ".join(f"v{i}" for i in range(len(columns)))
        sql = (  # names from the model's own fields, quoted; every value is a parameter
            f"INSERT INTO {table} ({names}) SELECT {kept}, {alias} "  # noqa: S608
            f"FROM unnest({arrays}) AS v({alias})"
        )
        params = [*shared, *(list(c) for c in zip(*values, strict=True))]
        if only_if_free is not None:
            sql += " WHERE pg_try_advisory_xact_lock(%s)"
            params.append(only_if_free)
        cursor.execute(sql, params)
        return only_if_free is None or cursor.rowcount > 0


def _base_type(field: models.Field[Any, Any]) -> str:
    """The column's type without its length (a cast to ``varchar(n)`` would cut a value)."""
    return str(field.db_type(connection)).split("(")[0]


def tables_analyze(*tables: type[models.Model]) -> None:
    """``ANALYZE`` the models' tables on PostgreSQL; elsewhere nothing."""
    if connection.vendor != "postgresql":
        return
    names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {names}")
