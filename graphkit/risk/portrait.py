"""The data of a pre-portrait (预画像) of a unit or a person, for an inspection team before it arrives.

:func:`unit_portrait` and :func:`person_portrait` gather, from the store (and the ledger's warnings when
given), everything a portrait shows, as plain Python data with natural keys in clear; a face
(``graphkit.portrait_render``) masks personal identifiers and lays it out as HTML or PDF.

Sections (keys of the returned dict): ``identity`` and ``personnel``; ``risk`` (0-100 against peers, the
factors in words); ``family_business`` (each company linked to the staff within three hops, hop by hop with
the source file and row of each link, and what the unit paid it); ``procurement``; ``vehicles``;
``receptions``; ``hotline``; ``warnings`` (with status history); ``collusion``; ``graph`` (a networkx
graph of the unit, its staff, their relatives and linked companies, for the relationship map); ``sources``
(the files the portrait cites) and ``made_at``.

Example
-------
>>> p = unit_portrait(store, "11320500061037427W", warnings=ledger.warnings())  # doctest: +SKIP
>>> p["risk"]["risk"], [f["text"] for f in p["risk"]["factors"]]  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graphkit.model import Model, share
from graphkit.model.clock import now_iso
from graphkit.risk.features import (
    FEATURES,
    _fuel,
    _ratios,
    category_of,
    derived,
    person_features,
    person_links,
    staff_links,
    unit_features,
    warning_words_en,
    warning_words_zh,
    warnings_by_feature,
)
from graphkit.risk.tables import CACHE_KEY, QUERIES, UNIT_QUERIES, read_tables, source_files
from graphkit.stores.base import GraphStore

__all__ = [
    "PortraitError",
    "unit_portrait",
    "person_portrait",
    "RED_RISK",
    "ORANGE_RISK",
    "RED_SCORE",
    "ORANGE_SCORE",
    "risk_level",
    "risk_levels",
    "RISK_LEVEL_ZH",
    "keep_scores",
    "cited_files",
    "subject_files",
]

#: risk from which the portrait marks the score red / orange (and the deviation a factor needs, z)
RED_RISK, ORANGE_RISK, RED_Z = 95.0, 85.0, 4.0
#: score (anomaly + warning points, a scale that does not depend on how many peers there are) from which the level is
#: red / orange whatever the percentile: two red warnings' facts (6 + 6), one red warning's fact (6)
RED_SCORE, ORANGE_SCORE = 12.0, 6.0
#: a level (:func:`risk_level`) as the portrait, ``graphkit rank``, the Risk tab and notebook 04's ranking say it
RISK_LEVEL_ZH = {"red": "红色", "orange": "橙色", "normal": "一般"}
#: the layout of the kept unit scores (``scores-unit-*.json``); a new field changes it, and so do the factors' words
#: (kept with the scores): 8, verified warnings counted per fact; 9, the level read from the score too; 10, the fuel
#: factors in tanks' worth (a store ranked before had kept 单车年加油量 and shown it); 11, a model's English words its
#: title, not its id
SCORES_VERSION = 11
#: most suppliers of a unit its map draws beside those linked to its staff (the most paid first): the others are
#: counted under the map (a unit of 40 suppliers would be a star no one reads)
MAP_SUPPLIERS = 12
#: the columns through which a table's row concerns a person (the portrait's subject): holds a post or a company
#: role, was paid, is family (either end), is the person
PERSON_COLUMNS = ("person", "holder", "a", "b")
ROLE_ZH = {"legal_rep": "法定代表人", "shareholder": "股东", "executive": "高管"}
#: the same roles as an English portrait says them (it said the stored code, ``legal_rep``)
ROLE_EN = {"legal_rep": "legal representative", "shareholder": "shareholder", "executive": "executive"}


class PortraitError(LookupError):
    """The unit or person is not in the store."""


def risk_level(risk: float, factors: list[dict], score: float = 0.0) -> str:
    """``red`` when the risk (the city-wide percentile) is at least :data:`RED_RISK` and a factor deviates by
    :data:`RED_Z` or more, or the score is at least :data:`RED_SCORE`; ``orange`` when the risk is at least
    :data:`ORANGE_RISK` with a factor of 2 or more, or the score is at least :data:`ORANGE_SCORE`; else ``normal``.

    The percentile alone could not mark a small city: the top of 5 units is above 4 of them, risk 80, and the
    fixture city's unit with 5 open red warnings (score 34) read 风险分 80.0（一般）. The score counts warning
    points and capped deviations, which do not depend on the number of peers.

    >>> risk_level(80.0, [{"z": 6.0}], 34.0), risk_level(60.0, [{"z": 6.0}], 6.33), risk_level(20.0, [{"z": 4.0}], 4.0)
    ('red', 'orange', 'normal')
    >>> risk_level(95.0, [{"z": 4.0}], 7.0), risk_level(85.0, [{"z": 2.0}], 3.0)
    ('red', 'orange')
    """
    top = max((f["z"] for f in factors), default=0.0)
    if (risk >= RED_RISK and top >= RED_Z) or score >= RED_SCORE:
        return "red"
    if (risk >= ORANGE_RISK and top >= 2.0) or score >= ORANGE_SCORE:
        return "orange"
    return "normal"


def risk_levels(sc, X: pd.DataFrame, rows, risk: pd.Series, score: pd.Series) -> dict[str, str]:
    """The level (:func:`risk_level`) of each of ``rows`` as its portrait says it: the risk and score ``sc`` gives
    them, and their largest deviation among all factors (rounded as a factor's ``z`` is). What ``graphkit rank``
    and the Risk tab show beside the risk, where only the portrait had said 红色 / 橙色 / 一般.

    >>> risk_levels(scorer, X, top, scorer.risk(X), scorer.anomaly_score(X))  # doctest: +SKIP
    {'11320509025040352J': 'red', ...}
    """
    rows = list(rows)
    if not rows:
        return {}
    top = sc.deviations(X.loc[rows]).max(axis=1)
    return {i: risk_level(float(risk[i]), [{"z": round(float(top[i]), 2)}], float(score[i])) for i in rows}


def _names(store: GraphStore, query: str, ids: list[str], key: str) -> dict[str, str]:
    if not ids:
        return {}
    df = store.query(f"risk/{query}", {"ids": sorted(set(ids))})
    return dict(zip(df[key], df["name"], strict=True))


def _scores(X: pd.DataFrame, kind: str, rows: list[str], warnings: bool, sc=None) -> dict[str, dict[str, Any]]:
    """The risk section of each of ``rows``: risk (the city-wide percentile), level, top five factors, score and
    its parts, rank in the city, peer group and the group it is compared with (a group smaller than the
    scorer's ``min_peers`` is compared with its kind across size bands, else with the whole city), its size and
    the rank within it."""
    if sc is None:
        from graphkit.risk.scorer import AnomalyScorer  # scikit-learn: imported only when scores are computed

        sc = AnomalyScorer(kind=kind, warnings=warnings).fit(X)
    sub = X.loc[rows]
    risks = sc.risk(sub)
    every = sc.anomaly_score(X)
    scores = every.loc[rows]
    parts = sc.score_parts(sub)
    # every factor that departs (z ≥ 1): the score adds all the warnings' points and the three largest
    # deviations, and a portrait listing five of them left a unit's yellow warnings out of its score's account
    all_factors = sc.factors(sub, top=len(sc.features_))
    # the terms of the anomaly part (the three largest deviations, weighted 1, ½, ¼), for the portrait to add up
    all_terms = sc.anomaly_terms(sub)
    # the terms of the warnings part: each fact a warning covers once (the larger of its points and the fact's
    # deviation), then the warnings of no feature's fact
    all_wterms = sc.warning_terms(sub)
    fam_words = {f.name: (f.zh, f.en) for f in getattr(sc, "families_", [])}
    ref_of = X["peer"].astype(str).map(lambda g: sc.comparison(g)["group"])
    kind_of = X["peer"].astype(str).str.split("|").str[0]
    names = [f.name for f in FEATURES[kind] if warnings or not f.warnings]
    values = sub[names].astype(float).to_dict("index")
    peers = sub["peer"].astype(str).to_dict()
    out = {}
    for target, factors, terms, wterms in zip(rows, all_factors, all_terms, all_wterms, strict=True):
        risk = float(risks[target])
        c = sc.comparison(peers[target])
        group = c["group"]
        if group == "*":
            same = every
        elif group.endswith("|*"):
            same = every[kind_of == group[:-2]]
        else:
            same = every[ref_of == group]
        out[target] = {
            "risk": risk,
            "decimals": int(sc.decimals_),
            "level": risk_level(risk, factors, float(scores[target])),
            "factors": factors,
            "score": round(float(scores[target]), 4),
            "parts": {k: round(float(parts.loc[target, k]), 4) for k in parts.columns if k != "score"},
            # the unit's own peer group and its size; the group it is compared with (itself, its kind across
            # size bands "KIND|*", or the whole city "*"), its size and the rank within it
            "peer": c["peer"],
            "peer_size": c["peer_size"],
            "group": group,
            "peers": len(same),
            "fallback": c["fallback"],
            "min_peers": int(sc.min_peers),
            "z_max": float(sc.z_max),
            # the size band's staff in this city (the band 人数较多 was 1-3 posts in the demo's roster)
            "staff_range": list(getattr(sc, "staff_range_", {}).get(group, ())) or None,
            # as rank: 1 + those of the group more unusual (the row's own score is among them, never above)
            "peer_rank": int((same.to_numpy() > scores[target]).sum()) + 1,
            # how many share that place, itself included (1: none tied): 75 units without a sign all read
            # 全市第 326 / 400, each as if it alone were 326th
            "peer_tied": int((same.to_numpy() == scores[target]).sum()),
            "tied": int(
                np.searchsorted(sc.train_scores_, scores[target], side="right")
                - np.searchsorted(sc.train_scores_, scores[target], side="left")
            ),
            "terms": terms,
            "warning_terms": wterms,
            # the facts of the terms and the factors, in words (Chinese, English)
            "families": {
                k: list(v) for k, v in fam_words.items() if any(t.get("family") == k for t in terms + wterms + factors)
            },
            # the models of no family among the warnings' terms, in words (Chinese, English): each a fact of its own
            "models": {t["model"]: _model_words(t["model"]) for t in wterms if t.get("model")},
            "learnt": bool(getattr(sc, "labels_", {}).get("used")),
            # train_scores_ are the sorted scores of X itself: those above the row's, and those below it
            "rank": len(X) - int(np.searchsorted(sc.train_scores_, scores[target], side="right")) + 1,
            "below": int(sc.below([scores[target]])[0]),
            "of": len(X),
            "features": {n: float(values[target][n]) for n in names},
        }
    return out


def _model_words(model: str) -> list[str]:
    """A model in words (Chinese: its short title, 公车私用; English: its declared English title, which had been its
    id, ``fuel_gps_mismatch``), as a portrait names a term."""
    from graphkit.rules.words import model_title, model_words_en

    return [model_title(model, "zh", short=True), model_words_en(model)]


def _score(X: pd.DataFrame, kind: str, target: str, warnings: bool, iforest: float = 0.0) -> dict[str, Any]:
    sc = None
    if iforest:
        from graphkit.risk.scorer import AnomalyScorer

        sc = AnomalyScorer(kind=kind, warnings=warnings, iforest=iforest).fit(X)
    return _scores(X, kind, [target], warnings, sc)[target]


def _scores_file(tables: dict[str, Any], warnings: list[dict] | None, use_warnings: bool) -> Path | None:
    """Where the unit scores for these warnings are kept beside the tables (None without a cache folder)."""
    folder = tables.get(CACHE_KEY)
    if folder is None:
        return None
    basis = [
        # the model too: the scorer counts a warning by the fact its model rests on
        [list(w.get("entities", [])), list(w.get("types", [])), w.get("level"), w.get("outcome"), w.get("model")]
        for w in (warnings or [])
    ]
    # SCORES_VERSION: scores kept by an older graphkit lack fields the portrait now shows
    key = json.dumps(
        [SCORES_VERSION, use_warnings, sorted(basis, key=json.dumps) if use_warnings else []], ensure_ascii=False
    )
    return Path(folder) / f"scores-unit-{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"


def keep_scores(tables: dict[str, Any], X: pd.DataFrame, sc, warnings: list[dict] | None, use_warnings: bool) -> None:
    """Keep every unit's risk section beside the tables (``graphkit rank --kind unit`` calls it), so that the
    portraits that follow on the same store and ledger read it instead of scoring every unit again.

    ``X`` must be :func:`graphkit.risk.features.unit_features` of ``tables`` with ``warnings`` (no collusion
    scores) and ``sc`` the scorer fitted on it without labels, as :func:`unit_portrait` would compute them."""
    path = _scores_file(tables, warnings, use_warnings)
    if path is None:
        return
    doc = _scores(X, "unit", list(X.index), use_warnings, sc)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def _kept_score(tables: dict[str, Any], unit: str, warnings: list[dict] | None, use_warnings: bool):
    path = _scores_file(tables, warnings, use_warnings)
    if path is None or not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8")).get(unit)


def cited_files(p: dict[str, Any], *, also: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The source files a portrait cites, sorted: the file of every ``source`` (``file:row``) anywhere in its
    data (identity, personnel, each hop, receptions …; not the evidence kept with a warning, which the
    portrait does not show) and of every relationship on its map, and ``also``.

    Example
    -------
    >>> cited_files({"identity": {"source": "units.csv:7"},
    ...              "receptions": {"largest": [{"source": "receptions.csv:279"}]},
    ...              "graph": nx.MultiDiGraph([("a", "b", {"src_file": "family.csv", "src_row": "3"})])})
    ['family.csv', 'receptions.csv', 'units.csv']
    """
    files = set(also)

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            for k, v in x.items():
                if (k == "source" or k.endswith("_source")) and isinstance(v, str):
                    files.add(v.split(":")[0])  # file:row (a row read without its file gives "nan:nan")
                elif k.endswith("_from") and isinstance(v, list | tuple):  # files a count was read from
                    files.update(str(f) for f in v)
                elif k not in ("graph", "warnings"):  # a warning's evidence is the ledger's, not shown here
                    walk(v)
        elif isinstance(x, list | tuple):
            for v in x:
                walk(v)

    walk(p)
    g = p.get("graph")
    if g is not None:
        files |= {str(a["src_file"]) for _, _, a in g.edges(data=True) if a.get("src_file")}
    return sorted(f for f in files if f and f not in ("nan", "None"))


def subject_files(tables: dict[str, Any], keys: dict[str, set[str]]) -> set[str]:
    """The source files of the rows of ``tables`` that concern a portrait's subject: a row of a table having a
    column ``c`` of ``keys`` whose value is one of ``keys[c]`` (a unit's: ``{"unit": {code}}``, its posts,
    contracts, tenders, payments to persons, fuel cards, cars, receptions, hotline tickets). Its risk and its
    sections are computed from those rows, and every table says where its rows came from
    (:func:`graphkit.risk.tables.source_files`): a list of files kept by hand had left payments.csv out of a
    unit's sources while its ghost-payee factor counted them, and contracts.csv out of a person's.

    Example
    -------
    >>> t = {"hotline": pd.DataFrame({"unit": ["U1", "U2"], "src_file": ["hotline.csv", "x.csv"]}),
    ...      "family": pd.DataFrame({"a": ["P1"], "b": ["P2"], "src_file": ["family.csv"]})}
    >>> sorted(subject_files(t, {"unit": {"U1"}}))
    ['hotline.csv']
    """
    files: set[str] = set()
    for df in tables.values():
        if not isinstance(df, pd.DataFrame):
            continue  # the cache folder
        cols = [c for c in keys if c in df.columns]
        if cols:
            mine = np.logical_or.reduce([df[c].isin(keys[c]).to_numpy() for c in cols])
            files |= source_files(df[mine])
    return files


def _hop_rows(link: pd.Series, tables: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """The links of one staff → company chain, each with its source file and row and the label of each end (a
    person's key is masked where it is shown, a company's credit code is not)."""
    fam = tables["family"]
    sh = tables["shareholders"]
    dr = tables["directors"]
    chain = [link["staff"], *link["via"]]
    hops = []
    for a, b in zip(chain, chain[1:], strict=False):
        r = fam[((fam["a"] == a) & (fam["b"] == b)) | ((fam["a"] == b) & (fam["b"] == a))].head(1)
        rel = r["relationship"].iloc[0] if len(r) else ""
        if len(r) and r["a"].iloc[0] == b:  # stored the other way round: invert parent/child
            rel = {"parent": "child", "child": "parent"}.get(rel, rel)
        hops.append(
            {
                "type": "FAMILY",
                "from": a,
                "to": b,
                "from_label": "Person",
                "to_label": "Person",
                "what": f"亲属（{Model.default().value_name('FAMILY', 'relationship', rel) or rel}）",
                "what_en": f"family: {rel}",
                "source": f"{r['src_file'].iloc[0]}:{r['src_row'].iloc[0]}" if len(r) else "",
                "attrs": {"relationship": rel} if rel else {},  # the map's link says the kinship (亲属·子女)
            }
        )
    owner = chain[-1]
    first = link["holding"] or link["company"]
    roles = []
    s = sh[(sh["holder"] == owner) & (sh["company"] == first)].head(1)
    held = {}
    if len(s):
        pct = share(s["percent"].iloc[0])  # the share said on either language's hop (English had left it out)
        roles.append(("SHAREHOLDER_OF", (f"股东 {pct}", f"shareholder of {pct}"), s))
        held = {"percent": float(s["percent"].iloc[0])}
    for _, d in dr[(dr["person"] == owner) & (dr["company"] == first)].iterrows():
        t = "LEGAL_REP_OF" if d["role"] == "legal_rep" else "EXECUTIVE_OF"
        said = (str(d["title"] or ROLE_ZH.get(d["role"], d["role"])), ROLE_EN.get(d["role"], str(d["role"])))
        roles.append((t, said, d.to_frame().T))
    if roles:
        t, (what, what_en), r = roles[0]
        hops.append(
            {
                "type": t,
                "from": owner,
                "to": first,
                "from_label": "Person",
                "to_label": "Company",
                "what": what,
                "what_en": what_en,
                "source": f"{r['src_file'].iloc[0]}:{r['src_row'].iloc[0]}",
                "attrs": held if t == "SHAREHOLDER_OF" else {},  # the map's link says the share (股东 50.85%)
            }
        )
    if link["holding"]:
        s = sh[(sh["holder"] == link["holding"]) & (sh["company"] == link["company"])].head(1)
        hops.append(
            {
                "type": "SHAREHOLDER_OF",
                "from": link["holding"],
                "to": link["company"],
                "from_label": "Company",
                "to_label": "Company",
                "what": f"控股 {share(s['percent'].iloc[0])}" if len(s) else "控股",
                "what_en": f"holding company, {share(s['percent'].iloc[0])}" if len(s) else "holding company",
                "source": f"{s['src_file'].iloc[0]}:{s['src_row'].iloc[0]}" if len(s) else "",
                "attrs": {"percent": float(s["percent"].iloc[0])} if len(s) else {},
            }
        )
    return hops


def _warnings_of(warnings: list[dict] | None, ids: set[str]) -> list[dict]:
    out = []
    for w in warnings or []:
        if ids & set(w.get("entities", [])):
            out.append(w)
    order = {"red": 0, "orange": 1, "yellow": 2}
    return sorted(out, key=lambda w: (order.get(w["level"], 3), w.get("model", ""), w.get("key", "")))


def _exposure(kg: Any, kind: str) -> pd.Series | None:
    """The collusion risk a portrait's ``collusion_exposure`` reads: tenders' for a unit, bidders' for a
    person (as :class:`graphkit.risk.transformer.GraphFeatures` reads them)."""
    if kg is None:
        return None
    return kg.tenders["risk"] if kind == "unit" else kg.bidders["risk"]


def _warning_words(
    warnings: list[dict] | None, tables: dict, kind: str, target: str, lang: str = "zh"
) -> dict[str, str]:
    """Per warning feature of ``target``, the warnings it counts in words, as `rank` names them
    (:func:`graphkit.risk.features.warnings_by_feature`): the portrait's red factor had not said it came from a
    围标串标 warning on one of the unit's tenders. ``lang="en"``: in English (the English factor said none)."""
    found = warnings_by_feature(warnings, tables, kind)
    words = warning_words_en if lang == "en" else warning_words_zh
    return {f: words(v) for (e, f), v in found.items() if e == target}


def unit_portrait(
    store: GraphStore,
    unit: str,
    *,
    warnings: list[dict] | None = None,
    use_warnings: bool = True,
    tables: dict[str, pd.DataFrame] | None = None,
    store_name: str = "",
    collusion: Any = None,
    iforest: float = 0.0,
) -> dict[str, Any]:
    """Everything a unit's pre-portrait shows (see the module doc).

    Parameters
    ----------
    store : GraphStore
    unit : str
        The unit's credit code.
    warnings : list of dict, optional
        The ledger's warnings (:meth:`graphkit.rules.ledger.Ledger.warnings`, with history).
    use_warnings : bool
        Let warnings count in the risk score (the warnings section is shown either way).
    tables : dict of DataFrame, optional
        Tables already read (:func:`graphkit.risk.tables.read_tables`), to portray several units at once.
    store_name : str
        How the store is named in the sources section.
    collusion : KGScores, optional
        Collusion scores of the same store (:func:`graphkit.collusion.kg.score_store`): the risk then counts
        the ``collusion_exposure`` feature, as ``graphkit rank --collusion`` ranks (else it is 0).
    iforest : float
        Weight of the Isolation Forest term in the risk score (:class:`graphkit.risk.scorer.AnomalyScorer`'s
        ``iforest``; 0 leaves it out), as ``graphkit rank --iforest`` scores.

    Raises
    ------
    PortraitError
        No unit with that credit code.
    """
    t = tables or read_tables(store, UNIT_QUERIES)
    units = t["units"].set_index("unit")
    unit = str(unit).strip().upper()
    if unit not in units.index:
        raise PortraitError(f"no unit with credit code {unit} in the store")
    u = units.loc[unit]
    kg_scored = collusion is not None  # (``collusion`` names section 九's figures below)
    # the kept scores are those of `rank` with neither --collusion nor --iforest
    risk = None if kg_scored or iforest else _kept_score(t, unit, warnings, use_warnings)
    if risk is None:
        X = unit_features(t, warnings=warnings if use_warnings else None, collusion=_exposure(collusion, "unit"))
        risk = _score(X, "unit", unit, use_warnings, iforest)
    posts = t["posts"]
    mine = posts[(posts["unit"] == unit)].sort_values(["end_date", "start_date"], na_position="first")
    links = derived(t, "staff_links", lambda: staff_links(t))
    links = links[links["unit"] == unit]
    con = t["contracts"]
    ucon = con[con["unit"] == unit].copy()
    paid = ucon.groupby("company")["amount"].sum()
    people_ids = list(mine["person"]) + [p for v in links["via"] for p in v]
    names = _names(store, "person_names", people_ids, "person")
    companies = list(links["company"]) + list(links["holding"][links["holding"] != ""]) + list(ucon["company"])
    companies += list(t["tenders"]["winner"][t["tenders"]["unit"] == unit].dropna())  # a winner with no contract
    cnames = _names(store, "company_names", companies, "company")
    # identity and personnel
    role_rank = {"official": 0, "judge": 1, "prosecutor": 1, "village_cadre": 2, "staff": 3}
    mine = mine.assign(r=mine["role"].map(role_rank).fillna(9))
    active = mine[mine["end_date"].isna()].sort_values(["r", "start_date"])
    personnel = [
        {
            "person": p.person,
            "name": names.get(p.person, ""),
            "role": p.role,
            "post": p.post,
            "since": _d(p.start_date),
            "until": _d(p.end_date),
            "source": f"{p.src_file}:{p.src_row}",
        }
        for p in pd.concat([active, mine[mine["end_date"].notna()]]).itertuples()
    ]
    # family business interests: the hops' source rows, looked up in the rows of the people and companies involved
    chain_people = set(links["staff"]) | {p for v in links["via"] for p in v}
    chain_firms = set(links["company"]) | set(links["holding"])
    fam, sh, dr = t["family"], t["shareholders"], t["directors"]
    hop_t = {
        "family": fam[fam["a"].isin(chain_people) | fam["b"].isin(chain_people)],
        "shareholders": sh[sh["company"].isin(chain_firms)],
        "directors": dr[dr["company"].isin(chain_firms)],
    }
    fb = []
    for _, lk in links.sort_values(["hops", "company"]).iterrows():
        fb.append(
            {
                "staff": lk["staff"],
                "staff_name": names.get(lk["staff"], ""),
                "via": list(lk["via"]),
                "company": lk["company"],
                "company_name": cnames.get(lk["company"], ""),
                "hops": int(lk["hops"]),
                "paid": float(paid.get(lk["company"], 0.0)),
                "path": [
                    {
                        **h,
                        "from_name": names.get(h["from"], cnames.get(h["from"], "")),
                        "to_name": names.get(h["to"], cnames.get(h["to"], "")),
                    }
                    for h in _hop_rows(lk, hop_t)
                ],
            }
        )
    fb.sort(key=lambda x: (-x["paid"], x["hops"]))
    procurement = _procurement(t, ucon, set(links["company"]), cnames, con)
    vehicles = _vehicles(t, unit)
    rc = t["receptions"][t["receptions"]["unit"] == unit]
    receptions = {
        "count": len(rc),
        "amount": float(rc["amount"].sum()),
        "guests": int(rc["guests"].sum()),
        "per_guest": float(rc["amount"].sum() / rc["guests"].sum()) if rc["guests"].sum() else None,
        "no_letter": int((rc["letter_no"].isna() | (rc["letter_no"].astype(str).str.strip() == "")).sum()),
        "largest": [
            {
                "id": r.reception,
                "date": _d(r.date),
                "amount": float(r.amount),
                "guests": int(r.guests),
                "letter": r.letter_no if isinstance(r.letter_no, str) else "",
                "source": f"{r.src_file}:{r.src_row}",
            }
            for r in rc.sort_values("amount", ascending=False).head(5).itertuples()
        ],
    }
    h = t["hotline"][t["hotline"]["unit"] == unit]
    callers = h.dropna(subset=["phone"]).groupby("phone").size().sort_values(ascending=False).head(3)
    hotline = {
        "tickets": len(h),
        "resolved": int((h["status"] == "resolved").sum()),
        "statuses": h["status"].value_counts().to_dict(),
        "top_callers": [{"phone": p, "tickets": int(n)} for p, n in callers.items()],
    }
    ids = {unit} | set(t["tenders"]["tender"][t["tenders"]["unit"] == unit]) | set(ucon["contract"])
    ids |= set(t["fuel_cards"]["card"][t["fuel_cards"]["unit"] == unit]) | set(rc["reception"])
    ids |= set(t["vehicle_stops"]["vehicle"][t["vehicle_stops"]["unit"] == unit])
    wl = _warnings_of(warnings, ids)
    tenders = t["tenders"][t["tenders"]["unit"] == unit]
    winners = set(tenders["winner"].dropna())
    rig = [w for w in (warnings or []) if w.get("model") == "bid_rigging" and winners & set(w.get("entities", []))]
    collusion = {
        "tenders": len(tenders),
        "single_bid": int(((tenders["bids"] == 1) & tenders["winner"].notna()).sum()),
        "bid_rigging_warnings": [  # both summaries, and what masks them as warnings list does (typed entities)
            {
                "id": w.get("id", ""),
                "level": w["level"],
                "summary": w.get("summary", ""),
                "summary_zh": w.get("summary_zh"),
                "entities": list(w.get("entities", [])),
                "types": list(w.get("types", [])),
            }
            for w in rig
        ],
    }
    g = _graph(unit, u["name"], mine, names, links, cnames, paid, t)
    suppliers = _draw_suppliers(g, unit, ucon, paid, t["tenders"][t["tenders"]["unit"] == unit], cnames)
    out = {
        "kind": "unit",
        "id": unit,
        "name": u["name"],
        "identity": {
            "id": unit,
            "name": u["name"],
            "kind": u["kind"],
            "jurisdiction": u["jurisdiction"],
            "staff": int(u["staff"]),
            "source": f"{u['src_file']}:{u['src_row']}",
        },
        "personnel": personnel,
        "risk": risk,
        "family_business": fb,
        "procurement": procurement,
        "vehicles": vehicles,
        "receptions": receptions,
        "hotline": hotline,
        "warnings": wl,
        "warning_words": _warning_words(warnings if use_warnings else [], t, "unit", unit),
        "warning_words_en": _warning_words(warnings if use_warnings else [], t, "unit", unit, "en"),
        "collusion": collusion,
        "graph": g,
        "map_suppliers": suppliers,
        "store": store_name,
        "made_at": now_iso(),
        "use_warnings": use_warnings,
        "with_collusion": kg_scored,
    }
    out["sources"] = cited_files(out, also=subject_files(t, {"unit": {unit}}))
    return out


def _d(x) -> str:
    return "" if x is None or pd.isna(x) else str(pd.Timestamp(x).date())


def _procurement(t, ucon: pd.DataFrame, linked: set[str], cnames: dict, con: pd.DataFrame) -> dict[str, Any]:
    if ucon.empty:
        return {"contracts": 0}
    spend = float(ucon["amount"].sum())
    by = ucon.groupby("company")["amount"].agg(["sum", "size"]).sort_values("sum", ascending=False)
    ratios = _ratios(t).reindex(ucon.index)
    ucon = ucon.assign(ratio=ratios, cat=category_of(ucon["title"]))
    prem = ucon.groupby("company")["ratio"].median()
    top = [
        {
            "company": c,
            "name": cnames.get(c, ""),
            "amount": float(r["sum"]),
            "contracts": int(r["size"]),
            "share": float(r["sum"] / spend) if spend else 0.0,
            "price_ratio": None if pd.isna(prem.get(c)) else float(prem.get(c)),
            "linked": c in linked,
        }
        for c, r in by.head(8).iterrows()
    ]
    tenders = t["tenders"]
    mine = tenders[tenders["unit"] == ucon["unit"].iloc[0]]
    open_t = mine[mine["method"] == "open"]
    share = by["sum"] / spend if spend else by["sum"] * 0
    return {
        "contracts": len(ucon),
        "spend": spend,
        "suppliers": len(by),
        # by amount: the sum of the suppliers' squared shares of the spend (1: all to one supplier)
        "hhi": float((share**2).sum()),
        # by count of contracts (the portrait says of what: 直接采购 25% had not said whether of the amount)
        "direct_share": float((ucon["method"] == "direct").mean()),
        "direct": int((ucon["method"] == "direct").sum()),
        "tenders": len(mine),
        # by count of the open tenders awarded on a single bid
        "single_bid_share": float(((open_t["bids"] == 1) & open_t["winner"].notna()).mean()) if len(open_t) else 0.0,
        "open_tenders": len(open_t),
        "single_bid": int(((open_t["bids"] == 1) & open_t["winner"].notna()).sum()),
        "top_suppliers": top,
        "linked_winners": [x for x in top if x["linked"]],
        "categories": ucon.groupby("cat")["amount"].sum().sort_values(ascending=False).head(6).to_dict(),
    }


def _row(file: Any, row: Any) -> str:
    """``file:row`` of a source row, '' when the table holds none (a card bound to no vehicle)."""
    if not isinstance(file, str) or not file or file == "nan" or pd.isna(row):
        return ""
    return f"{file}:{int(row)}"


def _file_list(files: Any) -> list[str]:
    """The files of a ``files`` column (``a.csv;b.csv``, :func:`graphkit.risk.tables.typed`)."""
    return [f for f in str(files).split(";") if f and f != "nan"] if isinstance(files, str) else []


def _vehicles(t, unit: str) -> list[dict[str, Any]]:
    """One row per fuel card of ``unit``: its car, fills, litres, GPS stops and how they compare, with the source
    rows of the card and the car and the files its fills and stops were counted from."""
    fc = t["fuel_cards"]
    mine = fc[fc["unit"] == unit]
    if mine.empty:
        return []
    ratios = derived(t, "fuel", lambda: _fuel(t)).set_index("card")
    vs = t["vehicle_stops"].set_index("vehicle")
    stops = vs["stops"]
    stops_files = vs["stops_files"] if "stops_files" in vs else pd.Series(dtype=str)
    out = []
    for r in mine.itertuples():
        car = isinstance(r.vehicle, str) and bool(r.vehicle)
        out.append(
            {
                "card": r.card,
                "vehicle": r.vehicle if isinstance(r.vehicle, str) else "",
                "kind": r.vehicle_kind if isinstance(r.vehicle_kind, str) else "",
                "tank": None if pd.isna(r.tank_capacity) else float(r.tank_capacity),
                "fills": int(r.fills),
                "litres": float(r.litres) if not pd.isna(r.litres) else 0.0,
                "stops": int(stops.get(r.vehicle, 0)) if isinstance(r.vehicle, str) else 0,
                "class_ratio": float(ratios["fuel_ratio"].get(r.card, np.nan)),
                "unexplained": float(ratios["fuel_unexplained"].get(r.card, np.nan)),
                "source": _row(getattr(r, "held_file", None), getattr(r, "held_row", None)),
                "vehicle_source": _row(getattr(r, "vehicle_file", None), getattr(r, "vehicle_row", None))
                if car
                else "",
                "fills_from": _file_list(getattr(r, "fills_files", "")),
                "stops_from": _file_list(stops_files.get(r.vehicle, "")) if car else [],
            }
        )
    return sorted(out, key=lambda x: -(x["class_ratio"] if not np.isnan(x["class_ratio"]) else 0))


def _graph(unit, uname, posts, names, links, cnames, paid, t) -> nx.MultiDiGraph:
    """The unit; its officials, current and former, and its current staff with family business ties; the
    chains and the linked companies; its fuel cards and the cars they are bound to."""
    g = nx.MultiDiGraph()
    g.add_node(unit, label="Organization", name=uname)
    staff_in = set(links["staff"])
    drawn: set[tuple[str, str, str]] = set()
    for p in posts.itertuples():
        ended = not pd.isna(p.end_date)
        if (p.person in staff_in and not ended) or p.role == "official":
            g.add_node(p.person, label="Person", name=names.get(p.person, ""))
            until = {"until": _d(p.end_date)} if ended else {}
            g.add_edge(p.person, unit, type="EMPLOYED_BY", src_file=p.src_file, src_row=p.src_row, **until)
    fc = t["fuel_cards"]
    for c in fc[fc["unit"] == unit].itertuples():
        g.add_node(c.card, label="FuelCard", name="")
        f, _, r = _row(c.held_file, c.held_row).rpartition(":")
        g.add_edge(c.card, unit, type="CARD_HELD_BY", src_file=f, src_row=r)
        if isinstance(c.vehicle, str) and c.vehicle:
            kind = c.vehicle_kind if isinstance(c.vehicle_kind, str) else ""
            g.add_node(c.vehicle, label="Vehicle", name=kind)
            f, _, r = _row(c.for_file, c.for_row).rpartition(":")
            g.add_edge(c.card, c.vehicle, type="CARD_FOR", src_file=f, src_row=r)
    for _, lk in links.iterrows():
        for h in _hop_rows(lk, t):
            for n in (h["from"], h["to"]):
                if n not in g:
                    is_c = n in cnames or n == lk["company"] or n == lk["holding"]
                    g.add_node(
                        n, label="Company" if is_c else "Person", name=cnames.get(n, "") if is_c else names.get(n, "")
                    )
            f, _, r = h["source"].rpartition(":")
            if (h["from"], h["to"], h["type"]) not in drawn:
                drawn.add((h["from"], h["to"], h["type"]))
                g.add_edge(h["from"], h["to"], type=h["type"], src_file=f, src_row=r, **h.get("attrs", {}))
        c = lk["company"]
        if paid.get(c, 0) > 0 and not g.has_edge(unit, c):
            k = t["contracts"][(t["contracts"]["unit"] == unit) & (t["contracts"]["company"] == c)]
            rows = ",".join(str(x) for x in k["src_row"].head(5))
            g.add_edge(unit, c, type="PAID", amount=float(paid[c]), src_file=str(k["src_file"].iloc[0]), src_row=rows)
    return g


def _person_vehicles(store: GraphStore, person: str) -> list[dict[str, Any]]:
    """The cars registered to ``person``: kind, free car-park whitelists, parking records and how many of them were
    let out free, with the source row of the registration and the files the whitelists and records came from."""
    from graphkit.risk.tables import _files

    out = []
    for r in store.query("risk/person_vehicles", {"ids": [person]}).to_dict("records"):
        out.append(
            {
                "person": r["person"],
                "vehicle": r["vehicle"],
                "vehicle_kind": r["vehicle_kind"] if isinstance(r["vehicle_kind"], str) else "",
                "lots": int(r["lots"]),
                "parked": int(r["parked"]),
                "parked_free": int(r["parked_free"] or 0),
                "source": _row(r["src_file"], r["src_row"]),
                "whitelist_from": _file_list(_files(r["whitelist_files"])),
                "parking_from": _file_list(_files(r["parking_files"])),
            }
        )
    return sorted(out, key=lambda v: str(v["vehicle"]))


def _draw_suppliers(
    g: nx.MultiDiGraph, unit: str, ucon: pd.DataFrame, paid: pd.Series, tenders: pd.DataFrame, cnames: dict
) -> dict[str, int]:
    """Add to the unit's map the companies it paid (its contracts) or whose bids won its tenders and that no chain
    to its staff reaches (those are drawn with their chains): the most paid first, at most :data:`MAP_SUPPLIERS`;
    a link 付款 PAID with the amount and the contracts' rows, or 中标 WON with the tenders and the bids' rows.
    Returns how many such suppliers there are and how many are drawn (the map's note counts the others): a map
    that showed only the linked supplier left out the three others section 四 names."""
    won = tenders.dropna(subset=["winner"])
    others = {c for c in list(paid.index) + list(won["winner"]) if c not in g}
    order = sorted(others, key=lambda c: (-float(paid.get(c, 0.0)), str(c)))
    for c in order[:MAP_SUPPLIERS]:
        g.add_node(c, label="Company", name=cnames.get(c, ""))
        if paid.get(c, 0) > 0:
            k = ucon[ucon["company"] == c]
            rows = ",".join(str(x) for x in k["src_row"].head(5))
            g.add_edge(unit, c, type="PAID", amount=float(paid[c]), src_file=str(k["src_file"].iloc[0]), src_row=rows)
        else:
            w = won[won["winner"] == c]
            rows = ",".join(str(int(x)) for x in w["won_row"].dropna().head(5))
            g.add_edge(
                c, unit, type="WON", tenders=len(w), src_file=str(w["won_file"].iloc[0]) if len(w) else "", src_row=rows
            )
    return {"others": len(order), "drawn": min(len(order), MAP_SUPPLIERS)}


def person_portrait(
    store: GraphStore,
    person: str,
    *,
    warnings: list[dict] | None = None,
    use_warnings: bool = True,
    tables: dict[str, pd.DataFrame] | None = None,
    store_name: str = "",
    collusion: Any = None,
    iforest: float = 0.0,
) -> dict[str, Any]:
    """Everything a person's pre-portrait shows: identity and posts, risk against peers, family business
    interests, companies held and what units paid them, payments received from units, vehicles, warnings.
    ``collusion``: as for :func:`unit_portrait` (the bidders' risk of the companies the person holds or runs);
    ``iforest``: as for :func:`unit_portrait`.

    Raises
    ------
    PortraitError
        No person with that ID number.
    """
    t = tables or read_tables(store, QUERIES)
    persons = t["persons"].set_index("person")
    person = str(person).strip().upper()
    if person not in persons.index:
        raise PortraitError("no person with that ID number in the store")
    kg_scored = collusion is not None
    X = person_features(t, warnings=warnings if use_warnings else None, collusion=_exposure(collusion, "person"))
    risk = _score(X, "person", person, use_warnings, iforest)
    posts = t["posts"][t["posts"]["person"] == person]
    unames = t["units"].set_index("unit")["name"]
    # the person's own business ties and their relatives', whatever posts they hold or held (section 三 must
    # agree with the relatives_in_business and company_roles factors), then the chains of current staff
    # that pass through the person (a staff member → this relative → company the staff's unit paid)
    own = person_links(t, person)
    links = derived(t, "staff_links", lambda: staff_links(t))
    through = links[(links["staff"] != person) & links["via"].map(lambda v: person in v)]
    mine = pd.concat([own, through], ignore_index=True)
    con = t["contracts"]
    paid = con.groupby(["unit", "company"])["amount"].sum()
    # a chain from the person: what the units the person works or worked for paid the company
    units_of = sorted(set(posts["unit"]))
    worked = "任职单位" if posts["end_date"].isna().any() else "曾任职单位"
    paid_by_mine = con[con["unit"].isin(units_of)].groupby("company")["amount"].sum()
    names = _names(store, "person_names", [p for v in mine["via"] for p in v] + list(mine["staff"]), "person")
    names[person] = persons.loc[person, "name"]
    cn = _names(store, "company_names", list(mine["company"]) + list(mine["holding"][mine["holding"] != ""]), "company")
    fb = []
    for _, lk in mine.iterrows():
        from_person = lk["staff"] == person
        fb.append(
            {
                "unit": lk["unit"],
                "unit_name": "、".join(unames.get(u, u) for u in units_of)
                if from_person
                else unames.get(lk["unit"], ""),
                "from_person": bool(from_person),
                "units_word": worked,
                "staff": lk["staff"],
                "staff_name": names.get(lk["staff"], ""),
                "via": list(lk["via"]),
                "company": lk["company"],
                "company_name": cn.get(lk["company"], ""),
                "hops": int(lk["hops"]),
                "paid": float(
                    paid_by_mine.get(lk["company"], 0.0) if from_person else paid.get((lk["unit"], lk["company"]), 0.0)
                ),
                "path": [
                    {
                        **h,
                        "from_name": names.get(h["from"], cn.get(h["from"], "")),
                        "to_name": names.get(h["to"], cn.get(h["to"], "")),
                    }
                    for h in _hop_rows(lk, t)
                ],
            }
        )
    fb.sort(key=lambda x: (not x["from_person"], -x["paid"], x["hops"], x["company"]))
    sh = t["shareholders"]
    dr = t["directors"]
    held = pd.concat(
        [
            sh[(sh["holder"] == person)][["company"]].assign(role="shareholder"),
            dr[dr["person"] == person][["company", "role"]],
        ]
    ).drop_duplicates()
    cn2 = _names(store, "company_names", list(held["company"]), "company")
    companies = [
        {
            "company": c,
            "name": cn2.get(c, ""),
            "roles": sorted(set(held["role"][held["company"] == c])),
            "contracts": float(con["amount"][con["company"] == c].sum()),
            "units": int(con["unit"][con["company"] == c].nunique()),
        }
        for c in held["company"].unique()
    ]
    pay = t["person_payments"][t["person_payments"]["person"] == person]
    payments = (
        pay.groupby(["unit", "purpose"], dropna=False)["amount"].agg(["sum", "size"]).reset_index().to_dict("records")
    )
    for p in payments:
        p["unit_name"] = unames.get(p["unit"], "")
        same = pay["purpose"].isna() if pd.isna(p["purpose"]) else pay["purpose"] == p["purpose"]
        rows = pay[(pay["unit"] == p["unit"]) & same]
        # the rows paid, as a hop cites its row (payments.csv:12,40; the first five of a long list), and their files
        p["source"] = "；".join(
            f"{f}:{','.join(str(int(r)) for r in grp['src_row'].head(5))}" for f, grp in rows.groupby("src_file")
        )
        p["rows_from"] = sorted(source_files(rows))
    veh = _person_vehicles(store, person)
    g = nx.MultiDiGraph()
    g.add_node(person, label="Person", name=names[person])
    for p in posts.itertuples():
        g.add_node(p.unit, label="Organization", name=unames.get(p.unit, ""))
        g.add_edge(person, p.unit, type="EMPLOYED_BY", src_file=p.src_file, src_row=p.src_row)
    drawn: set[tuple[str, str, str]] = set()
    for x in fb:
        for h in x["path"]:
            for n, nm in ((h["from"], h["from_name"]), (h["to"], h["to_name"])):
                if n not in g:
                    g.add_node(n, label="Company" if n in cn else "Person", name=nm)
            f, _, r = h["source"].rpartition(":")
            if (h["from"], h["to"], h["type"]) not in drawn:
                drawn.add((h["from"], h["to"], h["type"]))
                g.add_edge(h["from"], h["to"], type=h["type"], src_file=f, src_row=r, **h.get("attrs", {}))
    ids = {person} | set(held["company"])
    out = {
        "kind": "person",
        "id": person,
        "name": names[person],
        "identity": {"id": person, "name": names[person]},
        "personnel": [
            {
                "person": person,
                "name": names[person],
                "role": p.role,
                "post": p.post,
                "unit": p.unit,
                "unit_name": unames.get(p.unit, ""),
                "since": _d(p.start_date),
                "until": _d(p.end_date),
                "source": f"{p.src_file}:{p.src_row}",
            }
            for p in posts.itertuples()
        ],
        "risk": risk,
        "family_business": fb,
        "companies": companies,
        "payments": payments,
        "vehicles": veh,
        "warnings": _warnings_of(warnings, ids),
        "warning_words": _warning_words(warnings if use_warnings else [], t, "person", person),
        "warning_words_en": _warning_words(warnings if use_warnings else [], t, "person", person, "en"),
        "graph": g,
        "store": store_name,
        "made_at": now_iso(),
        "use_warnings": use_warnings,
        "with_collusion": kg_scored,
    }
    # the person's own rows (posts, payments, company roles, family) and the contracts of the companies section 四
    # sums; the vehicles' rows are cited on each vehicle
    held_contracts = con[con["company"].isin(set(held["company"]))]
    also = subject_files(t, {c: {person} for c in PERSON_COLUMNS}) | source_files(held_contracts)
    out["sources"] = cited_files(out, also=also)
    return out
