from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def store(tmp_path):
    from graphkit.stores.embedded import EmbeddedStore

    s = EmbeddedStore(tmp_path / "g.db")
    s.create_schema()
    yield s
    s.close()


@pytest.fixture
def city(tmp_path):
    from fixture_city import write_city

    return write_city(tmp_path / "city")
