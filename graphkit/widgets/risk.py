"""Risk: units, persons or companies ranked by anomaly risk against their peers, and a unit's pre-portrait.

"Rank" reads the store's risk tables (:func:`graphkit.risk.read_tables`), builds the named features
(:class:`graphkit.risk.GraphFeatures`) and scores them (:class:`graphkit.risk.AnomalyScorer`), as
``graphkit rank`` does; the picked row's top factors are drawn as bars, its value against the peers' median.
"Portrait" writes the pre-portrait (:func:`graphkit.portrait_render.write_html`) into ``out_dir`` and shows
it inline. Picking a row stays on this tab (its factors shown, Portrait enabled); "在关系探索中打开" (``lang="en"``:
"open in Explorer") opens the picked unit, person or company in the Explorer of the same workbench. The buttons read
Chinese alone (``排名``, ``预画像``), as the status lines and the list's heading do (``lang="en"``: English alone).
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as W

from graphkit.audit import portrait_persons, written_files
from graphkit.model.mask import mask, mask_text
from graphkit.risk.features import format_value
from graphkit.rules.words import check_lang
from graphkit.stores.base import GraphStore
from graphkit.widgets.base import ActionButton, Identity, Panel, Selection, case_in, label, stretch

__all__ = ["Risk"]

_LABELS = {"unit": "Organization", "person": "Person", "company": "Company"}
#: each kind as the Kind control and the status lines name it in Chinese (the value stays the key)
KIND_ZH = {"unit": "单位", "person": "人员", "company": "企业"}
#: the measure word each kind is counted with (3,000 名人员, 232 家企业), as ``graphkit rank`` counts them
_MEASURE_ZH = {"unit": "个", "person": "名", "company": "家"}


class Risk(Panel):
    """Anomaly ranking with factor bars and the pre-portrait (see the module doc).

    Parameters
    ----------
    store : GraphStore
    warnings : list of dict, optional
        Ledger warnings to count among the features (none: anomaly features alone).
    ledger : Ledger, optional
        Read at every ranking and portrait instead of ``warnings`` (the Workbench passes its Warnings tab's
        ledger, so a warning verified there counts in the next ranking).
    out_dir : str or Path, default "case_files"
        Where portraits are written.
    lang : {"zh", "en"}, default "zh"
        Language of the status lines and the labels (``"zh"``: ``排名``; ``"en"``: ``Rank``), and of the
        portraits written (``"zh"``: Chinese alone; ``"en"``: with the English beside it).
    iforest : float, default 0.0
        Weight of the Isolation Forest's term in the score, as ``graphkit rank --iforest W`` and ``graphkit portrait
        --iforest W`` (0: left out); the ranking and the portraits opened from it read one score.
    selection, identity :
        Shared with the other panels of a :class:`~graphkit.widgets.Workbench`.
    """

    name = "risk"

    def __init__(
        self,
        store: GraphStore,
        *,
        warnings: list[dict] | None = None,
        ledger=None,
        out_dir: str | Path = "case_files",
        lang: str = "zh",
        iforest: float = 0.0,
        selection: Selection | None = None,
        identity: Identity | None = None,
        **_ignored,
    ) -> None:
        super().__init__(selection, identity)
        self.lang = check_lang(lang)
        self.iforest = float(iforest)
        self.store = store
        self._warnings = warnings
        self.ledger = ledger
        self.out_dir = Path(out_dir)
        self.ranked: list[dict] = []
        self.kind = W.Dropdown(
            options=[(self._kind_word(k), k) for k in _LABELS], value="unit", description=self.words("类别", "Kind")
        )
        self.rank_button = ActionButton(
            description=label(lang, "排名", "Rank"), icon="sort-amount-desc", layout=W.Layout(width="auto")
        )
        self.table = W.Select(options=[], rows=10, layout=stretch())
        self.table.add_class("graphkit-risk-table")
        # what the two numbers of a row are (an analyst read '99.8  21.66  苏州市数据局 · …' with no heading)
        # (in the panel's language alone: it read 风险分 risk (0-100) · 等级 level … under both)
        self.heading = W.HTML(
            "<small>"
            + self.words(
                "风险分（0-100）· 等级 · 得分（异常 + 预警）· 名称 · 编号 · 对照组",
                "risk (0-100) · level · score (anomaly + warnings) · name · id · compared with",
            )
            + "</small>"
        )
        self.factors = W.HTML()
        self.portrait_button = ActionButton(
            description=label(lang, "预画像", "Portrait"), icon="id-card", disabled=True, layout=W.Layout(width="auto")
        )
        self.open_button = ActionButton(
            description=label(lang, "在关系探索中打开", "open in Explorer"),
            icon="sitemap",
            disabled=True,
            layout=W.Layout(width="auto"),
            tooltip=self.words(
                "在关系探索标签页中查看所选行的关系", "show the picked row's relationships in the Explorer tab"
            ),
        )
        self.portrait = W.HTML()
        self.rank_button.on_click(self.rank)
        self.kind.observe(self._on_kind, names="value")
        self.table.observe(self._on_pick, names="value")
        self.portrait_button.on_click(self.show_portrait)
        self.open_button.on_click(self.open_in_explorer)
        # the Explorer button only where a workbench has that tab: notebook 04 shows this panel alone, and the
        # button there pointed at a tab the notebook has not got
        if not self.selection.shown_in:
            self.open_button.layout.display = "none"
        self.widget = W.VBox(
            [
                W.HBox([self.kind, self.rank_button]),
                self.heading,
                self.table,
                self.status,
                self.factors,
                W.HBox([self.portrait_button, self.open_button]),
                self.portrait,
            ]
        )
        self.widget.add_class("graphkit-risk")

    def _kind_word(self, kind: str) -> str:
        """A kind as a reader says it: 单位, 人员, 企业 (``lang="en"``: unit, person, company)."""
        return self.words(KIND_ZH[kind], kind)

    def _shown(self, key: str) -> str:
        return key if self.identity.unmask or self.kind.value != "person" else mask(key, "id_number")

    @property
    def warnings(self) -> list[dict] | None:
        """The ledger's warnings now (with a ledger), else those given."""
        return self.ledger.warnings(history=True) if self.ledger is not None else self._warnings

    @Panel.action(what="风险排名 / Rank")
    def rank(self, _=None, top: int = 50) -> None:
        """Rank the chosen kind by anomaly risk (0-100) against its peers."""
        from graphkit.risk import AnomalyScorer, GraphFeatures
        from graphkit.risk.features import named_warnings, warnings_by_feature
        from graphkit.risk.portrait import risk_levels
        from graphkit.risk.scorer import with_ties
        from graphkit.risk.tables import QUERIES, UNIT_QUERIES, read_tables

        kind = self.kind.value
        self.say(self.words(f"{self._kind_word(kind)}排名中 …", f"ranking {kind}s …"))
        tables = read_tables(self.store, UNIT_QUERIES if kind == "unit" else QUERIES)
        warnings = self.warnings
        X = GraphFeatures(kind=kind, warnings=warnings or None).fit_transform(tables)
        sc = AnomalyScorer(kind=kind, warnings=bool(warnings), iforest=self.iforest).fit(X)
        risk, score = sc.risk(X), sc.anomaly_score(X)
        # the top rows and any tied with the last (a cut between equal scores dropped one unsaid), each with its
        # place, tied rows sharing the first of theirs; a warning factor names its warnings, as `rank` does
        order = with_ties(score, top)
        place = score.rank(ascending=False, method="min").astype(int)
        factors = named_warnings(sc.factors(X.loc[order]), order, warnings_by_feature(warnings, tables, kind))
        # the facts a model warned of, per row: a factor of such a fact counts once with the warning (fact_notes)
        warned = [{t["family"] for t in ts if t.get("family")} for ts in sc.warning_terms(X.loc[order])]
        # the level the portrait says (红色 / 橙色 / 一般), as `graphkit rank` shows it beside the risk
        levels = risk_levels(sc, X, order, risk, score)
        self.ranked = [
            {
                "id": str(i),
                "name": str(X.loc[i, "name"]) if isinstance(X.loc[i, "name"], str) else "",
                "risk": float(risk[i]),
                "level": levels[i],
                "rank": int(place[i]),
                "peer": str(X.loc[i, "peer"]),
                "compared_with": sc.comparison_words(str(X.loc[i, "peer"]), short=True, lang=self.lang),
                "compared_with_words": sc.comparison_words(str(X.loc[i, "peer"]), lang=self.lang),
                "decimals": int(sc.decimals_),
                "score": float(score[i]),
                "factors": fs,
                "warned": sorted(w),
                "families": {f["family"]: list(sc.family_words(f["family"])) for f in fs if f.get("family")},
            }
            for i, fs, w in zip(order, factors, warned, strict=True)
        ]
        forest = {"iforest": self.iforest} if self.iforest else {}  # as `rank --iforest W` records it
        self.identity.record("rank", kind=kind, top=top, result=len(self.ranked), **forest)
        self.table.options = [
            (
                f"{r['rank']:>3}. {r['risk']:5.{r['decimals']}f}  {self._level(r['level'])}  {r['score']:5.2f}  "
                f"{r['name'] or '—'} · "
                f"{self._shown(r['id'])} · "
                f"{r['compared_with']}",
                r["id"],
            )
            for r in self.ranked
        ]
        # each kind counted by its own word (3,000 名人员, 232 家企业: it read 人员 3,000 个), and the rows past
        # --top said to be ties (top 5 listed 8)
        unit = _MEASURE_ZH[kind]
        tied = len(self.ranked) > top
        self.say(
            self.words(
                f"已评分 {len(X):,} {unit}{self._kind_word(kind)}；列出风险最高的 {len(self.ranked)} {unit}"
                + (f"（含与第 {top} 名得分并列者）" if tied else ""),
                f"{len(X):,} {kind}s scored; the {len(self.ranked)} riskiest listed"
                + (f" (with those tied with #{top})" if tied else ""),
            )
        )

    def _on_kind(self, change) -> None:
        """Another kind: the rows ranked are of the old one, so they go (a unit's code picked and Kind set to
        person made Portrait look the code up as an ID number) until Rank is pressed again."""
        self.ranked = []
        self.table.options = []
        self.factors.value = ""
        self.portrait.value = ""
        self.portrait_button.disabled = self.open_button.disabled = True
        self.say(
            self.words(
                f"类别已改为{self._kind_word(change['new'])}：请点“排名”", f"Kind is {change['new']}: press Rank"
            )
        )

    def _on_pick(self, change) -> None:
        if change["new"] is None:
            return
        from graphkit.portrait_render import fact_notes

        r = next(x for x in self.ranked if x["id"] == change["new"])
        rows = []
        # as the portrait says them: a factor of a fact listed above 不另计, one of a fact a model warned of counts
        # once with the warning (the bars had shown three factors of one contract as three findings)
        notes = fact_notes(r["factors"], set(r.get("warned", ())), r.get("families") or {})
        for f, note in zip(r["factors"], notes, strict=True):
            fmt = f.get("fmt", "num")
            value, med = (
                format_value(f.get("value"), fmt, self.lang),
                format_value(f.get("peer_median"), fmt, self.lang),
            )
            z = float(f.get("z") or 0.0)
            width = max(2, min(100, int(abs(z) * 20)))
            # in the tab's language alone: `vs` had stood inside the Chinese (98.0 万元 vs 0 元), 万元 in the English
            against = self.words(f"{value}，对照组中位数 {med}", f"{value} vs {med}")
            if str(f["feature"]).startswith("warnings_"):  # a count scored from zero: `2 vs 1` read as a comparison
                against = self.words(f"{value} 条，不与同类比较", f"{value}, not against peers")
            said = note[0] if self.lang == "zh" else note[1]
            colour = "#bab0ac" if "不另计" in note[0] else "#e15759"  # not counted again: a grey bar
            rows.append(
                f"<tr><td>{html.escape(mask_text(self._text(f)))}</td>"
                f"<td><div style='background:{colour};height:10px;width:{width}px'></div></td>"
                f"<td>{html.escape(against)} ({html.escape(self._degree(f, z) + said)})</td></tr>"
            )
        # the heading in the tab's language alone, as its rows are
        cols = (
            ("因素", "偏离同类", "取值与对照组中位数")
            if self.lang == "zh"
            else ("factor", "z vs peers", "value vs the median of those compared with")
        )
        head = "<thead><tr>" + "".join(f"<th>{c}</th>" for c in cols) + "</tr></thead>"
        self.factors.value = (
            f"<b>{html.escape(r['name'])}</b> "
            + self.words(
                f"风险 {r['risk']:.{r.get('decimals', 1)}f}（{self._level(r['level'])}）· 对照组：",
                f"risk {r['risk']:.{r.get('decimals', 1)}f} ({self._level(r['level'])}) · compared with ",
            )
            + f"{html.escape(r.get('compared_with_words', r['peer']))}"
            f"<table class='graphkit-factors'>{head}<tbody>{''.join(rows)}</tbody></table>"
        )
        self.portrait_button.disabled = self.kind.value == "company"
        self.open_button.disabled = False

    def _text(self, f: dict) -> str:
        """A factor's sentence in the tab's language (under ``lang="en"`` it had read the Chinese one)."""
        said = f.get("text") if self.lang == "zh" else f.get("text_en") or f.get("text")
        return said or f["feature"]

    def _level(self, level: str) -> str:
        """A row's level as its portrait says it: 红色 / 橙色 / 一般 (``lang="en"``: red / orange / normal)."""
        from graphkit.portrait_render import LEVEL_ZH

        return self.words(LEVEL_ZH.get(level, level), level)

    def _degree(self, f: dict, z: float) -> str:
        """How far a factor stands out, as the portrait says it (偏离 2.3, 偏离 ≥6，封顶, a warning's 预警计分 6.0):
        the tab said (z 6.0) of a warning's points too; ``z 6.0`` / ``warning points 6.0`` in English."""
        if self.lang == "zh":
            from graphkit.portrait_render import factor_degree

            return factor_degree(f)
        return f"{'warning points' if str(f['feature']).startswith('warnings_') else 'z'} {z:.1f}"

    def open_in_explorer(self, _=None) -> None:
        """Pick the row picked here for the other panels: a workbench opens it in its Explorer tab."""
        key = self.table.value
        if key is None:
            self.say(self.words("请先排名并选中一行", "rank and pick a row first"), error=True)
            return
        self.selection.pick(_LABELS[self.kind.value], key, self.name)

    @Panel.action(("写入预画像中", "writing the pre-portrait"), what="预画像 / Portrait")
    def show_portrait(self, _=None) -> Path | None:
        """Write the picked unit's or person's pre-portrait into ``out_dir`` and show it here."""
        from graphkit.portrait_render import portrait_file, write_html
        from graphkit.risk.portrait import person_portrait, unit_portrait

        key = self.table.value
        if key is None:
            self.say(self.words("请先排名并选中一个单位或人员", "rank and pick a unit or a person first"), error=True)
            return None
        make = unit_portrait if self.kind.value == "unit" else person_portrait
        warnings = self.warnings
        p = make(self.store, key, warnings=warnings or [], use_warnings=bool(warnings), iforest=self.iforest)
        # the name beside the masked key, and never over an earlier file: masked ID numbers coincide (of a
        # 20,000-person city 11,500 share theirs with another), and a second person's portrait had overwritten
        # the first's, whose record's SHA-256 then named no file
        out = portrait_file(self.out_dir, str(p.get("name") or ""), self._shown(key))
        # the case number the workbench's 事由 names, read as the Explorer's export reads it (it printed 未编案卷号
        # under a purpose holding one), and who made the portrait, as `graphkit risk portrait --case --by` prints them
        case = case_in(self.identity.purpose)
        # in the panel's language, as `graphkit portrait --lang` writes it (Chinese alone by default)
        write_html(p, out, unmask=self.identity.unmask, case=case, by=self.identity.who.strip(), lang=self.lang)
        self.identity.record(
            "portrait",
            entity=key,
            out=str(out),
            persons=portrait_persons(p),
            result=1,
            **({"case": case} if case else {}),
            **({"iforest": self.iforest} if self.iforest else {}),
            **written_files(out),
        )
        page = out.read_text(encoding="utf-8")
        self.portrait.value = (
            f'<iframe srcdoc="{html.escape(page, quote=True)}" '
            'style="width:100%;box-sizing:border-box;height:700px;border:1px solid #ddd"></iframe>'
        )
        self.say(self.words(f"已写入 {out}", f"wrote {out}"))
        return out
