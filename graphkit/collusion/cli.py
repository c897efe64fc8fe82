"""``graphkit collusion``: train and apply the tender-collusion scorer.

Commands register on the :data:`collusion` click group; ``graphkit/cli.py`` adds the group to ``main``.
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
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for tenders.csv, bidders.csv, communities.csv and communities.html.")
@click.option("--method", type=click.Choice(["leiden", "multilevel", "louvain_nx"]), default="leiden",
              show_default=True, help="Community detection method.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of community detection.")
@click.option("--resolution", default=1.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Modularity resolution (higher: smaller communities).")
@click.option("--refine", default=0.3, show_default=True, type=click.FloatRange(min=0),
              help="Split a community again when its own subgraph splits with at least this modularity "
                   "(0: never).")
@click.option("--max-size", default=100, show_default=True, type=click.IntRange(min=0),
              help="Always split communities larger than this (0: never).")
@click.option("--top", default=5, show_default=True, type=click.IntRange(min=0),
              help="Riskiest communities drawn in communities.html (0: no HTML).")
def score(store_spec: str, out: Path, method: str, seed: int, resolution: float, refine: float, max_size: int,
          top: int) -> None:
    """Score tenders, bidders and bidder communities of a knowledge graph, each with reasons."""
    from tqdm import tqdm

    from graphkit.collusion.kg import score_store, write_reports
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
            scores = score_store(store, method=method, seed=seed, resolution=resolution,
                                 refine=refine or None, max_size=max_size or None, progress=step)
            step("reports")
            paths = write_reports(scores, out, store=store, top=top)
            bar.update(1)
    except StoreError as exc:
        raise click.ClickException(f"{exc} (is this a graphkit store loaded with `graphkit load`?)") from exc
    finally:
        store.close()
    t, c = scores.tenders, scores.communities
    click.echo(f"{len(t):,} tenders ({int((t['risk'] >= 0.5).sum()):,} at risk ≥ 0.5), {len(scores.bidders):,} "
               f"bidders, {len(c):,} communities of two or more ({scores.partition.method}, "
               f"modularity {scores.partition.modularity:.3f})")
    for name, p in paths.items():
        click.echo(f"{name}: {p}")
