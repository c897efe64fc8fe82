"""What the notebooks share: the store they work on, and the cartel data notebook 03 reads.

A notebook calls :func:`open_city` in its first cell. By default it builds the demo: a synthetic city generated
into ``GRAPHKIT_NOTEBOOK_OUT`` (``notebook_out``) at ``GRAPHKIT_SCALE`` persons, its store (and warning ledger)
deleted and loaded anew, so the notebook runs again in the same folder. An investigator points it at an existing
store instead:

* ``GRAPHKIT_STORE`` — ``embedded:PATH`` or ``neo4j://HOST:PORT``: that store is opened read-only and used as it
  is, never generated, loaded or deleted;
* ``GRAPHKIT_LEDGER`` — the warning ledger's SQLite file (by default ``<store path>.ledger.sqlite`` beside an
  embedded store; a Neo4j store needs it). It is never deleted either;
* ``GRAPHKIT_QUARANTINE`` — the CSV of the rows that store's load refused (``graphkit load`` writes it beside an
  embedded store, where it is found by default, and to ``./quarantine.csv`` or ``--quarantine`` for Neo4j),
  which notebook 01 shows.

Every notebook that works on a graph (01 to 05) opens it here, so a team's store named once is the one each
notebook shows; what a cell shows of the store (:meth:`City.load_table`, :meth:`City.quarantined`,
:meth:`City.lead`) is said here too, the same on an embedded store and on Neo4j.

Notebooks 02 and 05 start from a subject: the ``SUBJECT`` setting of their first cell, else ``GRAPHKIT_SUBJECT``
(a handle ``NAME#N``, a key or an exact name, read as ``graphkit portrait --person`` and ``warnings list --entity``
read one), else the first hit of the model they start from (:meth:`City.subject`); 02's path ends at its
``TARGET`` (``GRAPHKIT_TARGET``), else at the company of the subject's lead.

:func:`collusion_data` finds the labelled cartel data of notebook 03 (García Rodríguez et al. 2022), read in
place from ``../shared/data/`` (or ``GRAPHKIT_COLLUSION_DATA``); when it is missing the cell says where it is
expected and what it is, not a ``FileNotFoundError`` traceback.

>>> city = open_city("city02", ledger=True)      # doctest: +SKIP
>>> official, _, company, *_ = city.lead("relative_wins_tender_1hop")  # doctest: +SKIP
>>> official = city.subject("张伟#2", scheme="relative_wins_tender_1hop")  # doctest: +SKIP
SUBJECT：张伟（自然人 3205**********0018），按 SUBJECT 所填
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphkit.model import Model
from graphkit.rules.words import check_lang
from graphkit.stores import StoreSpec, open_store
from graphkit.stores.base import GraphStore

__all__ = [
    "City",
    "Note",
    "open_city",
    "collusion_data",
    "DataMissing",
    "NoLead",
    "NoSubject",
    "STORE_ENV",
    "SUBJECT_ENV",
    "TARGET_ENV",
    "LEDGER_ENV",
    "QUARANTINE_ENV",
    "LOAD_COLUMNS_ZH",
    "QUARANTINE_COLUMNS_ZH",
    "candidates",
    "scored_table",
    "community_table",
    "screen_weights",
    "written_table",
    "review_table",
    "WRITTEN_COLUMNS_ZH",
]

STORE_ENV = "GRAPHKIT_STORE"
LEDGER_ENV = "GRAPHKIT_LEDGER"
QUARANTINE_ENV = "GRAPHKIT_QUARANTINE"
SUBJECT_ENV = "GRAPHKIT_SUBJECT"
TARGET_ENV = "GRAPHKIT_TARGET"
DATA_ENV = "GRAPHKIT_COLLUSION_DATA"
OUT_ENV = "GRAPHKIT_NOTEBOOK_OUT"
OUT_DEFAULT = "notebook_out"  # beside the notebooks (notebooks/notebook_out, ignored by git), the same for all five
#: the load table's headers in Chinese (:meth:`City.load_table`), as ``graphkit load`` heads its table
LOAD_COLUMNS_ZH = {
    "file": "文件",
    "read": "读取",
    "loaded": "加载",
    "quarantined": "隔离",
    "created": "创建的节点和关系",
}
#: the quarantined rows' headers in Chinese (:meth:`City.quarantined`)
QUARANTINE_COLUMNS_ZH = {"file": "文件", "line": "行", "column": "列", "value": "值", "reason": "原因"}
COLLUSION_DATA = "collusion_garcia_rodriguez_2022"


@dataclass
class City:
    """The store a notebook works on.

    Attributes
    ----------
    store : GraphStore
    spec : str
        Its ``--store`` spec (for the audit log and the ledger's default path).
    ledger_path : Path or None
        The warning ledger's file (``None`` for a Neo4j store without ``GRAPHKIT_LEDGER``).
    demo : bool
        A synthetic city built here (``False``: an existing store named by ``GRAPHKIT_STORE``).
    source : Path or None
        The generated tables (demo only).
    report : object
        The load report (demo only).
    """

    store: GraphStore
    spec: str
    ledger_path: Path | None
    demo: bool
    source: Path | None = None
    report: Any = None
    _truth: dict | None = field(default=None, repr=False)
    _leads: dict = field(default_factory=dict, repr=False)  # model id -> its leads' entities, read once
    _named: dict = field(default_factory=dict, repr=False)  # key -> (label, name) of the entities named here

    def load_table(self, lang: str = "zh") -> Any:
        """What the load did, per file (文件, 读取, 加载, 隔离, 创建; ``lang="en"``: file, read, loaded, quarantined,
        created): the demo's load, made here; an existing store was loaded before, by ``graphkit load``, which
        printed that table then, so a :class:`Note` says so instead of a table of nothing.

        Returns
        -------
        pandas.DataFrame or Note
        """
        import pandas as pd

        if self.report is None:
            if check_lang(lang) == "zh":
                return Note(
                    f"{self.spec}：此前已加载的库（`graphkit load SOURCE_DIR --store {self.spec}` 当时已按文件"
                    "列出读取、加载和隔离的行数），在此以只读方式打开：不生成、不加载、不删除任何内容。"
                )
            return Note(
                f"{self.spec}: a store loaded before (`graphkit load SOURCE_DIR --store {self.spec}` printed what it "
                "read, loaded and quarantined per file), opened read-only here: nothing is generated, loaded or "
                "deleted."
            )
        rows = [vars(f) | {"created": sum(f.created.values())} for f in self.report.files]
        df = pd.DataFrame(rows, columns=["file", "read", "loaded", "quarantined", "created"])
        return df.rename(columns=LOAD_COLUMNS_ZH) if check_lang(lang) == "zh" else df

    def counts(self, lang: str = "zh") -> Any:
        """The nodes per kind, most first, each kind by the model's Chinese name beside its label (类别, 标签,
        节点数; ``lang="en"``: label, nodes), as ``graphkit stats`` counts them. The table had listed the labels
        alone (FuelTransaction, Benefit …) under a Chinese heading."""
        import pandas as pd

        nodes = self.store.counts()["nodes"]
        model = self.store.model
        order = sorted(nodes, key=lambda label: (-nodes[label], label))
        if check_lang(lang) == "en":
            return pd.DataFrame({"label": order, "nodes": [nodes[k] for k in order]})
        return pd.DataFrame(
            {"类别": [model.display_name(k) for k in order], "标签": order, "节点数": [nodes[k] for k in order]}
        )

    def draw(self, g: Any, *, title: str, html: str | Path | None = None, lang: str = "zh") -> Any:
        """Draw ``g`` in the notebook and return the drawing (the panels' clickable view, identifiers masked, a
        legend of the kinds drawn under it), after one line saying what it is; with ``html``, also write it as a
        page for the case file (:func:`graphkit.viz.to_html`) and name that file in the line. The lead of notebook
        01 was only written to a file: the cell showed the file's path and no drawing.

        Returns
        -------
        graphkit.widgets.GraphView
        """
        from graphkit.viz import to_html
        from graphkit.widgets.graph import GraphView

        zh = check_lang(lang) == "zh"
        n, m = g.number_of_nodes(), g.number_of_edges()
        said = f"{title}：{n} 个实体，{m} 条关系" if zh else f"{title}: {n} entities, {m} links"
        if html is not None:
            page = to_html(g, Path(html), title=title, lang=lang)
            said += f"（网页另存为 {page}）" if zh else f" (also written as {page})"
        print(said)
        view = GraphView(height="480px", lang=lang)
        view.show(g)
        return view

    def quarantined(self, n: int = 10, lang: str = "zh") -> Any:
        """The first ``n`` rows the load refused (文件, 行, 列, 值, 原因, the reason in Chinese:
        :func:`loaders.words.load_zh`; ``lang="en"``: file, line, column, value, reason, the loader's words;
        a workbook's row is its line, as in the quarantine file),
        identifiers masked as ``graphkit load`` prints them (the quarantine file keeps them whole): the demo's from
        its load; an existing store's from the quarantine file its load wrote (:data:`QUARANTINE_ENV`, else
        ``<store path>.quarantine.csv`` beside an embedded store). Where there is no such file, a
        :class:`Note` says where it was looked for and how to name it; where the load refused nothing, a
        :class:`Note` says that.

        Above the table a line says how many rows were quarantined in all (the demo's: of how many read and
        loaded) and which file holds them all: the table showed 10 rows and never said that there were more.

        Returns
        -------
        pandas.DataFrame or Note
        """
        import pandas as pd

        from graphkit.model.mask import mask_data
        from loaders.report import QUARANTINE_COLUMNS
        from loaders.words import load_zh

        zh = check_lang(lang) == "zh"

        columns = list(QUARANTINE_COLUMNS)
        if self.report is not None:
            # the column by the file's own header, as the quarantine file names it
            rows = [
                dict(file=q.file, line=q.row, column=q.header or q.column, value=q.value, reason=q.reason)
                for q in self.report.quarantine[:n]
            ]
            total, totals = len(self.report.quarantine), self.report.totals()
            spec = StoreSpec.parse(self.spec)
            path = spec.beside(".quarantine.csv") if spec.kind == "embedded" else None
            path = path if path is not None and path.is_file() else None
        else:
            named = os.environ.get(QUARANTINE_ENV, "").strip()
            spec = StoreSpec.parse(self.spec)
            path = Path(named) if named else spec.beside(".quarantine.csv") if spec.kind == "embedded" else None
            if path is None or not path.is_file():
                if zh:
                    where = (
                        f"{QUARANTINE_ENV}={named}：该处没有文件"
                        if named
                        else f"库旁没有隔离文件（{path}）"
                        if path is not None
                        else f"Neo4j 库没有存放它的文件夹（{self.spec}）"
                    )
                    return Note(
                        f"{where}。加载时被隔离的行在 `graphkit load` 写出的 CSV 中（嵌入式库在库旁，Neo4j 在运行"
                        f"加载的目录下的 ./quarantine.csv，或其 --quarantine 文件）：用 {QUARANTINE_ENV}=文件 指明。"
                    )
                where = (
                    f"{QUARANTINE_ENV}={named}: no file there"
                    if named
                    else f"no quarantine file beside the store ({path})"
                    if path is not None
                    else f"a Neo4j store has no folder to keep it in ({self.spec})"
                )
                return Note(
                    f"{where}. The rows a load refused are in the CSV `graphkit load` wrote (beside an embedded "
                    f"store, ./quarantine.csv where it ran for Neo4j, or its --quarantine FILE): name it with "
                    f"{QUARANTINE_ENV}=FILE."
                )
            with path.open(encoding="utf-8-sig", newline="") as fh:
                read = csv.DictReader(fh)
                rows = [  # a file written before the column was headed ``line`` heads it ``row``
                    {c: _line(r) if c == "line" else r.get(c) for c in columns}
                    for _, r in zip(range(n), read, strict=False)  # (range first: zip reads no row past n)
                ]
                total, totals = len(rows) + sum(1 for _ in read), None
        if not rows:
            if zh:
                return Note(f"加载未隔离任何行{f'（{path}）' if path else ''}。")
            return Note(f"The load refused no row{f' ({path})' if path else ''}.")
        df = pd.DataFrame(mask_data(rows), columns=columns)
        print(_quarantine_said(total, len(df), path, totals, zh=zh))
        if not zh:
            return df
        return df.assign(reason=[load_zh(r) for r in df["reason"]]).rename(columns=QUARANTINE_COLUMNS_ZH)

    def ledger(self, by: str | None = None):
        """The warning ledger, with the collision models' hits of this store recorded in it, as ``graphkit models
        run`` records them (a re-run never duplicates a warning), signed by ``by`` (:func:`graphkit.audit.current_user`:
        ``GRAPHKIT_USER``, else the login) and written to the audit log. A viewer (``GRAPHKIT_ROLE=viewer``) writes
        nothing, as the command line refuses them: the ledger beside the store is read as it is. A store with no
        ledger is said, not shown as one where the models found nothing (it is ``None`` for a viewer then).

        Returns
        -------
        Ledger or None
            Opened read-only for a viewer.
        """
        from graphkit.audit import AuditLog, audit_path_for, current_user
        from graphkit.rules.ledger import Ledger

        if os.environ.get("GRAPHKIT_ROLE", "").strip().lower() == "viewer" and not self.demo:
            if self.ledger_path is None or not Path(self.ledger_path).is_file():
                print(
                    _said(
                        f"No warning ledger at {self.ledger_path}: the models' warnings are not counted, and a "
                        f"viewer does not make one (`graphkit models run --store {self.spec}`, by someone who may "
                        "write).",
                        f"{self.ledger_path} 没有预警台账：不计入各模型的预警；只读用户（viewer）不建立台账（由有写权限"
                        f"的人运行 `graphkit models run --store {self.spec}`）。",
                    )
                )
                return None
            print(
                _said(
                    f"Viewer: the ledger is read as it is ({self.ledger_path}); the models are not run here.",
                    f"只读用户：按原样读取台账（{self.ledger_path}）；此处不运行模型。",
                )
            )
            return Ledger(self.ledger_path, read_only=True)
        from graphkit.rules import run_all
        from graphkit.rules.ledger import evidence_links

        who = current_user(by)
        hits, seconds = run_all(self.store)
        led = Ledger(self.ledger_path)
        led.record(hits, by=who, links=evidence_links(self.store, hits), store=self.spec, seconds=sum(seconds.values()))
        AuditLog(audit_path_for(self.spec)).append(
            "models run",
            {"store": self.spec, "models": "all", "ledger": str(self.ledger_path), "via": "notebook"},
            who=who,
            result=len(hits),
        )
        return led

    def warnings(self, by: str | None = None) -> list[dict]:
        """The ledger's warnings with their history (:meth:`ledger`; none, said, where a viewer finds no ledger)."""
        led = self.ledger(by)
        if led is None:
            return []
        try:
            return led.warnings(history=True)
        finally:
            led.close()

    def lead(self, scheme: str, *, near: str | None = None) -> list[str]:
        """The entities of one lead of ``scheme`` (a model id): in the demo the first planted instance
        (``truth.json``), in an existing store the model's first hit; with ``near`` (a key), the first that names
        it where one does.

        Raises
        ------
        NoLead
            (a ``LookupError``, shown in a notebook as its message alone) The store has no hit of that model.
        """
        leads = self._leads.get(scheme)
        if leads is None:
            if self.demo:
                if self._truth is None:
                    self._truth = json.loads((self.source / "truth.json").read_text(encoding="utf-8"))
                leads = [[str(x) for x in i["entities"]] for i in self._truth["instances"] if i["scheme"] == scheme]
            else:
                from graphkit.rules import run_all

                hits, _ = run_all(self.store, [scheme])
                leads = [[str(x) for x in e] for e in hits["entities"]] if not hits.empty else []
            self._leads[scheme] = leads
        if not leads:
            from graphkit.rules.words import model_title

            raise NoLead(
                _said(
                    f"model {scheme} finds nothing in {self.spec}, so this notebook has no lead to start from: name "
                    "the entity to start from in the first cell (SUBJECT = a name, NAME#N or a key; `graphkit find "
                    f"NAME --store {self.spec}` gives them)",
                    f"模型“{model_title(scheme, short=True)}”（{scheme}）在 {self.spec} 中没有命中，本笔记本没有可"
                    "起步的线索：请在第一个单元格中指明从谁开始（SUBJECT = 姓名、姓名#N 或编号；"
                    f"`graphkit find 姓名 --store {self.spec}` 可列出）",
                )
            )
        return list(next((e for e in leads if near is not None and near in e), leads[0]))

    def subject(
        self,
        text: str | None = None,
        *,
        scheme: str,
        at: int = 0,
        near: str | None = None,
        setting: str = "SUBJECT",
        env: str = SUBJECT_ENV,
    ) -> str:
        """The key of the entity a notebook works on, said in one line (masked): ``text``, the notebook's
        ``setting`` (``SUBJECT = "张伟#2"`` in its first cell), else the environment variable ``env``, read as
        ``graphkit portrait --person`` and ``warnings list --entity`` read one
        (:func:`graphkit.search.resolve_entity`: a key or an identifier, an exact name, ``NAME#N`` for one of
        namesakes; a person, company or unit); with neither, entity ``at`` of ``scheme``'s lead (:meth:`lead`: the
        one naming ``near`` where there is one).

        Raises
        ------
        NoSubject
            (a ``LookupError``, shown in a notebook as its message alone) The setting names no one, several
            entities (their handles listed, masked), or one that is no person, company or unit.
        NoLead
            No setting, and the model finds nothing in the store.
        """
        from graphkit.model.mask import mask_node_key, mask_text, public_keys
        from graphkit.paths import PathError
        from graphkit.rules.words import refusal_zh
        from graphkit.search import SUBJECT_LABELS, AmbiguousEntity, NotExact, WrongLabel, resolve_entity

        given = text if text is not None and str(text).strip() else os.environ.get(env, "").strip() or None
        if given is None:
            lead = self.lead(scheme, near=near)
            key = lead[at]
            label, name = self._describe(key)
            how = f"取自模型 {scheme} {'中含 ' + self._said(near) + ' 的命中' if near in lead else '的第一条命中'}"
        else:
            by = setting if text is not None and str(text).strip() else env
            try:
                # a person, company or unit, as ``graphkit export`` reads one
                found = resolve_entity(self.store, str(given), SUBJECT_LABELS, "a person, company or unit")
            except (AmbiguousEntity, NotExact) as exc:
                said = _said(
                    f"{by}: {exc} {_listed(exc.candidates)}",
                    f"{by}：{refusal_zh(str(exc))} {_listed(exc.candidates, zh=True)}",
                )
                raise NoSubject(mask_text(said)) from None
            except PathError as exc:
                wrong = isinstance(exc, WrongLabel)
                said = _said(
                    f"{by}: {exc}{'' if wrong else f' in {self.spec}'}; name a person, company or unit as "
                    "`graphkit find` lists them (a name, NAME#N or a key), or "
                    f"{'set ' + setting + ' = None' if by == setting else 'unset ' + env} to start from the first "
                    f"hit of {scheme}",
                    f"{by}：{refusal_zh(str(exc))}{'' if wrong else f'（{self.spec}）'}；请按 `graphkit find` 列出的"
                    "写法指明一个自然人、企业或单位（姓名、姓名#N 或编号），或"
                    f"{'设 ' + setting + ' = None' if by == setting else '不设 ' + env}，从模型 {scheme} 的第一条"
                    "命中开始",
                )
                keep = public_keys([(exc.found.label, exc.found.id)]) if wrong else frozenset()
                raise NoSubject(mask_text(said, keep=keep)) from None
            key, label, name = found.id, found.label, found.name
            how = f"按 {by} 所填"
        self._named[key] = (label, name)
        # in Chinese, as the path under it reads: the kind as the model names it (自然人, 企业, 单位)
        kind = Model.default().display_name(label) if label in Model.default().labels else label
        print(f"{setting}：{name or ''}（{kind} {mask_node_key(label, key)}），{how}")
        return key

    def path(self, a: str, b: str, *, max_hops: int = 4, html: str | Path | None = None, lang: str = "zh") -> Any:
        """The shortest path from ``a`` to ``b``, printed as one line and one sentence per hop with the source
        line it comes from (masked, as the Explorer shows it), and drawn to ``html``; where there is none within
        ``max_hops``, one sentence says so (a subject the notebook was told to start from need not lie on the
        model's lead).  In Chinese (:func:`graphkit.paths.explain`), or English with ``lang="en"``.

        Returns
        -------
        graphkit.paths.Path or None
        """
        from graphkit import paths
        from graphkit.model.mask import mask_text
        from graphkit.viz import to_html

        if lang not in ("zh", "en"):
            raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
        found = paths.shortest_path(self.store, a, b, max_hops=max_hops)
        if found is None:
            if lang == "zh":
                print(f"{self._said(a)} 与 {self._said(b)} 之间没有 {max_hops} 跳以内的路径")
            else:
                print(f"no path of at most {max_hops} hops between {self._said(a)} and {self._said(b)}")
            return None
        line = paths.path_line(found, store=self.store, lang=lang)
        print(mask_text(line))
        for sentence in paths.explain(found, store=self.store, lang=lang):
            print(" ", mask_text(sentence))
        if html is not None:
            to_html(found.graph(), Path(html), title=line)
        return found

    def named(self, key: str) -> str:
        """An entity as a case file's title names it: its name and its key as every face shows it (an ID number
        masked, a company's or unit's credit code in clear: ``张伟 (3205**********0018)``)."""
        from graphkit.model.mask import mask_node_key

        label, name = self._named.get(key) or self._describe(key)
        return f"{name} ({mask_node_key(label, key)})" if name else mask_node_key(label, key)

    def _said(self, key: str) -> str:
        """An entity named in a line: its name, else its key as every face shows it."""
        from graphkit.model.mask import mask_node_key

        label, name = self._named.get(key) or self._describe(key)
        return name or mask_node_key(label, key)

    def _describe(self, key: str) -> tuple[str, str | None]:
        from graphkit.paths import resolve

        node = resolve(self.store, key)
        return node.label, node.name

    def shown(self, key: str) -> str:
        """What a cell or a widget's box may hold for an entity the notebook works on: its key where every face
        shows it in clear (a company's or unit's credit code), else its name; never an ID number in clear."""
        from graphkit.model.mask import mask_node_key

        label, name = self._named.get(key) or self._describe(key)
        return key if mask_node_key(label, key) == key else (name or mask_node_key(label, key))


def _line(record: Mapping[str, Any]) -> Any:
    """A quarantine file's record's line, as a number: under ``line``, or ``row`` in a file written before."""
    v = record.get("line", record.get("row"))
    return int(v) if str(v or "").isdigit() else v


def _quarantine_said(total: int, shown: int, path: Path | None, totals: dict | None, *, zh: bool) -> str:
    """The line above the quarantined rows (:meth:`City.quarantined`): how many in all, how many shown, and the
    file that holds them all."""
    if zh:
        of = f"（共读取 {totals['read']:,} 行，加载 {totals['loaded']:,} 行）" if totals else ""
        said = f"加载共隔离 {total:,} 行{of}，" + (f"下表列出前 {shown} 行" if shown < total else "全部列于下表")
        return said + (f"；全部隔离行（标识未遮蔽）在 {path}" if path else "")
    of = f" (of {totals['read']:,} read, {totals['loaded']:,} loaded)" if totals else ""
    said = f"The load quarantined {total:,} rows in all{of}; " + (
        f"the first {shown} below" if shown < total else "all of them below"
    )
    return said + (f"; every quarantined row (identifiers in clear) is in {path}" if path else "")


def scored_table(frame: Any, lang: str = "zh") -> Any:
    """A table of scored tenders as a notebook shows it to an analyst: the reasons in Chinese
    (:func:`graphkit.collusion.words.zh`, the most suspicious first) and each column headed by its Chinese name
    (:func:`graphkit.collusion.words.headed`: 标段, 风险, 预警, 理由); ``lang="en"``: as the scorer wrote it. The
    scorers' tables (``score_tenders``, ``score_label_free``, ``note_dropped``) were shown as they are, their reasons
    in English.

    Example
    -------
    >>> import pandas as pd
    >>> shown = scored_table(
    ...     pd.DataFrame({"tender": ["T1"], "risk": [0.9], "reasons": ["risk in the top 1 % of this market's tenders"]})
    ... )
    >>> list(shown.columns), shown.iloc[0]["理由"]
    (['标段', '风险', '理由'], '风险居本市场标段前 1%')
    """
    from graphkit.collusion.words import headed, zh

    if check_lang(lang) == "en":
        return frame
    out = frame.copy()
    if "reasons" in out.columns:
        out["reasons"] = [zh(v) for v in out["reasons"]]
    return headed(out)


def community_table(communities: Any, *, top: int = 5, lang: str = "zh") -> Any:
    """The riskiest bidder communities (:attr:`graphkit.collusion.kg.KGScores.communities`) as notebook 03 shows them
    to an analyst: each column headed as ``communities.csv`` heads it (:func:`graphkit.collusion.words.headed`: 社区,
    numbered as ``communities.csv`` and ``communities.html``; 风险 to two decimals; 规模; 理由); ``lang="en"``:
    community, risk, size and reasons as scored. The table had headed them 团伙 and 企业数, two words for what the
    CSV, the HTML and the Collusion tab call 社区 and 规模.

    Example
    -------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"risk": [0.936152], "size": [6], "reasons": ["15 对成员全部共用标识"]},
    ...                  index=pd.Index([3], name="community"))
    >>> community_table(c).to_dict("records")
    [{'社区': 3, '风险': 0.94, '规模': 6, '理由': '15 对成员全部共用标识'}]
    """
    from graphkit.collusion.words import headed

    head = communities.head(top)
    if check_lang(lang) == "en":
        return head[["risk", "size", "reasons"]]
    shown = head[["risk", "size", "reasons"]].assign(risk=head["risk"].astype(float).round(2))
    return headed(shown.rename_axis("community").reset_index())


def screen_weights(scorer: Any, *, top: int = 5, lang: str = "zh") -> Any:
    """The screens that weigh most in an adapted scorer (:meth:`graphkit.collusion.adapt.AdaptedScorer.weights`,
    without its ``default``, ``label-free`` and ``model`` inputs), the largest first, as an analyst reads them: each
    screen by its Chinese name (:data:`graphkit.collusion.words.SCREEN_ZH`) with its key in brackets, its weight and
    which way it points, as ``graphkit collusion adapt`` says them; ``lang="en"``: the weights by key, as the
    scorer gives them. Notebook 03 showed the keys alone (SKEW, period, …).

    Example
    -------
    >>> import pandas as pd
    >>> class Fitted:  # any scorer with weights()
    ...     def weights(self):
    ...         return pd.Series({"default": -1.0, "label-free": 2.0, "SKEW": -0.4, "period": 0.9, "CV": 0.0})
    >>> screen_weights(Fitted(), top=2).to_dict("records")
    [{'筛查指标': '前后半年内的其他标段（period）', '权重': 0.9, '方向': '越高越可疑'}, \
{'筛查指标': '偏度（SKEW）', '权重': -0.4, '方向': '越高越可疑'}]
    """
    import pandas as pd

    from graphkit.collusion.adapt import raw_direction
    from graphkit.collusion.words import SCREEN_ZH

    w = scorer.weights().drop(["default", "label-free", "model"], errors="ignore")
    w = w.sort_values(key=abs, ascending=False).head(top)
    if check_lang(lang) == "en":
        return w
    return pd.DataFrame(
        {
            "筛查指标": [f"{SCREEN_ZH[k]}（{k}）" if k in SCREEN_ZH else k for k in w.index],
            "权重": w.to_numpy(),
            "方向": [{1: "越高越可疑", -1: "越低越可疑", 0: "不起作用"}[raw_direction(k, v)] for k, v in w.items()],
        },
        index=pd.RangeIndex(1, len(w) + 1),
    )


#: a case file's export result (:class:`graphkit.exports.ExportResult`) as notebook 05 heads it in Chinese
WRITTEN_COLUMNS_ZH = {
    "path": "文件",
    "format": "格式",
    "nodes": "节点",
    "links": "关系",
    "left_out_nodes": "图中略去的节点",
    "left_out_links": "图中略去的关系",
    "folded_nodes": "折叠的节点",
    "folds": "折叠为",
}


def written_table(results: Any, lang: str = "zh") -> Any:
    """The files a case-file export wrote (:class:`graphkit.exports.ExportResult` s), one row each, headed in Chinese
    (文件, 格式, 节点, 关系 …; ``lang="en"``: the result's fields, as the table read before)."""
    import pandas as pd

    frame = pd.DataFrame([vars(r) for r in results])
    return frame.rename(columns=WRITTEN_COLUMNS_ZH) if check_lang(lang) == "zh" else frame


def review_table(rows: Any, lang: str = "zh") -> Any:
    """The audit log's records as a reviewer reads them (:func:`graphkit.audit.review_rows`), shown within the
    notebook's width: the long cells (the parameters' JSON, the persons, the files and their SHA-256) wrapped where
    they must be, and the columns empty in every record shown named in the caption instead of drawn, in ``lang``
    (the rows' language: ``review_rows(…, lang=)``). The table had run past the output area's right edge, the files
    and digests behind a scroll bar."""
    import pandas as pd

    frame = pd.DataFrame(rows)
    empty = [c for c in frame.columns if (frame[c].astype(str) == "").all()]
    shown = frame.drop(columns=empty)
    long = [c for c in shown.columns if shown[c].astype(str).str.len().max() > 24]
    # Chinese breaks between any two characters: every heading (操作人) and a short cell (导出案卷) had stood one
    # character a line in a column squeezed by the long ones; they break at punctuation or spaces only, and the long
    # columns give up the width they take (their least 9em → 6em), so the table is no wider than it was
    cell = "text-align: left; vertical-align: top; white-space: normal"
    short = [c for c in shown.columns if c not in long]
    styler = (
        shown.style.hide(axis="index")
        .set_table_styles([{"selector": "td, th", "props": cell}, {"selector": "th", "props": "word-break: keep-all"}])
        .set_properties(subset=long, **{"overflow-wrap": "anywhere", "min-width": "6em"})
        .set_properties(subset=short, **{"word-break": "keep-all"})
    )
    if not empty:
        return styler
    if check_lang(lang) == "en":
        return styler.set_caption("columns empty in every record: " + ", ".join(empty))
    return styler.set_caption("各条记录均为空的列：" + "、".join(empty))


def candidates(store: GraphStore, query: str, *, limit: int = 10, lang: str = "zh") -> Any:
    """The entities a search finds (:func:`graphkit.search.find`), with what tells namesakes apart (birth year,
    unit, post: :func:`graphkit.search.describe`), as the workbench lists them: identifiers masked, each kind, how
    it matched and the headers in Chinese (:func:`graphkit.search.in_words`; ``lang="en"``: as ``find`` names
    them).

    Returns
    -------
    pandas.DataFrame
    """
    import pandas as pd

    from graphkit import search
    from graphkit.model.mask import mask_data

    found = search.describe(store, search.find(store, query, limit=limit))
    table = pd.DataFrame(mask_data(found.to_dict("records")), columns=found.columns)
    # what a kind does not have (a company's birth year, unit and post) is empty, not NaN or None
    return search.in_words(table.astype(object).where(table.notna(), ""), lang=check_lang(lang))


def work_folder() -> Path:
    """The folder every notebook writes into (its demo city, store, pages, case files, portraits):
    ``GRAPHKIT_NOTEBOOK_OUT``, else ``notebook_out`` in the folder the notebook runs in (``notebooks/``).

    Named here once, so the five notebooks write to one folder (01 wrote to ``out/notebook``, the others to
    ``notebook_out``).

    >>> WORK = work_folder()  # doctest: +SKIP
    """
    return Path(os.environ.get(OUT_ENV, "").strip() or OUT_DEFAULT)


def open_city(
    name: str, *, work: str | Path | None = None, scale: int | None = None, seed: int = 7, ledger: bool = False
) -> City:
    """The store of a notebook: the one ``GRAPHKIT_STORE`` names, else a synthetic city built anew (see the
    module doc). Also sets pandas to show a cell's text whole (``display.max_colwidth``), for the reasons.

    Parameters
    ----------
    name : str
        The demo city's name (``city02``): tables in ``WORK/name``, store ``WORK/name.db``.
    work : str or Path, optional
        The demo's folder (:func:`work_folder` by default).
    scale : int, optional
        The demo's persons (``GRAPHKIT_SCALE``, 10,000 by default).
    seed : int, default 7
    ledger : bool, default False
        The notebook keeps warnings: the demo's ledger is deleted with its store (an existing one never is).

    Raises
    ------
    DataMissing
        (a ``FileNotFoundError``, shown in a notebook as its message alone) ``GRAPHKIT_STORE`` that is no store
        spec (or a Neo4j URI holding a password); ``GRAPHKIT_STORE=embedded:PATH`` with nothing at ``PATH``;
        ``GRAPHKIT_LEDGER`` naming no file; ``ledger`` with a Neo4j store and no ``GRAPHKIT_LEDGER``.
    graphkit.stores.StoreUnavailable
        Neo4j cannot be reached or refuses the credentials (also shown as its message alone).
    """
    from graphkit.rules.ledger import default_path

    # what the notebook writes (stores, case files, portraits) is readable by its owner only, as the commands' files
    # are (graphkit --umask 077): they hold ID numbers in clear; GRAPHKIT_UMASK=022 shares them
    os.umask(_umask())
    # a table's reasons whole: pandas cut them at 50 characters ("15 of 15 member pairs share identifiers:
    # bid-b..."), and the reasons are what an analyst reads a score for
    import pandas as pd

    pd.set_option("display.max_colwidth", None)
    spec_text = os.environ.get(STORE_ENV, "").strip()
    ledger_env = os.environ.get(LEDGER_ENV, "").strip()
    if spec_text:
        from graphkit.rules.words import refusal_zh
        from graphkit.stores import StoreUnavailable

        try:
            spec = StoreSpec.parse(spec_text)
        except ValueError as exc:  # its message alone (never the spec: a URI may hold a password), no traceback
            raise DataMissing(_said(f"{STORE_ENV}: {exc}", f"{STORE_ENV}：{refusal_zh(str(exc))}")) from None
        if spec.kind == "embedded" and not Path(spec.target).exists():
            load = f"`graphkit load SOURCE_DIR --store embedded:{spec.target}`"
            raise DataMissing(
                _said(
                    f"{STORE_ENV}={spec_text}: no store at {spec.target}",
                    f"{STORE_ENV}={spec_text}：{spec.target} 没有库：先用 {load} 把来源表加载进去（或不设 "
                    f"{STORE_ENV}，笔记本会自己生成一座合成的演示城市）",
                )
            )
        make = f"`graphkit models run --store {spec_text} --ledger FILE` makes one and fills it"
        if ledger_env and not Path(ledger_env).is_file():
            raise DataMissing(
                _said(
                    f"{LEDGER_ENV}={ledger_env}: no ledger there; {make}",
                    f"{LEDGER_ENV}={ledger_env}：那里没有预警台账；`graphkit models run --store {spec_text} --ledger "
                    f"{ledger_env}` 会建立台账并写入各模型的预警",
                )
            )
        if ledger and not ledger_env and spec.kind != "embedded":
            # said before the store is opened: it was a TypeError from Path(None) in the ledger's cell, after
            # the models had run
            raise DataMissing(
                _said(
                    f"{STORE_ENV}={spec_text} is not an embedded store, so its warning ledger has no place beside "
                    f"it: name the ledger's file with {LEDGER_ENV}=FILE ({make})",
                    f"{STORE_ENV}={spec_text} 不是嵌入式库，库旁没有放预警台账的地方：请用 {LEDGER_ENV}=文件 指明"
                    f"台账文件（`graphkit models run --store {spec_text} --ledger 文件` 会建立台账并写入各模型的预警）",
                )
            )
        path = Path(ledger_env) if ledger_env else default_path(spec_text) if spec.kind == "embedded" else None
        # a viewer's notebook changes nothing in the store, not even an older store's schema (as the commands)
        viewer = os.environ.get("GRAPHKIT_ROLE", "").strip().lower() == "viewer"
        keep = {"upgrade": False} if viewer and spec.kind == "embedded" else {}
        try:
            store = open_store(spec, read_only=True, **keep)
        except StoreUnavailable as exc:  # the cell shows the sentence alone: in the reader's language
            exc.said = _said(str(exc), refusal_zh(str(exc)))
            raise
        return City(store, spec_text, path, demo=False)
    from graphkit.stores.embedded import EmbeddedStore, remove_store
    from graphkit.synth import generate
    from loaders.engine import load_dir

    work = Path(work or work_folder())
    scale = int(scale or os.environ.get("GRAPHKIT_SCALE", "10000"))
    source, db = work / name, work / f"{name}.db"
    spec = f"embedded:{db}"
    generate(source, scale=scale, seed=seed)
    remove_store(db)  # the demo runs again in the same folder
    path = Path(ledger_env) if ledger_env else default_path(spec)
    if ledger and not ledger_env:
        path.unlink(missing_ok=True)
    store = EmbeddedStore(db)
    report, _ = load_dir(source, store)
    # the rows it refused, whole, beside the store, where `graphkit load` writes them (notebook 01 names the file)
    report.write_quarantine(StoreSpec.parse(spec).beside(".quarantine.csv"))
    return City(store, spec, path, demo=True, source=source, report=report)


def notebook_lang() -> str:
    """``zh`` or ``en``: the language a notebook's own sentences are said in (a refusal, a note printed by a cell):
    English under ``GRAPHKIT_LANG=en``, else Chinese, as the command line's."""
    return "en" if os.environ.get("GRAPHKIT_LANG", "").strip().lower() == "en" else "zh"


def _said(en: str, zh: str) -> str:
    """``zh``, or ``en`` under ``GRAPHKIT_LANG=en`` (:func:`notebook_lang`)."""
    return en if notebook_lang() == "en" else zh


def _umask() -> int:
    """``GRAPHKIT_UMASK`` (octal, 077 by default) as the notebooks' umask; a value that is not one is said."""
    text = os.environ.get("GRAPHKIT_UMASK", "").strip() or "077"
    try:
        value = int(text, 8)
    except ValueError:
        value = -1
    if not 0 <= value <= 0o777:
        raise DataMissing(
            _said(
                f"GRAPHKIT_UMASK={text} is not an octal umask such as 077 or 022",
                f"GRAPHKIT_UMASK={text} 不是八进制的权限掩码：写 077（仅本人可读）或 022（所有人可读）",
            )
        )
    return value


@dataclass(frozen=True)
class Note:
    """A sentence a cell shows in place of a table that has nothing to show (as Markdown in JupyterLab, as the
    sentence alone in text)."""

    text: str

    def __repr__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return self.text


class DataMissing(FileNotFoundError):
    """Data a notebook needs is not where it is expected; shown in a notebook as its message alone."""

    def _render_traceback_(self) -> list[str]:  # IPython shows these lines instead of a traceback
        return [str(self)]


class NoLead(LookupError):
    """A store where the model a notebook starts from finds nothing; shown in a notebook as its message alone."""

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


class NoSubject(LookupError):
    """A notebook's subject (``SUBJECT``, ``GRAPHKIT_SUBJECT``) that names no one, several entities, or one that is
    no person, company or unit; shown in a notebook as its message alone, identifiers masked."""

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


def _listed(found: Any, *, zh: bool = False) -> str:
    """Candidates as one clause: each handle with what tells it apart (label, birth year, unit, post); ``zh``: the
    label as the model names it in Chinese (自然人), Chinese punctuation."""

    def said(v: Any) -> str:
        return "" if v is None or v != v or isinstance(v, (list, tuple)) and not v else str(v)

    model = Model.default()
    parts = []
    for r in found.head(8).to_dict("records"):
        more = [said(r.get(c)) for c in ("label", "born", "unit", "post")]
        if zh and more[0] in model.labels:
            more[0] = model.display_name(more[0])
        if zh:
            parts.append(f"{r.get('handle') or r.get('name')}（{'，'.join(m for m in more if m)}）")
        else:
            parts.append(f"{r.get('handle') or r.get('name')} ({', '.join(m for m in more if m)})")
    if zh:
        return "；".join(parts) + ("；…" if len(found) > 8 else "")
    return "; ".join(parts) + ("; …" if len(found) > 8 else "")


def collusion_data(*, start: str | Path = ".") -> Path:
    """The folder of the labelled cartel data (García Rodríguez et al. 2022: Japanese, Swiss, Italian and
    US bids from markets where a cartel was proved), read in place: ``GRAPHKIT_COLLUSION_DATA``, else
    ``shared/data/collusion_garcia_rodriguez_2022`` one or two folders above ``start`` (the project root, or
    its ``notebooks/``).

    Raises
    ------
    DataMissing
        Not found: the message says where it was looked for, what the data is and where it comes from.
    """
    env = os.environ.get(DATA_ENV, "").strip()
    start = Path(start).resolve()
    tried = (
        [Path(env)] if env else [up / "shared" / "data" / COLLUSION_DATA for up in (start.parent, *start.parents[1:2])]
    )
    for p in tried:
        if (p / "DB_Collusion_Japan_processed.csv").is_file():
            return p
    if notebook_lang() == "zh":
        raise DataMissing(
            "带标签的串标数据不在这里：已查找 "
            + "、".join(str(p) for p in tried)
            + "。它是 García Rodríguez 等（2022）《Collusion detection in public procurement auctions with machine "
            "learning algorithms》（Automation in Construction 133, 104047，doi:10.1016/j.autcon.2021.104047）的补充"
            "数据：日本、瑞士、意大利和美国已认定串标（卡特尔）的市场中的真实报价（DB_Collusion_Japan_processed.csv、"
            "DB_Collusion_Switzerland_GR_and_See-Gaster_processed.csv …；该文件夹中的 SOURCE.md 有说明）。它不放在"
            f"仓库里，而放在项目文件夹旁的 ../shared/data/{COLLUSION_DATA}/：请把它放到那里，或设 "
            f"{DATA_ENV}=文件夹。本笔记本上面的第 1 部分（知识图谱中的投标人社区）不需要它。"
        )
    raise DataMissing(
        "The labelled bid-rigging data is not there: looked in "
        + ", ".join(str(p) for p in tried)
        + ". It is the supplementary data of García Rodríguez et al. (2022), 'Collusion detection in public "
        "procurement auctions with machine learning algorithms', Automation in Construction 133, 104047 "
        "(doi:10.1016/j.autcon.2021.104047): real bids from Japanese, Swiss, Italian and US markets where a "
        "cartel was proved (DB_Collusion_Japan_processed.csv, DB_Collusion_Switzerland_GR_and_See-Gaster_"
        "processed.csv …; SOURCE.md in that folder describes it). It is kept outside the repository, in "
        f"../shared/data/{COLLUSION_DATA}/ beside the project folder; put it there or set {DATA_ENV}=FOLDER. "
        "Part 1 of this notebook (the knowledge graph's bidder communities), above, does not need it."
    )
