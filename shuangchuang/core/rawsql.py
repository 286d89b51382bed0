"""Lean SQL for hot paths (the voucher redemption and the audit append), where building queries through the ORM
costs more CPU than the database spends answering them.

`insert_objects` inserts model instances the way `bulk_create` does — each field's `pre_save` (auto_now_add,
files) and `get_db_prep_save` (JSON, dates) — but builds its INSERT … RETURNING once per model and row count.
`for_update` is the row-lock clause where the database has one (SQLite locks the whole database on write).
Use them only where a benchmark shows the ORM's cost; everywhere else the ORM is clearer.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections
from django.db.models import NOT_PROVIDED, AutoField, BigAutoField, Model, SmallAutoField

_AUTO_FIELDS = (AutoField, BigAutoField, SmallAutoField)
_INSERTS: dict[tuple, tuple[str, list]] = {}


def _insert_sql(model: type[Model], rows: int, connection) -> tuple[str, list]:
    key = (model, rows, connection.vendor)
    cached = _INSERTS.get(key)
    if cached is None:
        opts = model._meta
        if not isinstance(opts.pk, _AUTO_FIELDS):
            raise TypeError(f"insert_objects needs an auto-increment primary key ({model.__name__})")
        fields = [f for f in opts.concrete_fields if not f.primary_key]
        for field in fields:
            if field.generated or field.db_default is not NOT_PROVIDED:
                raise TypeError(f"insert_objects does not handle database defaults ({model.__name__}.{field.name})")
        quote = connection.ops.quote_name
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        sql = (f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
               f"VALUES {', '.join([row] * rows)} RETURNING {quote(opts.pk.column)}")
        cached = _INSERTS[key] = (sql, fields)
    return cached


def insert_objects(objects: Sequence[Model], *, using: str = "default") -> None:
    """Insert unsaved instances of one model in one statement; sets their primary keys."""
    if not objects:
        return
    model = type(objects[0])
    if any(type(obj) is not model or obj.pk is not None for obj in objects):
        raise ValueError("insert_objects takes unsaved instances of one model")
    connection = connections[using]
    sql, fields = _insert_sql(model, len(objects), connection)
    params = [field.get_db_prep_save(field.pre_save(obj, True), connection) for obj in objects for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = [row[0] for row in cursor.fetchall()]
    for obj, pk in zip(objects, keys, strict=True):
        mark_inserted(obj, pk, using=using)


def mark_inserted(obj: Model, pk, *, using: str = "default") -> None:
    """Give an instance inserted by plain SQL its key and the state Django gives a saved one."""
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = using


def for_update(*, of: str = "", using: str = "default") -> str:
    """' FOR UPDATE' (of the table alias `of`, when given) where the database locks rows (PostgreSQL), '' where it
    does not (SQLite locks the whole database on write)."""
    if not connections[using].features.has_select_for_update:
        return ""
    return f" FOR UPDATE OF {of}" if of else " FOR UPDATE"
