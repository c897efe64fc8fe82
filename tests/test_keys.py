"""Relationship ids (graphkit.model.keys): the vectorised hash against a plain Python one."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.model.keys import link_id, link_ids

M64 = (1 << 64) - 1


def reference(key: str) -> int:
    """The documented hash, one byte string at a time, in Python integers."""
    data = key.encode("utf-8")
    h = ((len(data) + 1) * 0x9E3779B97F4A7C15) & M64
    for i in range(0, len(data), 8):
        word = int.from_bytes(data[i : i + 8].ljust(8, b"\0"), "little")
        h = ((h ^ word) * 0xFF51AFD7ED558CCD) & M64
        h ^= h >> 29
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & M64
    h ^= h >> 33
    return h - (1 << 64) if h >> 63 else h


def test_fixed_values():
    """An id is stored: changing the hash would make every existing store reload as new links."""
    assert link_id("FAMILY|110105194912310020|110105195003150041|spouse") == -6813830246021907869
    assert link_id("") == reference("")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(max_size=40) | st.text(alphabet="中文亲属|", max_size=300), min_size=1, max_size=40),
    st.integers(0, 5),
)
def test_matches_the_reference_for_any_keys_and_slices(keys, cut):
    arr = pa.array(keys, pa.string())
    assert link_ids(arr).to_pylist() == [reference(k) for k in keys]
    cut = min(cut, len(keys))
    assert link_ids(arr.slice(cut)).to_pylist() == [reference(k) for k in keys[cut:]]
    assert link_ids(pa.chunked_array([arr.slice(0, cut), arr.slice(cut)])).to_pylist() == [reference(k) for k in keys]
    assert link_ids(arr.cast(pa.large_string())).to_pylist() == [reference(k) for k in keys]


def test_many_keys_over_several_slices_do_not_collide():
    keys = pa.array([f"FAMILY|3205{i:014d}|3205{i * 7 % 1_000_003:014d}|spouse" for i in range(600_000)])
    ids = link_ids(keys)
    assert ids.type == pa.int64() and len(np.unique(ids.to_numpy())) == len(keys)
    assert ids[-1].as_py() == reference(keys[-1].as_py())


def test_bad_keys_are_refused():
    with pytest.raises(ValueError, match="1 link key"):
        link_ids(pa.array(["a", None]))
    with pytest.raises(TypeError, match="must be strings"):
        link_ids(pa.array([1, 2]))
    assert link_ids(pa.array([], pa.string())).to_pylist() == []
