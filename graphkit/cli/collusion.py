"""``graphkit collusion``: train and apply the tender-collusion scorer.

Commands register on the :data:`collusion` click group; :mod:`graphkit.cli` adds the group to ``main``.
Other modules add their own commands with ``@collusion.command()``.
"""

from __future__ import annotations

from pathlib import Path

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def collusion() -> None:
    """Tender collusion (围标串标): bid screens, scorer training and scoring."""


@collusion.command("score")
@click.option("--store", "store_spec", required=True, help="embedded:PATH or neo4j://HOST:PORT")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for tenders.csv, bidders.csv, communities.csv and communities.html.",
)
@click.option(
    "--method",
    type=click.Choice(["leiden", "multilevel", "louvain_nx"]),
    default="leiden",
    show_default=True,
    help="Community detection method.",
)
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of community detection.")
@click.option(
    "--resolution",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Modularity resolution (higher: smaller communities).",
)
@click.option(
    "--refine",
    default=0.3,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Split a community again when its own subgraph splits with at least this modularity (0: never).",
)
@click.option(
    "--max-size",
    default=100,
    show_default=True,
    type=click.IntRange(min=0),
    help="Always split communities larger than this (0: never).",
)
@click.option(
    "--top",
    default=5,
    show_default=True,
    type=click.IntRange(min=0),
    help="Riskiest communities drawn in communities.html (0: no HTML).",
)
def score(
    store_spec: str, out: Path, method: str, seed: int, resolution: float, refine: float, max_size: int, top: int
) -> None:
    """Score tenders, bidders and bidder communities of a knowledge graph, each with reasons."""
    from tqdm import tqdm

    from graphkit.collusion.kg import score_store
    from graphkit.reports import write_collusion_reports
    from graphkit.stores import StoreError, open_store

    try:
        store = open_store(store_spec)
    except (StoreError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    steps = ["bidder graph", "communities", "scores", "reports"]
    try:
        with tqdm(total=len(steps), unit="step", desc="collusion score") as bar:

            def step(name: str) -> None:
                if name != steps[0]:  # the previous step is done
                    bar.update(1)
                bar.set_postfix_str(name)

            scores = score_store(
                store,
                method=method,
                seed=seed,
                resolution=resolution,
                refine=refine or None,
                max_size=max_size or None,
                progress=step,
            )
            step("reports")
            paths = write_collusion_reports(scores, out, store=store, top=top)
            bar.update(1)
    except StoreError as exc:
        raise click.ClickException(f"{exc} (is this a graphkit store loaded with `graphkit load`?)") from exc
    finally:
        store.close()
    t, c = scores.tenders, scores.communities
    click.echo(
        f"{len(t):,} tenders ({int((t['risk'] >= 0.5).sum()):,} at risk ≥ 0.5), {len(scores.bidders):,} "
        f"bidders, {len(c):,} communities of two or more ({scores.partition.method}, "
        f"modularity {scores.partition.modularity:.3f})"
    )
    from graphkit.cli.audit import record

    record(
        store_spec,
        "collusion score",
        {"out": str(out), "method": method, "seed": seed, "top": top},
        by=None,
        purpose=None,
        result=len(t),
    )
    for name, p in paths.items():
        click.echo(f"{name}: {p}")


# ---------------------------------------------------------------------------------------------------
# bid tables: train a scorer on labelled markets, score any bid table
# ---------------------------------------------------------------------------------------------------
_SHOW = 20  # malformed rows printed on the terminal; all of them go to the quarantine CSV


_MARKET_HELP = (
    "Market the bids belong to [default: the file's market column, else the file's name]. Screens are "
    "compared within a market, and bidder ids and segments keep their record per market: give a later "
    "file of the same market the name its model was trained under."
)


def _read(
    paths: list[Path],
    *,
    with_label: bool,
    quarantine: Path,
    bar,
    segment: str | None = None,
    segment_required: bool = True,
    market: str | None = None,
) -> object:
    from loaders.bids import LoadError, read_bids

    try:
        table = read_bids(
            paths, market=market, with_label=with_label, segment=segment, segment_required=segment_required
        )
    except LoadError as exc:
        raise click.ClickException(str(exc)) from exc
    bar.update(1)
    rep = table.report
    for q in rep.quarantine[:_SHOW]:
        click.echo(f"{q.file} row {q.row}, column {q.column}: {q.reason} ({q.value!r}); row left out", err=True)
    if len(rep.quarantine) > _SHOW:
        click.echo(f"… and {len(rep.quarantine) - _SHOW:,} more malformed rows", err=True)
    for (file, column, reason), n in sorted(table.warnings.items()):
        click.echo(f"{file}, column {column}: {n:,} values {reason}; treated as missing", err=True)
    rep.write_quarantine(quarantine)
    t = rep.totals()
    click.echo(
        f"read {t['read']:,} bids from {len(paths)} file(s): {t['loaded']:,} used, "
        f"{t['quarantined']:,} quarantined ({quarantine})"
    )
    if table.bids.empty:
        raise click.ClickException("no usable bid left to work on")
    return table


@collusion.command("train", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--bids",
    "first",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Labelled bid table(s) (column Collusive_competitor); more files may follow: --bids A.csv B.csv",
)
@click.argument("more", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Model file to write (skops format).",
)
@click.option(
    "--normalise",
    type=click.Choice(["rank", "zscore", "none"]),
    default="rank",
    show_default=True,
    help="How screens are compared within a market (each file is a market unless it has a market column).",
)
@click.option(
    "--bidder-history/--no-bidder-history",
    default=True,
    show_default=True,
    help="Learn which bidders sat in collusive training tenders (helps only where the same firms bid again).",
)
@click.option(
    "--segment",
    default=None,
    metavar="COLUMN",
    help="Column naming each tender's kind of contract or work (e.g. Contract_type): the model keeps a "
    "record of how often each kind was collusive in its market's training tenders, and score-bids "
    "reads the same column.",
)
@click.option("--market", default=None, metavar="NAME", help=_MARKET_HELP)
@click.option(
    "--quarantine",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="CSV of malformed rows [default: <out>.quarantine.csv].",
)
@click.option(
    "--max-iter",
    default=300,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Boosting iterations (fewer: faster training, coarser model).",
)
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed of the model.")
def train(
    first: Path,
    more: tuple[Path, ...],
    out: Path,
    normalise: str,
    bidder_history: bool,
    segment: str | None,
    market: str | None,
    quarantine: Path | None,
    max_iter: int,
    seed: int,
) -> None:
    """Train a tender-collusion scorer on labelled bid tables.

    The label is the tender-level Collusive_competitor column; screens are computed from Bid_value
    (the tables' precomputed screen columns are not read), and Tender and Date are never features."""
    from tqdm import tqdm

    from graphkit.collusion.features import tender_features
    from graphkit.collusion.scorer import CollusionScorer
    from loaders.bids import tender_labels

    paths = [first, *more]
    q = quarantine or out.with_name(out.name + ".quarantine.csv")
    with tqdm(total=4, unit="step", desc="collusion train") as bar:
        bar.set_postfix_str("reading")
        table = _read(paths, with_label=True, quarantine=q, bar=bar, segment=segment, market=market)
        bar.set_postfix_str("features")
        feats = tender_features(table.bids, random_state=seed)
        y = tender_labels(table.bids).reindex(feats.index)
        keep = y.notna()
        if (~keep).any():
            click.echo(f"{int((~keep).sum()):,} tenders without a label left out of training", err=True)
        feats, y = feats[keep], y[keep].astype(int)
        if y.nunique() < 2:
            raise click.ClickException(
                "training needs both collusive and competitive tenders "
                f"(found only label {int(y.iloc[0]) if len(y) else 'none'})"
            )
        bar.update(1)
        bar.set_postfix_str("fitting")
        scorer = CollusionScorer(
            normalise=normalise, bidder_history=bidder_history, segment=segment, max_iter=max_iter, random_state=seed
        ).fit(feats, y)
        bar.update(1)
        bar.set_postfix_str("saving")
        scorer.save(out)
        bar.update(1)
    for m, grp in feats.groupby("market", sort=False):
        yy = y[grp.index]
        click.echo(f"  {m}: {len(grp):,} tenders, {int(yy.sum()):,} collusive")
    click.echo(
        f"model: {out} (threshold {scorer.threshold_:.3f}, chosen on training data; {len(scorer.columns_)} features)"
    )


@collusion.command("score-bids", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("bids_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--model",
    "model",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Model file from `graphkit collusion train`.",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV to write: one row per tender, columns tender, risk (0-1), reasons; riskiest first.",
)
@click.option("--market", default=None, metavar="NAME", help=_MARKET_HELP)
@click.option(
    "--quarantine",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="CSV of malformed rows [default: <out>.quarantine.csv].",
)
def score_bids(bids_file: Path, model: Path, out: Path, market: str | None, quarantine: Path | None) -> None:
    """Score every tender of a bid table (Tender, Bid_value; Competitors, Winner, PTE, Number_bids used
    when present; Date is checked but, like Tender, never a feature) with a trained model.

    Malformed rows (no tender, a bid that is not a positive number) are reported with file, row and
    column, written to the quarantine CSV and left out; the other bids are scored.

    Screens are compared within the market (the file, or its market column) and the bidders'
    behaviour (rotation, losers who never win, how many tenders they enter) is read from the file
    itself: score a market's tenders together, with their history, rather than a handful at a time.

    A model trained with --segment COLUMN reads that column too; a file without it is scored with
    each tender rated like its market on that point (and a warning).

    The bidders' and segments' record applies within the market it was learned in. A file whose
    market the model does not know (by default the market is the file's name) is scored without it,
    and a warning names the markets the model knows: pass --market NAME for a later file of one."""
    from tqdm import tqdm

    from graphkit.collusion.features import tender_features
    from graphkit.collusion.scorer import load, score_tenders

    try:
        scorer = load(model)
    except (ValueError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from exc
    q = quarantine or out.with_name(out.name + ".quarantine.csv")
    with tqdm(total=4, unit="step", desc="collusion score-bids") as bar:
        bar.set_postfix_str("reading")
        segment = getattr(scorer, "segment", None) if getattr(scorer, "segment_stats_", None) is not None else None
        table = _read(
            [bids_file], with_label=False, quarantine=q, bar=bar, segment=segment, segment_required=False, market=market
        )
        if segment and "segment" not in table.bids.columns:
            click.echo(
                f"{bids_file.name} has no column {segment!r}, which the model keeps a record of: every tender "
                f"is rated like its market on that point",
                err=True,
            )
        records = ["bidders"] if scorer.firm_stats_ is not None else []
        if segment:
            records.append(f"{segment}s")
        unknown = [m for m in table.markets if m not in scorer.markets_]
        if unknown:
            without = f"its {' and '.join(records)} are scored without the model's record of them. " if records else ""
            click.echo(
                f"market {', '.join(map(repr, unknown))} is not one the model was trained on "
                f"({', '.join(map(repr, scorer.markets_))}): {without}A model learned on other markets carries "
                f"poorly to a new one (README, tender collusion: cross-market). For a later file of a market the "
                f"model knows, pass --market NAME.",
                err=True,
            )
        bar.set_postfix_str("features")
        feats = tender_features(table.bids, random_state=scorer.random_state)
        bar.update(1)
        bar.set_postfix_str("scoring and reasons")
        try:
            result = score_tenders(feats, scorer, progress=bar.update)
        except ValueError as exc:
            raise click.ClickException(f"{model} cannot score {bids_file.name}: {exc}") from exc
        bar.set_postfix_str("writing")
        out.parent.mkdir(parents=True, exist_ok=True)
        result.to_csv(out, index=False, encoding="utf-8")
        bar.update(1)
    flagged = int((result["risk"] > scorer.threshold_).sum())
    single = int((feats["n_bids"] == 1).sum())
    click.echo(
        f"scored {len(result):,} tenders: {flagged:,} above the model's threshold "
        f"{scorer.threshold_:.3f}; {single:,} single-bid tenders; wrote {out}"
    )


COMMANDS = [collusion]
