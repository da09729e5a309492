"""Parquet with pyarrow: the columns of a ``Table``, typed, one row group per batch.

Rows are gathered a row group at a time (``GROUP`` rows) and handed to a
``ParquetWriter``, so memory holds one group whatever the export's size. pandas
(``read_parquet``) and DuckDB (``read_parquet``) read the file as it is.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from ceasewatch.errors import UsageError
from ceasewatch.exports.table import NO_LOOKUPS, ColumnKind, Lookups, Table

GROUP = 50_000
"""Rows per row group."""
BATCH = 5_000
"""Rows turned into Arrow arrays at a time."""


def _arrow() -> Any:
    try:
        import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
        import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        raise UsageError(
            "Parquet needs pyarrow, which is not installed — pip install pyarrow==26.0.1"
        ) from None
    return pa, pq


def schema(table: Table[Any]) -> Any:
    pa, _ = _arrow()
    types: dict[ColumnKind, Any] = {
        "text": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "date": pa.date32(),
        "datetime": pa.timestamp("s", tz="UTC"),
    }
    return pa.schema(
        [pa.field(c.name, types[c.kind], metadata={"doc": c.doc}) for c in table.columns],
        metadata={"ceasewatch.table": table.name},
    )


class ByteSink:
    """A write-only binary file that hands over what was written since the last take."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.pos = 0
        self.closed = False

    def write(self, data: Any) -> int:
        b = bytes(data)
        self.parts.append(b)
        self.pos += len(b)
        return len(b)

    def tell(self) -> int:
        return self.pos

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def take(self) -> bytes:
        out = b"".join(self.parts)
        self.parts = []
        return out


def parquet_chunks(
    items: Iterable[Any],
    table: Table[Any],
    lookups: Lookups = NO_LOOKUPS,
    group: int = GROUP,
    batch: int = BATCH,
) -> Iterator[bytes]:
    """The Parquet file's bytes, a row group at a time. Rows become Arrow arrays every
    ``batch`` rows (columnar, compact), and a row group is written once ``group`` rows
    are held: memory holds one row group as Arrow data plus one batch of Python rows."""
    pa, pq = _arrow()
    sch = schema(table)
    sink = ByteSink()
    writer = pq.ParquetWriter(pa.PythonFile(sink, mode="w"), sch, compression="zstd")
    it = iter(items)
    held: list[Any] = []
    rows = 0
    wrote = False
    while True:
        chunk = list(itertools.islice(it, min(batch, group - rows)))
        if chunk:
            columns = list(zip(*(table.row(item, lookups) for item in chunk), strict=True))
            held.append(
                pa.RecordBatch.from_arrays(
                    [pa.array(col, type=f.type) for col, f in zip(columns, sch, strict=True)],
                    schema=sch,
                )
            )
            rows += len(chunk)
        if held and (rows >= group or not chunk):
            writer.write_table(pa.Table.from_batches(held, schema=sch), row_group_size=group)
            held, rows, wrote = [], 0, True
            yield sink.take()
        if not chunk:
            break
    if not wrote:
        writer.write_table(sch.empty_table())
    writer.close()
    yield sink.take()
