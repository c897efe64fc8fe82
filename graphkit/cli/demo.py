"""``graphkit demo``: synthesise a city → load it into an embedded store →
stats → visuals of planted schemes → the collision models' warnings → paths
for the case file → tender collusion from the graph → units ranked for an
inspection and the riskiest one's pre-portrait → the bid records screened
without a label; everything lands in one folder with an ``index.html`` a
person can open, each of the four users' jobs in a section of its own."""

from __future__ import annotations

import html
import json
import shutil
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from graphkit import progress
from graphkit.cli.audit import refuse_viewer
from graphkit.cli.common import OutPath, console_lang, said
from graphkit.model import Model
from graphkit.stores import StoreSpec

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["run_demo", "took_line"]


def run_demo(
    out: Path,
    *,
    scale: int = 3_000,
    seed: int = 7,
    echo: Callable[[str], None] = print,
    max_visuals_per_scheme: int = 1,
    timed: Callable[[float], None] | None = None,
) -> Path:
    """Run the whole demo into ``out``; return the path of ``out/index.html``. ``timed`` is told the seconds the
    demo took, the figure its page prints (``用时 … 秒``), for the console to say the same."""
    from graphkit.model.mask import known_public, reset_known_public, set_known_public
    from graphkit.stores.embedded import EmbeddedStore, remove_store
    from graphkit.synth import generate
    from loaders.engine import load_dir

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    # the page is written last, when everything it links to is: an earlier run's, left while this one is stopped
    # half way (Ctrl-C), would pass off a folder that lacks what it links to as complete
    (out / "index.html").unlink(missing_ok=True)
    city, db = out / "city", out / "graph.db"
    t0 = time.perf_counter()
    # each step line in the console's language (it was both at once, whatever --lang said)
    echo(
        said(
            f"1/9 synthesising a city of {scale:,} persons (seed {seed}) into {city}",
            f"1/9 合成城市：{scale:,} 人（随机种子 {seed}），写入 {city}",
        )
    )
    for folder in (city, out / "visuals", out / "case_files", out / "collusion", out / "inspection"):
        if folder.exists():  # the demo's own folders: nothing of an earlier run (another seed) stays beside this one
            shutil.rmtree(folder)
    generate(city, scale=scale, seed=seed, progress=True)
    echo(said(f"2/9 loading it into the embedded store {db}", f"2/9 加载入库：嵌入式库 {db}"))
    remove_store(db)
    store = EmbeddedStore(db)
    public, keys = None, frozenset()
    try:
        report, unknown = load_dir(city, store, progress=True)
        # the city's official cars and registered addresses in clear in what follows; private ones masked
        keys = store.public_keys()
        public = set_known_public(keys)
        # beside the store, where `graphkit load` writes it and the notebooks (01's "what was refused") read it on
        # `graphkit lab --store embedded:…/graph.db`: written as out/quarantine.csv, 01 said there was none
        report.write_quarantine(_quarantine(db))
        (out / "load_report.json").write_text(report.to_json(), encoding="utf-8")
        _audit(db, "load", {"source": str(city), "files": [f.file for f in report.files], **report.totals()},
               report.totals()["loaded"])  # fmt: skip
        counts = store.counts()
        (out / "stats.json").write_text(json.dumps(counts, ensure_ascii=False, indent=2), encoding="utf-8")
        t = report.totals()
        nodes, links = sum(counts["nodes"].values()), sum(counts["relationships"].values())
        echo(
            said(
                f"3/9 read {t['read']:,} rows: loaded {t['loaded']:,}, quarantined {t['quarantined']:,}; "
                f"{nodes:,} nodes, {links:,} relationships",
                f"3/9 读取 {t['read']:,} 行：加载 {t['loaded']:,} 行，隔离 {t['quarantined']:,} 行；"
                f"节点 {nodes:,} 个，关系 {links:,} 条",
            )
        )
        echo(said("4/9 drawing planted schemes from truth.json", "4/9 绘制植入线索：取自 truth.json"))
        truth = json.loads((city / "truth.json").read_text(encoding="utf-8"))
        visuals = _draw_schemes(store, truth, out, max_visuals_per_scheme)
        warnings = _run_models(store, db, out, echo)
        explained = _explain_planted(store, truth, echo, out)
        collusion = _score_collusion(store, out, echo)
        inspection = _inspect(store, db, out, echo)
        screens = _screen_bids(city, truth, out, echo)
    finally:
        if public is not None:
            reset_known_public(public)
        store.close()
    (out / "model.md").write_text(Model.default().markdown_table(), encoding="utf-8")
    seconds = time.perf_counter() - t0
    if timed is not None:
        timed(seconds)
    with known_public(keys):
        return _index(
            out,
            report,
            counts,
            visuals,
            unknown,
            seconds,
            scale,
            seed,
            warnings=warnings,
            explained=explained,
            collusion=collusion,
            inspection=inspection,
            screens=screens,
        )


def _run_models(store, db: Path, out: Path, echo) -> pd.DataFrame:
    """Every collision model → the warning ledger beside the store; ``warnings.csv`` for a spreadsheet."""
    import getpass

    from graphkit.rules import run_all
    from graphkit.rules.ledger import Ledger, default_path, evidence_links

    echo(
        said(
            "5/9 running the data-collision models into the warning ledger",
            "5/9 运行数据碰撞模型，预警写入台账",
        )
    )
    t0 = time.perf_counter()
    hits, _ = run_all(store, progress=True)
    ledger_path = default_path(f"embedded:{db}")
    for p in (ledger_path,):
        if p.exists():
            p.unlink()
    with Ledger(ledger_path) as led:
        led.record(
            hits,
            by=getpass.getuser(),
            links=evidence_links(store, hits) if len(hits) else {},
            store=f"embedded:{db}",
            seconds=time.perf_counter() - t0,
        )
        rows = led.warnings()
    _audit(db, "models run", {"models": "all", "ledger": str(ledger_path)}, len(hits))
    import pandas as pd

    from graphkit.model.mask import warning_summary
    from graphkit.rules.words import level_word, model_title, status_word

    # Chinese first for the investigator who opens it (the model's title, level, status, summary), then the
    # columns as before (the machine keys and the English summary); summaries masked as warnings list masks them
    table = pd.DataFrame(
        [
            {
                "id": w["id"],
                "model": w["model"],
                "model_zh": model_title(w["model"]),
                "level_zh": level_word(w["level"]),
                "status_zh": status_word(w["status"], w["outcome"]),
                "summary_zh": warning_summary(w),
                "level": w["level"],
                "status": w["status"],
                "summary": warning_summary(w, lang="en"),
            }
            for w in rows
        ],
        columns=["id", "model", "model_zh", "level_zh", "status_zh", "summary_zh", "level", "status", "summary"],
    )
    table.to_csv(out / "warnings.csv", index=False, encoding="utf-8-sig")
    models = table["model"].nunique() if len(table) else 0
    echo(
        said(
            f"    {len(table):,} warnings from {models} models; ledger {ledger_path.name}",
            f"    {models} 个模型产生预警 {len(table):,} 条；台账 {ledger_path.name}",
        )
    )
    return table


def _explain_planted(store, truth: dict, echo, out: Path) -> list[tuple[str, list[str], Path]]:
    """Shortest paths from planted officials to the companies that won their units' tenders, explained,
    each also written as a case file (``case_files/path_N.pdf``, as ``graphkit path --export`` writes one)."""
    from graphkit.audit import current_user, graph_persons, written_files
    from graphkit.exports import CaseInfo, write_case_file
    from graphkit.model.mask import mask_text
    from graphkit.paths import PathError, explain, path_line, shortest_path

    echo(
        said(
            "6/9 explaining official → winning company paths (relative_wins_tender_1hop), a PDF each",
            "6/9 解释关系路径：公职人员 → 中标企业（relative_wins_tender_1hop），每条写一份 PDF",
        )
    )
    found = []
    for inst in truth.get("instances", []):
        if inst["scheme"] != "relative_wins_tender_1hop":
            continue
        typed = list(zip(inst["types"], inst["entities"], strict=True))
        official = next(e for t, e in typed if t == "person")
        company = next(e for t, e in typed if t == "company")
        try:
            path = shortest_path(store, official, company, max_hops=4)
        except PathError as exc:
            echo(  # masked: the official is named by ID number
                mask_text(
                    said(f"    no path {official} → {company}: {exc}", f"    无路径 {official} → {company}：{exc}")
                )
            )
            continue
        if path is not None:
            line = path_line(path, store=store, lang=console_lang())  # (it was Chinese under --lang en)
            n = len(found) + 1
            # written as graphkit path --export writes a case file (header with case number, exporter, time and
            # masking; the path from its start on the left; legend; appendix; watermark; page numbers): the
            # demo's own drawing had none of them, and drew the official on the right
            g = path.graph()
            for i, node in enumerate(path.nodes):
                g.nodes[node.id]["hop"] = min(i, len(path.nodes) - 1 - i)
            info = CaseInfo(
                case=f"{said('demo', '演示')}-{n}",
                by=current_user(None),
                subject=f"{'path' if console_lang() == 'en' else '路径'} {line}",
                seeds=(official, company),
                lang=console_lang(),  # its headings, legend and appendix in the console's language alone
            )
            pdf = write_case_file(g, out / "case_files" / f"path_{n}.pdf", info).path
            found.append((line, explain(path, store=store, lang=console_lang()), pdf.relative_to(out)))
            # whose data the file shows, as `graphkit export` records it: `audit show --about` missed the demo's
            _audit(
                Path(store.path),
                "export",
                {
                    "path": [official, company],
                    "case": info.case,
                    "formats": ["pdf"],
                    **written_files(pdf),
                    "persons": graph_persons(g),
                },
                g.number_of_nodes(),
            )
    return found


def _audit(db: Path, command: str, params: dict, result: int) -> None:
    """A record of the demo's store's audit log, as the command the step stands for writes it (``via=demo``):
    the demo's load, models run, case files and portrait are all on record, not the portrait alone."""
    from graphkit.cli.audit import record

    record(f"embedded:{db}", command, {**params, "via": "demo"}, by=None, purpose="graphkit demo", result=result)


def _score_collusion(store, out: Path, echo) -> pd.DataFrame:
    """Bid-rigging risk of tenders, bidders and communities from the knowledge graph."""
    from graphkit.collusion.kg import score_store
    from graphkit.reports import write_collusion_reports

    echo(
        said(
            "7/9 scoring tender collusion (bidder graph, communities)",
            "7/9 围标串标：投标人关系图与社区评分",
        )
    )
    scores = score_store(store)
    write_collusion_reports(scores, out / "collusion", store=store, lang=console_lang())  # headers as the console
    return scores.communities


#: how a unit's factors are joined in ``units.csv`` and split on the page (the first factor), in the console's language
_FACTOR_SEP = {"en": "; ", "zh": "；"}


def _factor_words(fs: list[dict]) -> str:
    """A unit's factors (:meth:`graphkit.risk.AnomalyScorer.factors`) in the console's words, joined: ``text``, or
    ``text_en`` under ``--lang en`` (``units.csv`` and the page's first factor had been Chinese under en)."""
    lang = "en" if console_lang() == "en" else "zh"
    return _FACTOR_SEP[lang].join(str(f["text_en" if lang == "en" else "text"]) for f in fs)


def _units_notes() -> list[tuple[str, str]]:
    """``units.xlsx``'s notes sheet in the console's language alone (it was Chinese under ``--lang en``)."""
    return [
        (
            said("contents", "内容"),
            said(
                "every unit ranked by anomaly risk, as graphkit rank --kind unit ranks them",
                "全部单位按异常风险排名，同 graphkit rank --kind unit",
            ),
        ),
        ("credit_code", said("the unified social credit code, kept as text", "统一社会信用代码，保留为文本")),
        ("risk", said("risk 0-100: the share of the city's units it is above", "风险 0-100：高于全市多少比例的单位")),
        (
            "factors",
            said(
                "up to three factors, against the peer group's median; a warning factor says the warnings it counts",
                "最多三个因素，与对照组中位数相比；预警因素注明所计的预警",
            ),
        ),
    ]


def _inspect(store, db: Path, out: Path, echo) -> dict:
    """The inspection team's job (巡察): every unit ranked by anomaly risk against its peers, with the ledger's
    warnings, as ``graphkit rank --kind unit`` ranks them (``inspection/units.csv``), and the riskiest unit's
    pre-portrait (预画像), HTML and PDF, as ``graphkit portrait --unit`` writes it: masked, and recorded in the
    store's audit log like every portrait."""
    import pandas as pd

    from graphkit.audit import current_user, portrait_persons, written_files
    from graphkit.cli.audit import record
    from graphkit.cli.common import write_workbook
    from graphkit.cli.risk import _cache
    from graphkit.portrait_render import write, write_pdf
    from graphkit.risk.features import GraphFeatures, named_warnings, warnings_by_feature
    from graphkit.risk.portrait import keep_scores, unit_portrait
    from graphkit.risk.scorer import AnomalyScorer
    from graphkit.risk.tables import UNIT_QUERIES, read_tables
    from graphkit.rules.ledger import Ledger, default_path

    echo(
        said(
            "8/9 ranking units for an inspection and writing the riskiest unit's pre-portrait",
            "8/9 巡察单位排名与预画像：为风险最高的单位写出预画像",
        )
    )
    spec = f"embedded:{db}"
    with Ledger(default_path(spec), read_only=True) as led:
        warnings = led.warnings(history=True)
    tables = read_tables(store, UNIT_QUERIES, cache=_cache(spec, False))
    X = GraphFeatures(kind="unit", warnings=warnings or None).fit_transform(tables)
    sc = AnomalyScorer(kind="unit").fit(X)
    keep_scores(tables, X, sc, warnings, True)  # the portrait below, and `graphkit portrait` later, read them
    score = sc.score_parts(X)["score"]
    order = score.sort_values(ascending=False, kind="stable").index
    risk = sc.risk(X)
    # a warning factor names the warnings it counts, as `graphkit rank` and the portrait say it (the page and the
    # file said 未核销红色预警 2 条 and not which)
    factors = named_warnings(sc.factors(X.loc[order]), order, warnings_by_feature(warnings or None, tables, "unit"))
    units = pd.DataFrame(
        {
            # as `rank` and the portrait number it: tied units share the first of their places (the page had
            # numbered three units tied 9th as 9, 10 and 11, where the portrait said 全市第 9 of each)
            "rank": score.rank(ascending=False, method="min").astype(int).loc[order].to_numpy(),
            "credit_code": order,
            "name": X.loc[order, "name"].to_numpy(),
            "risk": risk.loc[order].round(1).to_numpy(),
            "peers": [sc.comparison_words(str(X.loc[i, "peer"]), short=True, lang=console_lang()) for i in order],
            "compared_with": [sc.comparison_words(str(X.loc[i, "peer"]), lang=console_lang()) for i in order],
            "factors": [_factor_words(fs) for fs in factors],
        }
    )
    (out / "inspection").mkdir(parents=True, exist_ok=True)
    from graphkit.cli.risk import ranking_headed

    # headed in the console's language, as rank --out and score-bids' files (it had English headers under Chinese)
    headed = ranking_headed(units, console_lang())
    headed.to_csv(out / "inspection" / "units.csv", index=False, encoding="utf-8-sig")  # a BOM: Excel shows Chinese
    # and as a workbook, its credit codes kept as text: opened in Excel, the CSV's all-digit ones (113205830953740547)
    # are numbers rounded past the 15th digit, 1.13206E+17, as `rank --out` warns
    write_workbook(
        headed,
        out / "inspection" / "units.xlsx",
        _units_notes(),
        sheet="units",
        lang=console_lang(),
    )
    top = str(order[0])
    p = unit_portrait(store, top, warnings=warnings, use_warnings=True, store_name=spec, tables=tables)
    p["_view"] = {"list_all": False, "max_drawn": 60}
    html_path, pdf_path = out / "inspection" / f"portrait_{top}.html", out / "inspection" / f"portrait_{top}.pdf"
    # in the console's language, as rank's portrait --lang en is (both were Chinese under --lang en)
    write(p, html_path, unmask=False, by=current_user(None), lang=console_lang())  # who exported, as its PDF says
    write_pdf(p, pdf_path, unmask=False, by=current_user(None), reason="", lang=console_lang())
    record(
        spec,
        "portrait",
        {
            "unit": top,
            "out": str(html_path),
            "pdf": str(pdf_path),
            "via": "demo",
            **written_files(html_path, pdf_path),
            "persons": portrait_persons(p),
        },
        by=None,
        purpose="graphkit demo",
        result=1,
    )
    echo(
        said(
            f"    {len(units):,} units ranked; pre-portrait of {p['name']} (risk {p['risk']['risk']:.1f}) → {pdf_path}",
            f"    {len(units):,} 个单位已排名；预画像：{p['name']}（风险 {p['risk']['risk']:.1f}）→ {pdf_path}",
        )
    )
    return {"units": units, "html": html_path.relative_to(out), "pdf": pdf_path.relative_to(out), "name": p["name"]}


def _screen_bids(city: Path, truth: dict, out: Path, echo) -> dict:
    """The analyst's job where no cartel has been proven yet: the city's bid records (``bids.csv``, as the
    procurement department exports them) scored by the label-free screen score, as ``graphkit collusion
    score-bids bids.csv`` scores them (``collusion/bid_screens.csv``, the rows left out in
    ``collusion/bid_screens.quarantine.csv``). The tenders the generator rigged (``truth.json``) are looked up
    only afterwards, to say how they rank: the generator plants cover bids a few per cent above the winner, as
    the literature describes them, so this says the screens read that pattern, not how they fare in a real
    market (``python bench/collusion_eval.py --unseen`` does, on proven cartels)."""
    import numpy as np

    from graphkit.collusion.features import tender_features
    from graphkit.collusion.unsupervised import LabelFreeScorer, note_dropped, score_label_free, unscorable
    from graphkit.collusion.words import bilingual, headed
    from loaders.bids import read_bids

    echo(
        said(
            "9/9 screening the city's bid records with no label (the label-free screen score)",
            "9/9 无标签投标筛查：用无标签筛查分为本市的投标记录评分",
        )
    )
    table = read_bids([city / "bids.csv"])
    (out / "collusion").mkdir(parents=True, exist_ok=True)
    table.report.write_quarantine(out / "collusion" / "bid_screens.quarantine.csv")
    feats = tender_features(table.bids)
    scorer = LabelFreeScorer().fit(feats)
    result = note_dropped(score_label_free(feats, scorer), feats, table.dropped)
    # reasons in Chinese, the English last as reasons_en, and the headers in the console's language, as score-bids
    # writes them (and the page shows them)
    result = bilingual(result)
    headed(result, console_lang()).to_csv(out / "collusion" / "bid_screens.csv", index=False, encoding="utf-8-sig")
    rigged = {
        e
        for i in truth.get("instances", [])
        if i["scheme"] == "bid_rigging"
        for e, t in zip(i["entities"], i["types"], strict=True)
        if t == "tender"
    }
    scored = result[result["risk"].notna()].sort_values("risk", ascending=False, kind="stable")
    is_rigged = scored["tender"].astype(str).isin(rigged).to_numpy()
    auc = float("nan")
    if 0 < is_rigged.sum() < len(is_rigged):
        from sklearn.metrics import roc_auc_score

        auc = float(roc_auc_score(is_rigged, scored["risk"].to_numpy()))
    t = table.report.totals()
    found = {
        "read": t["read"],
        "quarantined": t["quarantined"],
        "scored": len(scored),
        "flagged": int(scored["flagged"].sum()),
        "unscored": len(result) - len(scored),
        "single": int(unscorable(feats).sum()),
        "rigged": int(result["tender"].astype(str).isin(rigged).sum()),
        "rigged_flagged": int(scored["flagged"].to_numpy()[is_rigged].sum()),
        "auc": auc,
        "context": sorted({c for cs in scorer.context_used_.values() for c in cs}),
        "top": scored.head(8).assign(planted=is_rigged[:8]),
    }
    echo(
        said(
            f"    {found['scored']:,} tenders scored, {found['flagged']:,} flagged, {found['unscored']:,} not scored "
            f"(with reasons); {found['rigged_flagged']} of the {found['rigged']} tenders the generator rigged flagged"
            + (f" (ROC AUC {auc:.2f})" if np.isfinite(auc) else ""),
            f"    评分标段 {found['scored']:,} 个，标记 {found['flagged']:,} 个，"
            f"{found['unscored']:,} 个未评分（附原因）；"
            f"生成器植入的 {found['rigged']} 个围标标段中 {found['rigged_flagged']} 个被标记"
            + (f"（ROC AUC {auc:.2f}）" if np.isfinite(auc) else ""),
        )
    )
    return found


def _index(
    out: Path,
    report,
    counts,
    visuals,
    unknown,
    seconds: float,
    scale: int,
    seed: int,
    *,
    warnings=None,
    explained=(),
    collusion=None,
    inspection=None,
    screens=None,
) -> Path:
    e = html.escape
    warn_html = ""
    if warnings is not None and len(warnings):
        from graphkit.rules.words import level_word, model_title

        by = warnings.groupby(["model", "level"]).size().unstack(fill_value=0)
        levels = [lv for lv in ("red", "orange", "yellow") if lv in by.columns]
        # each model by its title in the page's language (its id beside it: under --lang en it was the id alone), the
        # levels as 红色 / 橙色 / 黄色, and one warning of the model as the ledger words it (its summary, masked)
        en = console_lang() == "en"  # (the English summary under --lang en: no Chinese beside)
        summary = "summary" if en and "summary" in warnings.columns else "summary_zh"
        first = warnings.drop_duplicates("model").set_index("model")[summary]
        trs = "".join(
            "<tr><td style='text-align:left'>"
            + f"{e(model_title(m, 'en' if en else 'zh'))}<br><small><code>{e(m)}</code></small>"
            + "</td>"
            + "".join(f"<td>{int(r[lv])}</td>" for lv in levels)
            + f"<td style='text-align:left'><small>{e(str(first.get(m, '')))}</small></td></tr>"
            for m, r in by.iterrows()
        )
        warn_html = (
            "<h2 id='warnings'>"
            + said(f"Warnings ({len(warnings):,}) from the collision models", f"数据碰撞模型预警 {len(warnings):,} 条")
            + "</h2><p>"
            + said(
                "Every warning is in <a href='warnings.csv'>warnings.csv</a> (the Chinese columns first: model_zh, "
                "level_zh, status_zh, summary_zh) and in the warning ledger <code>graph.db.ledger.sqlite</code> "
                f"(<code>graphkit warnings list --store embedded:{e(str(out / 'graph.db'))}</code>).",
                "全部预警见 <a href='warnings.csv'>warnings.csv</a>（中文列在前：model_zh、level_zh、"
                "status_zh、summary_zh）和预警台账 <code>graph.db.ledger.sqlite</code>"
                f"（<code>graphkit warnings list --store embedded:{e(str(out / 'graph.db'))}</code>）。",
            )
            + "</p>"
            f"<table><tr><th class='l'>{said('model', '模型')}</th>"
            + "".join(f"<th>{level_word(lv, console_lang())}</th>" for lv in levels)
            + f"<th class='l'>{said('an example', '预警示例')}</th></tr>{trs}</table>"
        )
    paths_html = "".join(
        f"<li><b>{e(line)}</b> (<a href='{e(pdf.as_posix())}'>PDF</a>)<ul>"
        + "".join(f"<li>{e(h)}</li>" for h in hops)
        + "</ul></li>"
        for line, hops, pdf in explained
    )
    if paths_html:
        paths_html = (
            "<h2 id='paths'>"
            + said(
                "Official → winning company: the paths, with a source row per hop",
                "公职人员 → 中标企业：关系路径，每一跳注明来源行",
            )
            + f"</h2><ol>{paths_html}</ol>"
        )
    col_html = ""
    if collusion is not None and len(collusion):
        from graphkit.collusion.words import COLUMN_NOTES

        top = collusion.head(5)
        # the English reasons under --lang en (kept as reasons_en beside the Chinese), as the screens' table reads
        en = console_lang() == "en" and "reasons_en" in top.columns
        reason = "reasons_en" if en else "reasons" if "reasons" in top.columns else None
        # headed as communities.csv and notebook 03 head them (社区, 风险, 理由): the page had said 团伙
        head = {k: said(k, COLUMN_NOTES[k][0]) for k in ("community", "risk", "reasons")}
        trs = "".join(
            f"<tr><td>{e(str(i))}</td><td>{float(r['risk']):.2f}</td><td style='text-align:left'>"
            f"{e(str(r[reason])) if reason else ''}</td></tr>"
            for i, r in top.iterrows()
        )
        col_html = (
            "<h2 id='communities'>"
            + said("Tender collusion: riskiest bidder communities", "围标串标：风险最高的投标人社区")
            + "</h2><p>"
            + said(
                "The risks of tenders, bidders and communities, with their reasons, are in "
                "<a href='collusion/'>collusion/</a>; <a href='collusion/communities.html'>communities.html</a> "
                "draws each community.",
                "标段、投标人和社区的风险及理由见 <a href='collusion/'>collusion/</a>；"
                "<a href='collusion/communities.html'>communities.html</a> 画出各社区。",
            )
            + "</p>"
            f"<table><tr><th>{e(head['community'])}</th><th>{e(head['risk'])}</th>"
            f"<th class='l'>{e(head['reasons'])}</th></tr>{trs}</table>"
        )
    insp_html = ""
    spec = e(f"embedded:{out / 'graph.db'}")
    if inspection is not None:
        top = inspection["units"][inspection["units"]["rank"] <= 10]  # the top 10 and any tied with the 10th
        trs = "".join(
            f"<tr><td>{int(r['rank'])}</td><td style='text-align:left'>{e(str(r['name']))}<br><small>"
            f"{e(str(r['credit_code']))}</small></td><td>{float(r['risk']):.1f}</td>"
            f"<td style='text-align:left'>{e(str(r['peers']))}</td>"
            f"<td style='text-align:left'>{e(str(r['factors']).split(_FACTOR_SEP[said('en', 'zh')])[0])}</td></tr>"
            for _, r in top.iterrows()
        )
        insp_html = (
            "<h2 id='inspection'>"
            + said("Inspection: units ranked by anomaly risk, and a pre-portrait", "巡察：单位异常风险排名与预画像")
            + "</h2>"
            + "<p>"
            + said(
                "Each unit against its peers, the ledger's warnings counted: <a href='inspection/units.xlsx'>"
                "units.xlsx</a> (an Excel workbook, credit codes kept as text), <a href='inspection/units.csv'>"
                f"units.csv</a> (all {len(inspection['units']):,} units, up to three factors each). The riskiest "
                f"unit's pre-portrait, {e(str(inspection['name']))}: <a href='{e(inspection['html'].as_posix())}'>"
                f"HTML</a>, <a href='{e(inspection['pdf'].as_posix())}'>PDF</a> (personal data masked; recorded in "
                f"the audit log, <code>graphkit audit show --store {spec}</code>). Any other unit: "
                f"<code>graphkit portrait --unit CREDIT_CODE --store {spec} --out P.html</code>.",
                "每个单位与同类单位对照，并计入台账预警：<a href='inspection/units.xlsx'>units.xlsx</a>"
                "（Excel 工作簿，信用代码保留为文本）、<a href='inspection/units.csv'>units.csv</a>"
                f"（全部 {len(inspection['units']):,} 个单位，每个最多三个因素）。风险最高单位的预画像，"
                f"{e(str(inspection['name']))}：<a href='{e(inspection['html'].as_posix())}'>HTML</a>、"
                f"<a href='{e(inspection['pdf'].as_posix())}'>PDF</a>（个人信息已脱敏；已记入审计日志，"
                f"<code>graphkit audit show --store {spec}</code>）。其他单位："
                f"<code>graphkit portrait --unit CREDIT_CODE --store {spec} --out P.html</code>。",
            )
            + "</p><table><tr>"
            + said(
                "<th>rank</th><th class='l'>unit</th><th>risk</th><th class='l'>peer group</th>"
                "<th class='l'>first factor</th>",
                "<th>名次</th><th class='l'>单位</th><th>风险</th><th class='l'>对照组</th><th class='l'>首要因素</th>",
            )
            + "</tr>"
            f"{trs}</table>"
        )
    scr_html = ""
    if screens is not None:
        s = screens
        why = "reasons_en" if console_lang() == "en" and "reasons_en" in s["top"].columns else "reasons"
        trs = "".join(
            f"<tr><td style='white-space:nowrap'>{e(str(r['tender']))}{' ✱' if r['planted'] else ''}</td>"
            f"<td>{float(r['risk']):.2f}</td>"
            f"<td style='text-align:left'>{e(str(r[why]))}</td></tr>"
            for _, r in s["top"].iterrows()
        )
        from graphkit.collusion.words import SCREEN_ZH

        auc = f"，评分标段上的 ROC AUC {s['auc']:.2f}" if s["auc"] == s["auc"] else ""
        auc_en = f", ROC AUC {s['auc']:.2f} on the scored tenders" if s["auc"] == s["auc"] else ""
        read = "、".join(SCREEN_ZH.get(c, c) for c in s["context"]) or "无"
        read_en = ", ".join(s["context"]) or "none"
        scr_html = (
            "<h2 id='screens'>"
            + said("Bid records screened with no label (the label-free screen score)", "无标签投标筛查")
            + "</h2><p>"
            + said(
                "The procurement department's <code>city/bids.csv</code>, as the commission receives it, with no "
                f"confirmed collusion: {s['read']:,} bid records read, {s['quarantined']:,} set aside (the file, row "
                "and reason of each in the <a href='collusion/bid_screens.quarantine.csv'>quarantine file</a>); "
                f"{s['scored']:,} tenders scored by the price screens of the published literature, each ranked among "
                f"the tenders of its market and of as many bids (the context read: {e(read_en)}), "
                f"{s['flagged']:,} flagged (the riskier half), {s['unscored']:,} not scored, with the reason "
                f"({s['single']:,} of them on a single bid): <a href='collusion/bid_screens.csv'>bid_screens.csv</a>. "
                "✱ marks a tender the generator rigged (<code>truth.json</code>, read only after scoring): "
                f"{s['rigged_flagged']} of {s['rigged']} flagged{auc_en}. The generator writes the cover bids a few "
                "per cent above the winning price as the literature describes them, so this shows only that the "
                "screens find that pattern; how they do on real markets of confirmed collusion is in the README "
                "(<code>python bench/collusion_eval.py --unseen</code>).",
                f"采购部门的 <code>city/bids.csv</code>，与纪委监委收到的一样，没有已查实的串标：读取投标记录 "
                f"{s['read']:,} 行，{s['quarantined']:,} 行因故剔除（文件、行号和原因见 "
                f"<a href='collusion/bid_screens.quarantine.csv'>隔离文件</a>）；按公开文献的报价筛查指标为 "
                f"{s['scored']:,} 个标段评分，每个标段在本市场及同等报价数的标段中排位（参考的背景：{e(read)}），"
                f"标记 {s['flagged']:,} 个（风险较高的一半），{s['unscored']:,} 个未评分并注明原因（其中单一报价 "
                f"{s['single']:,} 个）：<a href='collusion/bid_screens.csv'>bid_screens.csv</a>。"
                f"✱ 为生成器植入的围标标段（<code>truth.json</code>，评分之后才读取）：{s['rigged']} 个中 "
                f"{s['rigged_flagged']} 个被标记{auc}。生成器按文献描述写入比中标价高几个百分点的陪标报价，"
                "所以这里只说明筛查指标能识别这种模式；在已查实的真实串标市场上的效果见 README"
                "（<code>python bench/collusion_eval.py --unseen</code>）。",
            )
            + "</p><table><tr>"
            + said(
                "<th class='l'>tender</th><th>risk</th><th class='l'>reasons</th>",
                "<th class='l'>标段</th><th>风险</th><th class='l'>理由</th>",
            )
            + f"</tr>{trs}</table>"
        )
    rows = "".join(
        f"<tr><td>{e(f.file)}</td><td>{f.read:,}</td><td>{f.loaded:,}</td><td>{f.quarantined:,}</td></tr>"
        for f in report.files
    )
    t = report.totals()
    quarantine = e(_quarantine(out / "graph.db").name)
    # each kind by the model's Chinese name, its label or type beside it (the table listed Person, WON … alone
    # under Chinese headings), as `graphkit stats` and notebook 01 count them
    model = Model.default()
    cnt = "".join(
        f"<tr><td>{e(model.display_name(k, console_lang()))}</td><td style='text-align:left'><code>{e(k)}</code></td>"
        f"<td>{v:,}</td></tr>"
        for kind in ("nodes", "relationships")
        for k, v in counts[kind].items()
    )
    vis = "".join(
        (
            f"<li><a href='{e(str(p))}'>{e(s)}</a> ({n} entities, {m} links)</li>"
            if console_lang() == "en"
            else f"<li><a href='{e(str(p))}'>{e(_scheme_title(s))}</a> <small><code>{e(s)}</code></small>"
            f"（{n} 个实体，{m} 条关系）</li>"
        )
        for s, p, n, m in visuals
    )
    skipped = "".join(f"<li>{e(p.name)}</li>" for p in unknown) or f"<li>{said('none', '无')}</li>"
    # its headings in the console's language alone (each had its English after its Chinese: 调查人员 investigator,
    # 加载 Load, 模型 model …); the prose is Chinese
    title = said(
        f"graphkit demo: synthetic city of {scale:,} persons (seed {seed})",
        f"graphkit 演示：{scale:,} 人的合成城市（随机种子 {seed}）",
    )
    page = f"""<!doctype html><html lang="{console_lang()}"><head><meta charset="utf-8">
<title>{said("graphkit demo", "graphkit 演示")}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}td,th{{padding:2px 10px;text-align:right}}
th{{white-space:nowrap}}
td:first-child,th.l{{text-align:left}}table{{border-collapse:collapse}}tr:nth-child(even){{background:#f3f3f3}}</style></head><body>
<h1>{e(title)}</h1>
<p>{
        said(
            f"Took {seconds:.1f} s. The source tables are in <code>city/</code>, the truth of the planted schemes in "
            "<code>city/truth.json</code>, the embedded store in <code>graph.db</code>, the graph model described in "
            "<code>model.md</code>.",
            f"用时 {seconds:.1f} 秒。源数据表在 <code>city/</code>，植入线索的真值在 <code>city/truth.json</code>，"
            "嵌入式图库在 <code>graph.db</code>，图模型说明在 <code>model.md</code>。",
        )
    }</p>
{_roles(bool(warn_html), bool(paths_html), bool(col_html), bool(scr_html), bool(insp_html))}
{warn_html}{paths_html}{col_html}{scr_html}{insp_html}
<h2 id='schemes'>{said("Planted schemes", "植入线索")}</h2>
<p>{
        said(
            "A map for each kind; hover over a link for its source file and row.",
            "每类一张关系图；鼠标停在每条关系上，显示其来源文件和行号。",
        )
    }</p>
<ul>{vis}</ul>
<h2 id='load'>{said("Load", "加载")}</h2>
<table><tr>{
        said(
            "<th class='l'>file</th><th>read</th><th>loaded</th><th>quarantined</th>",
            "<th class='l'>文件</th><th>读取</th><th>入库</th><th>隔离</th>",
        )
    }</tr>{rows}
<tr><th>{said("total", "合计")}</th><th>{t["read"]:,}</th><th>{t["loaded"]:,}</th><th>{t["quarantined"]:,}</th></tr>
</table>
<p>{
        said(
            f'The rows refused, with their file, row, column and reason: <a href="{quarantine}">{quarantine}</a>; '
            'the whole report: <a href="load_report.json">load_report.json</a>. Files no data contract matches:',
            f'被拒的行及其文件、行号、列和原因：<a href="{quarantine}">{quarantine}</a>；'
            '完整报告：<a href="load_report.json">load_report.json</a>。没有数据契约匹配的文件：',
        )
    }</p><ul>{skipped}</ul>
<h2 id='graph'>{said("Graph", "图谱")}</h2>
<table><tr>{
        said(
            "<th>kind</th><th class='l'>label / relationship type</th><th>count</th>",
            "<th>类别</th><th class='l'>标签 / 关系类型</th><th>数量</th>",
        )
    }</tr>{cnt}</table>
</body></html>"""
    p = out / "index.html"
    p.write_text(page, encoding="utf-8")
    return p


def _quarantine(db: Path) -> Path:
    """The demo's quarantine file: beside its store, where `graphkit load` writes one and the notebooks read it."""
    return StoreSpec("embedded", str(db)).beside(".quarantine.csv")


def _draw_schemes(store, truth: dict, out: Path, most: int = 1) -> list[tuple[str, Path, int, int]]:
    """A map of each planted scheme (``most`` a scheme) in ``visuals/``, in the console's language (its title,
    legend and notes were Chinese under ``--lang en``): (scheme, its file under ``out``, nodes, links) each."""
    from graphkit.evidence import fold, warning_graph
    from graphkit.viz import page_positions, to_html

    visuals: list[tuple[str, Path, int, int]] = []
    seen: Counter = Counter()
    for inst in truth.get("instances", []):
        scheme = inst["scheme"]
        if seen[scheme] >= most:
            continue
        seen[scheme] += 1
        # drawn as its warning's evidence is drawn (warnings show --export, the Warnings tab): the
        # entities, the links among them and what joins them (a ring's bids and shared phone, agent,
        # bond account), not only the links among the entities (a ring had shown its awards alone)
        g = warning_graph(store, inst)
        g = fold(g, keep=g.graph.get("entities", []))
        # laid out as the case file's image is, the same way up, not by the page's physics, which packed a ring
        # into a ball
        p = to_html(
            g,
            out / "visuals" / f"{scheme}_{seen[scheme]}.html",
            title=_visual_title(scheme, g.number_of_nodes(), g.number_of_edges()),
            positions=page_positions(g),
            lang=console_lang(),
        )
        visuals.append((scheme, p.relative_to(out), g.number_of_nodes(), g.number_of_edges()))
    return visuals


def _visual_title(scheme: str, nodes: int, links: int) -> str:
    """A planted scheme's map's title in the console's language alone (its Chinese title under ``--lang en`` too)."""
    if console_lang() == "en":
        from graphkit.rules.words import model_title

        words = model_title(scheme, "en")
        named = scheme if words == scheme else f"{words} ({scheme})"
        return f"{named}: {nodes} entities, {links} links"
    return f"{_scheme_title(scheme)}：{nodes} 个实体，{links} 条关系"


def _scheme_title(scheme: str) -> str:
    """A planted scheme as a reader calls it: its model's ``title_zh``, or the Chinese of a scheme no model
    targets (:data:`graphkit.synth.unmodelled.UNMODELLED_ZH`), or its id."""
    from graphkit.rules.words import model_title
    from graphkit.synth.unmodelled import UNMODELLED_ZH

    return UNMODELLED_ZH.get(scheme) or model_title(scheme)


def _roles(warnings: bool, paths: bool, communities: bool, screens: bool, inspection: bool) -> str:
    """Where on the page each of the four users finds their job (only the sections the page has)."""
    jobs = [
        (
            said("investigator", "调查人员"),
            [
                ("paths", paths, said("the paths, a source row per hop", "关系路径，每一跳注明来源行")),
                ("schemes", True, said("a map per planted scheme", "每类植入线索一张关系图")),
            ],
        ),
        (
            said("inspection team", "巡察组"),
            [
                ("inspection", inspection, said("units ranked, and a pre-portrait", "单位排名与预画像")),
                ("warnings", warnings, said("the models' warnings", "模型预警")),
            ],
        ),
        (
            said("analyst", "分析人员"),
            [
                ("screens", screens, said("bid records screened with no label", "无标签投标筛查")),
                ("communities", communities, said("bidder communities", "投标人社区")),
            ],
        ),
        (
            said("case officer", "案件承办人"),
            [("paths", paths, said("the paths' case-file PDFs", "关系路径的案卷 PDF"))],
        ),
    ]
    items = []
    for who, parts in jobs:
        links = [f"<a href='#{a}'>{html.escape(what)}</a>" for a, there, what in parts if there]
        if links:
            items.append(f"<li><b>{html.escape(who)}</b>{said(': ', '：')}{said('; ', '；').join(links)}</li>")
    return f"<ul>{''.join(items)}</ul>" if items else ""


@click.command("demo")
@click.option(
    "--out",
    "out",
    default=Path("out"),
    show_default=True,
    type=OutPath(folder=True),
    help="Folder for the demo's city, store, reports and visuals.",
)
@click.option(
    "--scale",
    default=3_000,
    show_default=True,
    type=click.IntRange(1_000, 1_000_000),
    help="Persons in the synthetic city.",
)
@click.option("--seed", default=7, show_default=True, type=int, help="Random seed of the synthetic city.")
def demo_cmd(out: Path, scale: int, seed: int) -> None:
    """Synthesise a small city, load it into an embedded store, print stats, write out/."""

    refuse_viewer("run the demo (it loads a store)")
    from graphkit.cli.common import if_interrupted

    if_interrupted(
        f"the demo stopped half way: {out} holds part of it and no index.html; run `graphkit demo --out {out}` "
        "again to make it whole",
        f"演示未完成：{out} 中只有一部分文件，没有 index.html；重新运行 `graphkit demo --out {out}` 即可补全",
    )
    took: list[float] = []
    index = run_demo(out, scale=scale, seed=seed, echo=progress.echo, timed=took.append)  # clear of any bar running
    # the notebooks on this store, its ledger and its quarantine, as the README opens them on a store loaded before
    # (the demo named no way from its page to the workbench)
    lab = f"graphkit lab --store embedded:{index.parent / 'graph.db'}"
    click.echo(
        said(
            f"the notebooks and the workbench on this store: {lab}",
            f"在 JupyterLab 中用笔记本和工作台调查这个库：{lab}",
        )
    )
    # how long it took, as its page says it (the console had not said it)
    click.echo(took_line(took[0], console_lang()))
    # the closing line in the console's language (it read "open out/index.html" under the Chinese console)
    click.echo(said(f"open {index}", f"完成：用浏览器打开 {index} 查看结果"))


def took_line(seconds: float, lang: str = "zh") -> str:
    """How long the demo took, as its page says it (``用时 … 秒``, the same figure), in ``lang`` alone.

    >>> took_line(83.04), took_line(83.04, "en")
    ('演示用时 83.0 秒', 'the demo took 83.0 s')
    """
    return f"the demo took {seconds:.1f} s" if lang == "en" else f"演示用时 {seconds:.1f} 秒"


COMMANDS = [demo_cmd]
