"""``graphkit collusion``: train and apply the tender-collusion scorer.

Commands register on the :data:`collusion` click group; ``graphkit/cli.py`` adds the group to ``main``.
Other modules add their own commands with ``@collusion.command()``.
"""
from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def collusion() -> None:
    """Tender collusion (围标串标): bid screens, scorer training and scoring."""
