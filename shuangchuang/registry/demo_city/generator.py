"""generate_city and its public helpers: the load as one transaction, in or out of a forked process."""

from __future__ import annotations

import marshal
import multiprocessing
import time
import traceback
from dataclasses import dataclass
from typing import Iterator, TextIO

from django.db import connection, transaction

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.models import Organisation
from shuangchuang.registry.models import Enterprise, NaturalPerson
from shuangchuang.registry.demo_city.city import _City
from shuangchuang.registry.demo_city.data import (
    AUTHORITY_CODE, PARALLEL_FROM, PROGRESS_EVERY, REBUILD_INDEXES_FROM, UPDATED_AT,
)
from shuangchuang.registry.demo_city.writers import (
    _PostgresWriter, _SecondaryIndexes, _SqliteWriter, _sqlite_fast_pragmas, _sqlite_restore_pragmas,
)


@dataclass(frozen=True)
class CityStats:
    enterprises: int
    persons: int
    seconds: float
    rows_per_second: float

    def __str__(self) -> str:
        return (f"{self.enterprises:,} enterprises and {self.persons:,} persons in {self.seconds:.1f} s "
                f"({self.rows_per_second:,.0f} rows/s)")


def generate_city(*, enterprises: int, seed: int, stdout: TextIO) -> CityStats:
    """Generate and store a synthetic city of `enterprises` register entries (plus their representatives).

    One transaction: the rows, the rebuilt indexes and the audit event commit together or not at all.
    """
    started = time.perf_counter()
    connection.ensure_connection()
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"The synthetic city loads into PostgreSQL or SQLite, not {vendor}.")
    # SQLite's safety level can only change outside a transaction (not, e.g., inside a test's transaction).
    sqlite_pragmas = _sqlite_fast_pragmas() if vendor == "sqlite" and not connection.in_atomic_block else None
    try:
        with transaction.atomic():
            first_enterprise_id = (Enterprise.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
            first_person_id = (NaturalPerson.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
            city = _City(
                enterprises=enterprises, seed=seed, first_enterprise_id=first_enterprise_id,
                first_person_id=first_person_id,
                # as the databases write it: rows hold only str, int, bool and None (marshal moves them)
                updated_at=UPDATED_AT.strftime("%Y-%m-%d %H:%M:%S" + ("+00:00" if vendor == "postgresql" else "")),
            )
            writer = _PostgresWriter() if vendor == "postgresql" else _SqliteWriter()
            # Secondary indexes cost more to keep up row by row than to rebuild, when the load is large
            # compared with what is already there.
            indexes = None
            if enterprises >= REBUILD_INDEXES_FROM and enterprises >= first_enterprise_id - 1:
                indexes = _SecondaryIndexes(vendor)
                indexes.drop()
            parallel = enterprises >= PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods()
            made = persons_made = 0
            next_report = PROGRESS_EVERY
            # make_uscc (~15-20 µs a code) runs in this process (the writer's _finish), which balances the
            # two cores: generation on one, make_uscc + executemany (or + COPY and the server) on the other.
            source = _forked(city) if parallel else _in_process(city)
            for persons, firms, made, persons_made in source:
                writer.write(persons, firms)
                if made >= next_report or made == enterprises:
                    next_report = made + PROGRESS_EVERY
                    _progress(stdout, made, persons_made, started)
            if indexes is not None:
                stdout.write(f"  rebuilding {indexes.count} indexes and constraints…\n")
                stdout.flush()
                rebuild_started = time.perf_counter()
                indexes.rebuild()
                stdout.write(f"  rebuilt in {time.perf_counter() - rebuild_started:.1f} s\n")
            writer.finish()
            authority = Organisation.objects.filter(code=AUTHORITY_CODE).first()
            audit_record(
                actor=Actor.system("demo"), verb="registry.synthetic_city_generated", department=authority,
                params={"seed": seed, "enterprises": made, "persons": persons_made,
                        "first_enterprise_id": first_enterprise_id, "first_person_id": first_person_id},
            )
    finally:
        if sqlite_pragmas is not None:
            _sqlite_restore_pragmas(sqlite_pragmas)
    seconds = time.perf_counter() - started
    rows = made + persons_made
    return CityStats(made, persons_made, seconds, rows / seconds if seconds else 0.0)


def _progress(stdout: TextIO, enterprises: int, persons: int, started: float) -> None:
    seconds = time.perf_counter() - started
    rows = enterprises + persons
    stdout.write(f"  {enterprises:,} enterprises, {persons:,} persons: {rows:,} rows in {seconds:.1f} s "
                 f"({rows / seconds:,.0f} rows/s)\n")
    stdout.flush()


def _in_process(city: _City) -> Iterator[tuple[list, list, int, int]]:
    for persons, firms in city.batches():
        yield persons, firms, city.enterprises_made, city.persons_made


def _forked(city: _City) -> Iterator[tuple[list, list, int, int]]:
    """The same batches, made by a forked child process while this one writes (two cores at work).

    The child only computes (the reference data is already in `city`) and never touches the database
    connection it inherits; it leaves by os._exit, so nothing of the parent is closed or flushed twice.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_produce, args=(city, sender), name="demo-city-generator", daemon=True)
    child.start()
    sender.close()
    finished = False
    try:
        while True:
            kind, payload = marshal.loads(receiver.recv_bytes())
            if kind == "batch":
                yield payload
            elif kind == "done":
                finished = True
                return
            else:
                raise RuntimeError(f"The synthetic-city generator failed:\n{payload}")
    finally:
        receiver.close()
        if not finished and child.is_alive():
            child.terminate()
        child.join()


def _produce(city: _City, sender) -> None:
    try:
        for persons, firms in city.batches():
            message = ("batch", (persons, firms, city.enterprises_made, city.persons_made))
            sender.send_bytes(marshal.dumps(message))
        sender.send_bytes(marshal.dumps(("done", None)))
    except BrokenPipeError:  # the parent stopped reading (it failed); nothing to report
        pass
    except BaseException:
        sender.send_bytes(marshal.dumps(("error", traceback.format_exc())))
    finally:
        sender.close()
