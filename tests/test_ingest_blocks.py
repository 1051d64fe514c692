"""geo.ingest.text reads in small blocks for speed; a record longer than a block is still read (the exact read)."""

from __future__ import annotations

from geo.ingest import text


def test_a_record_longer_than_a_fast_block_is_read():
    long = "x" * (text._FAST_BLOCK + 1000)
    data = f"id,note\n1,short\n2,{long}\n3,\"quoted, with a comma\"\n".encode()
    table = text.read_delimited(data, "long.csv", arrow=True)
    # (read, then refused for its over-long cell, with a reason: not a failure of the whole file)
    assert table.arrow.column("id").to_pylist() == ["1", "3"]
    assert list(table.rows) == [2, 4]
    assert table.report.to_dict("records")[0]["row"] == 3
    assert "more than the 100,000 a cell may hold" in table.report.to_dict("records")[0]["reason"]
    kept = dict(zip(table.arrow.column("id").to_pylist(), table.arrow.column("note").to_pylist()))
    assert kept["1"] == "short" and kept["3"] == "quoted, with a comma"


def test_many_blocks_give_the_rows_of_one_block(monkeypatch):
    rows = "".join(f"{i},note {i} with some words,\"a, b\"\n" for i in range(20_000))
    data = ("id,note,pair\n" + rows).encode()
    small = text.read_delimited(data, "many.csv", arrow=True)
    monkeypatch.setattr(text, "_FAST_BLOCK", 1 << 26)
    one = text.read_delimited(data, "many.csv", arrow=True)
    assert small.arrow.num_rows == 20_000
    assert small.arrow.combine_chunks().equals(one.arrow.combine_chunks())
    assert list(small.rows) == list(one.rows)
