"""Writing the rows: USCC completion, the SQLite and PostgreSQL writers, secondary-index rebuild."""


from __future__ import annotations

from typing import Any

from django.db import connection

from shuangchuang.registry.models import Enterprise, NaturalPerson
from shuangchuang.registry.uscc import make_uscc


ENTERPRISE_FIELDS = (
    "id", "uscc", "old_registration_number", "name", "trade_name", "legal_form", "registration_authority_id",
    "district_id", "address", "industry_id", "industry_class_code", "founded_on", "status", "status_changed_on",
    "legal_representative_id", "parent_id", "registered_capital_fen", "employees", "revenue_fen",
    "total_assets_fen", "rd_expense_fen", "financial_year", "high_tech_certificate", "high_tech_valid_from",
    "high_tech_valid_to", "is_tech_sme", "is_listed", "size_class", "updated_at",
)
PERSON_FIELDS = ("id", "id_number", "name")


def _columns(model, fields: tuple[str, ...]) -> tuple[list[str], tuple]:
    """Column names for `fields`, plus constant values for any other concrete field of the model.

    A field added to the model later is filled with its default, so the loader keeps working.
    """
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    missing = [name for name in fields if name not in by_attname]
    if missing:
        raise RuntimeError(f"{model.__name__} has no field(s) {missing}; update registry/demo_city.py.")
    columns = [by_attname[name].column for name in fields]
    extra_values = []
    for attname, field in by_attname.items():
        if attname in fields:
            continue
        if not field.has_default() and not field.null:
            raise RuntimeError(f"{model.__name__}.{attname} has no default; update registry/demo_city.py.")
        columns.append(field.column)
        extra_values.append(field.get_db_prep_save(field.get_default(), connection))
    return columns, tuple(extra_values)


# ---------------------------------------------------------------------------------------------------------
# Writing

def _finish(firms: list[list]) -> None:
    """Turn each row's USCC parts (entity type, region, organisation-code body: 15 characters) into the
    18-character code."""
    for row in firms:
        parts = row[1]
        row[1] = make_uscc("9", parts[0], parts[1:7], parts[7:])


class _SqliteWriter:
    def __init__(self):
        self.raw = connection.connection  # the sqlite3 connection, inside Django's transaction
        p_columns, self.p_extra = _columns(NaturalPerson, PERSON_FIELDS)
        e_columns, self.e_extra = _columns(Enterprise, ENTERPRISE_FIELDS)
        self.person_sql = self._insert(NaturalPerson._meta.db_table, p_columns)
        self.enterprise_sql = self._insert(Enterprise._meta.db_table, e_columns)

    @staticmethod
    def _insert(table: str, columns: list[str]) -> str:
        quote = connection.ops.quote_name
        return (f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})")

    def write(self, persons: list[tuple], firms: list[list]) -> None:
        _finish(firms)
        if self.p_extra:
            persons = [(*row, *self.p_extra) for row in persons]
        if self.e_extra:
            firms = [(*row, *self.e_extra) for row in firms]
        if persons:
            self.raw.executemany(self.person_sql, persons)
        if firms:
            self.raw.executemany(self.enterprise_sql, firms)

    def finish(self) -> None:
        pass  # AUTOINCREMENT keeps sqlite_sequence at the largest id inserted


class _PostgresWriter:
    def __init__(self):
        self.raw = connection.connection  # the psycopg 3 connection, inside Django's transaction
        quote = connection.ops.quote_name
        p_columns, self.p_extra = _columns(NaturalPerson, PERSON_FIELDS)
        e_columns, self.e_extra = _columns(Enterprise, ENTERPRISE_FIELDS)
        self.person_sql = (f"COPY {quote(NaturalPerson._meta.db_table)} "
                           f"({', '.join(quote(c) for c in p_columns)}) FROM STDIN")
        self.enterprise_sql = (f"COPY {quote(Enterprise._meta.db_table)} "
                               f"({', '.join(quote(c) for c in e_columns)}) FROM STDIN")

    def write(self, persons: list[tuple], firms: list[list]) -> None:
        _finish(firms)
        with self.raw.cursor() as cursor:
            for sql, rows, extra in ((self.person_sql, persons, self.p_extra),
                                     (self.enterprise_sql, firms, self.e_extra)):
                if not rows:
                    continue
                with cursor.copy(sql) as copy:
                    write_row = copy.write_row
                    for row in rows:
                        write_row((*row, *extra) if extra else row)

    def finish(self) -> None:
        """Move the id sequences past the explicit ids."""
        with connection.cursor() as cursor:
            for model in (NaturalPerson, Enterprise):
                table = model._meta.db_table
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) "
                    f"FROM {connection.ops.quote_name(table)}",
                    [table],
                )


class _SecondaryIndexes:
    """The loaded tables' indexes that back no constraint, and on PostgreSQL Enterprise's foreign keys:
    dropped before the load and re-created after it, inside the load's transaction (DDL is transactional
    on both databases, so a failed load leaves them as they were).

    Measured on PostgreSQL: building a B-tree index after the load costs a third to a half of keeping it
    up row by row; checking the deferred foreign keys at commit costs several times re-adding them (one
    join each); filling the trigram GIN index on names during the load (large pending list) costs ~35 %
    more CPU than building it after (~70 s at 2.4 M names), and on two cores came out no faster.
    """

    def __init__(self, vendor: str):
        self.vendor = vendor
        self.tables = [NaturalPerson._meta.db_table, Enterprise._meta.db_table]
        self.indexes: list[tuple[str, str]] = []
        self.foreign_keys: list[tuple[str, str, str]] = []
        with connection.cursor() as cursor:
            if vendor == "sqlite":
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                    "AND tbl_name IN (%s, %s) ORDER BY name", self.tables,
                )
                self.indexes = list(cursor.fetchall())
            else:
                cursor.execute(
                    "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                    "JOIN pg_class c ON c.oid = i.indexrelid "
                    "WHERE i.indrelid IN (%s::regclass, %s::regclass) "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid "
                    "AND k.conrelid = i.indrelid) ORDER BY c.relname",
                    self.tables,
                )
                self.indexes = list(cursor.fetchall())
                cursor.execute(
                    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE contype = 'f' AND conrelid = %s::regclass ORDER BY conname",
                    [Enterprise._meta.db_table],
                )
                self.foreign_keys = list(cursor.fetchall())

    @property
    def count(self) -> int:
        return len(self.indexes) + len(self.foreign_keys)

    def drop(self) -> None:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            if self.foreign_keys:
                # Deferred foreign-key checks queued earlier in this transaction must fire before ALTER TABLE.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table, name, _ in self.foreign_keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
            for name, _ in self.indexes:
                cursor.execute(f"DROP INDEX {quote(name)}")

    def rebuild(self) -> None:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for _, sql in self.indexes:
                cursor.execute(sql)
            for table, name, definition in self.foreign_keys:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")


def _sqlite_fast_pragmas() -> dict[str, Any]:
    with connection.cursor() as cursor:
        saved = {name: cursor.execute(f"PRAGMA {name}").fetchone()[0] for name in ("synchronous", "cache_size")}
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB of page cache while loading
    return saved


def _sqlite_restore_pragmas(saved: dict[str, Any]) -> None:
    with connection.cursor() as cursor:
        for name, value in saved.items():
            cursor.execute(f"PRAGMA {name} = {int(value)}")
