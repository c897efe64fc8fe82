"""Ties between paths: of several equally short paths, and under a limit, both stores give the same path,
the same subset and the same order (:func:`graphkit.paths.path_order`), where each used to give whichever its
search met first (16 of 75 sampled ``path`` calls differed between the stores)."""

from __future__ import annotations

import pandas as pd
import pytest

from graphkit import paths

# A and D are joined by three paths of two hops (through Z, C, B; Z's links stored first) and by two
# parallel links A-B (two FAMILY rows), and by longer paths through E
PEOPLE = ["Z", "A", "D", "C", "B", "E"]
TIES = [("A", "Z", 1), ("Z", "D", 2), ("A", "C", 3), ("C", "D", 4), ("A", "B", 5), ("A", "B", 6), ("B", "D", 7)]
LONGER = [("A", "E", 8), ("E", "C", 9)]


def fill(store):
    store.create_schema()
    store.upsert_nodes("Person", pd.DataFrame({"id": PEOPLE, "name": PEOPLE}))
    rows = [
        {"from": a, "to": b, "id": f"F{n}", "relationship": "sibling", "src_file": "family.csv", "src_row": n}
        for a, b, n in TIES + LONGER
    ]
    store.upsert_edges("FAMILY", "Person", "Person", pd.DataFrame(rows))
    return store


def answers(store) -> dict:
    def key(p):
        return (p.ids, p.link_ids)

    return {
        "one": key(paths.shortest_path(store, "A", "D")),
        "all": [key(p) for p in paths.shortest_paths(store, "A", "D")],
        "all2": [key(p) for p in paths.shortest_paths(store, "A", "D", limit=2)],
        "simple": [key(p) for p in paths.simple_paths(store, "A", "D", max_hops=4)],
        "simple3": [key(p) for p in paths.simple_paths(store, "A", "D", max_hops=4, limit=3)],
    }


def capped(store, monkeypatch) -> tuple:
    """The one path when the ties outnumber what shortest_path reads (SHORTEST_FETCH): each store's first
    candidates differ (a hub's pensioners: 625 equally short paths, a different one cited per store)."""
    monkeypatch.setattr(paths, "SHORTEST_FETCH", 1)
    p = paths.shortest_path(store, "A", "D")
    monkeypatch.undo()
    return (p.ids, p.link_ids)


def check(got: dict) -> None:
    assert len(got["all"]) == 4 and len(got["simple"]) == 5  # A-E-C-D is the fifth, the only longer one
    # path_order: fewer links, then fewer links at the nodes between (Z has 2, B and C 3 each), then node keys
    # along the path, then link ids
    assert [ids for ids, _ in got["all"]] == [("A", "Z", "D"), ("A", "B", "D"), ("A", "B", "D"), ("A", "C", "D")]
    assert got["all"][1][1] < got["all"][2][1]  # the parallel links A-B in link-id order
    assert got["one"] == got["all"][0]
    assert got["all2"] == got["all"][:2]
    assert got["simple"][:4] == got["all"] and got["simple"][4][0] == ("A", "E", "C", "D")
    assert got["simple3"] == got["simple"][:3]


def test_ties_are_broken_by_path_order_on_the_embedded_store(tmp_path, monkeypatch):
    from graphkit.stores.embedded import EmbeddedStore

    store = fill(EmbeddedStore(tmp_path / "g.db"))
    try:
        got = answers(store)
        check(got)
        assert capped(store, monkeypatch) == got["one"]
    finally:
        store.close()


@pytest.mark.neo4j
def test_neo4j_breaks_ties_the_same_way(neo4j_empty, tmp_path, monkeypatch):
    from graphkit.stores.embedded import EmbeddedStore
    from graphkit.stores.neo4j import Neo4jStore

    neo = fill(Neo4jStore.from_env(neo4j_empty.uri))
    try:
        emb = fill(EmbeddedStore(tmp_path / "g.db"))
        got = answers(neo)
        check(got)
        assert got == answers(emb)
        assert capped(neo, monkeypatch) == capped(emb, monkeypatch) == got["one"]
        emb.close()
    finally:
        neo.run("MATCH (n) DETACH DELETE n")
        neo.close()


def test_a_neighbourhood_lists_nodes_and_links_in_one_order_whatever_the_store_returns(tmp_path, monkeypatch):
    """The graph is built from rows in (node, link id) order, not the store's: outputs built from it
    (``neighbours --json``, exports) list nodes and links alike on both stores."""
    from graphkit.stores.embedded import EmbeddedStore

    store = fill(EmbeddedStore(tmp_path / "g.db"))
    try:
        first = paths.neighbourhood(store, "A", hops=2)
        real = paths._rows
        monkeypatch.setattr(paths, "_rows", lambda *a, **kw: real(*a, **kw)[::-1])  # the store's order reversed
        second = paths.neighbourhood(store, "A", hops=2)
    finally:
        store.close()
    assert list(first.nodes(data=True)) == list(second.nodes(data=True))
    assert list(first.edges(keys=True, data=True)) == list(second.edges(keys=True, data=True))
    assert set(first) == set(PEOPLE)


# Hubs last.  A and D are joined by four paths of two hops: through B (a hub: A, D and ten more), M (A, D and two
# more), N (A, D and a link to itself, counted once as Neo4j does: 3 links, in its neighbourhood too) and Z (A
# and D only).  E and F by
# three of three hops: through C1-C2 (links 2 and 4: the least product, 8, but the largest node), G1-G2 (3 and 3:
# product 9) and J1-J2 (2 and 3: product 6).  Node keys alone would put B and C1-C2 first.
HUB_TIES = [("A", "B"), ("B", "D"), ("A", "M"), ("M", "D"), ("A", "N"), ("N", "D"), ("N", "N"), ("A", "Z"), ("Z", "D")]
HUB_TIES += [("B", f"b{i}") for i in range(10)] + [("M", "m0"), ("M", "m1")]
HUB_TIES += [("E", "C1"), ("C1", "C2"), ("C2", "F"), ("C2", "c0"), ("C2", "c1")]
HUB_TIES += [("E", "G1"), ("G1", "G2"), ("G2", "F"), ("G1", "g0"), ("G2", "g1")]
HUB_TIES += [("E", "J1"), ("J1", "J2"), ("J2", "F"), ("J2", "j0")]


def fill_hubs(store):
    store.create_schema()
    people = sorted({n for pair in HUB_TIES for n in pair})
    store.upsert_nodes("Person", pd.DataFrame({"id": people, "name": people}))
    rows = [
        {"from": a, "to": b, "id": f"H{n}", "relationship": "sibling", "src_file": "family.csv", "src_row": n}
        for n, (a, b) in enumerate(HUB_TIES, start=2)
    ]
    store.upsert_edges("FAMILY", "Person", "Person", pd.DataFrame(rows))
    return store


def hub_answers(store, monkeypatch) -> dict:
    got = {}
    for a, b in (("A", "D"), ("E", "F")):
        got[a, b, "all"] = [p.ids for p in paths.shortest_paths(store, a, b)]
        got[a, b, "simple"] = [p.ids for p in paths.simple_paths(store, a, b, max_hops=3)]
        got[a, b, "one"] = paths.shortest_path(store, a, b).ids
        monkeypatch.setattr(paths, "SHORTEST_FETCH", 1)  # more ties than shortest_path reads: built hop by hop
        got[a, b, "built"] = paths.shortest_path(store, a, b).ids
        monkeypatch.undo()
    got["loop"] = loop_answers(store, monkeypatch)
    return got


def loop_answers(store, monkeypatch) -> dict:
    """N's neighbourhood: its link to itself counts once (3 links: A, D, N) whichever query reads it."""
    got = {}
    for size in (2, 3):
        pages = [paths.neighbourhood(store, "N", hops=1, page_size=size, page=n) for n in range(2 if size == 2 else 1)]
        got["seed", size] = [(g.graph["total"], g.graph["pages"], sorted(g.edges(keys=True))) for g in pages]
    got["whole"] = sorted(paths.whole_neighbourhood(store, "N", hops=1, page_size=2).edges(keys=True))
    for alone in (paths.ALONE, 0):  # the frontier node by node (node_links, degree) or in one query (links, degrees)
        monkeypatch.setattr(paths, "ALONE", alone)
        for size in (2, 3):
            g = paths.whole_neighbourhood(store, "A", hops=2, page_size=size)
            got["frontier", alone, size] = (
                g.nodes["N"]["links"],
                g.nodes["N"]["hub"],
                sorted(g.out_edges("N", keys=True)),
            )
        monkeypatch.undo()
    return got


def check_hubs(got: dict) -> None:
    assert got["A", "D", "all"] == [("A", "Z", "D"), ("A", "N", "D"), ("A", "M", "D"), ("A", "B", "D")]
    assert got["A", "D", "simple"] == got["A", "D", "all"]
    assert got["E", "F", "all"] == [("E", "J1", "J2", "F"), ("E", "G1", "G2", "F"), ("E", "C1", "C2", "F")]
    assert got["E", "F", "simple"] == got["E", "F", "all"]
    for pair in (("A", "D"), ("E", "F")):
        assert got[(*pair, "one")] == got[(*pair, "built")] == got[(*pair, "all")][0]
    loop = got["loop"]
    (total, pages, first), (_, _, second) = loop["seed", 2]
    assert (total, pages, len(first), len(second)) == (3, 2, 2, 1)  # a hub at 2 a page: two pages, no link twice
    assert sorted(first + second) == loop["whole"] == loop["seed", 3][0][2]
    assert loop["seed", 3][0][:2] == (3, 1)
    assert {(u, v) for u, v, _ in loop["whole"]} == {("A", "N"), ("N", "D"), ("N", "N")}
    for alone in {k[1] for k in loop if k[0] == "frontier"}:
        assert loop["frontier", alone, 2][:2] == (3, True)
        assert loop["frontier", alone, 3][:2] == (3, False)
        assert [(u, v) for u, v, _ in loop["frontier", alone, 3][2]] == [("N", "D"), ("N", "N")]


def test_paths_through_smaller_nodes_come_first_on_the_embedded_store(tmp_path, monkeypatch):
    from graphkit.stores.embedded import EmbeddedStore

    store = fill_hubs(EmbeddedStore(tmp_path / "g.db"))
    try:
        check_hubs(hub_answers(store, monkeypatch))
    finally:
        store.close()


@pytest.mark.neo4j
def test_neo4j_puts_paths_through_hubs_last_the_same_way(neo4j_empty, tmp_path, monkeypatch):
    from graphkit.stores.embedded import EmbeddedStore
    from graphkit.stores.neo4j import Neo4jStore

    neo = fill_hubs(Neo4jStore.from_env(neo4j_empty.uri))
    try:
        got = hub_answers(neo, monkeypatch)
        check_hubs(got)
        with fill_hubs(EmbeddedStore(tmp_path / "g.db")) as emb:
            assert hub_answers(emb, monkeypatch) == got
    finally:
        neo.run("MATCH (n) DETACH DELETE n")
        neo.close()
