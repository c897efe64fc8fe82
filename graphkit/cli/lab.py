"""``graphkit lab``: JupyterLab on the notebooks per role."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

from graphkit.cli.common import STORE_HELP, parse_spec, refused, said
from graphkit.stores import StoreSpec

_FILE = click.Path(dir_okay=False, path_type=Path)


@click.command("lab")
@click.option("--port", default=8888, show_default=True, type=click.IntRange(1, 65535), help="Port on 127.0.0.1.")
@click.option("--no-browser", is_flag=True, help="Do not open a browser.")
@click.option(
    "--store",
    "store_spec",
    default=None,
    help="Point the notebooks at this store (GRAPHKIT_STORE), opened read-only, instead of building a city: "
    + STORE_HELP,
)
@click.option(
    "--ledger", type=_FILE, default=None, help="Its warning ledger (GRAPHKIT_LEDGER; a Neo4j store needs one)."
)
@click.option("--audit", type=_FILE, default=None, help="The audit log the notebooks append to (GRAPHKIT_AUDIT).")
@click.option("--quarantine", type=_FILE, default=None, help="The rows its load refused (GRAPHKIT_QUARANTINE).")
def lab(
    port: int,
    no_browser: bool,
    store_spec: str | None,
    ledger: Path | None,
    audit: Path | None,
    quarantine: Path | None,
) -> None:
    """Start JupyterLab on the notebooks per role (notebooks/: quickstart, explorer, collusion …).

    Each notebook builds a synthetic city unless --store names an existing one, such as a team's Neo4j:
    graphkit lab --store neo4j://HOST:7687 --ledger team.ledger.sqlite --audit team.audit.jsonl (NEO4J_USER and
    NEO4J_PASSWORD in the environment). Files are named from the folder the command runs in, though the
    notebooks run in notebooks/."""
    from graphkit.notebook import LEDGER_ENV, QUARANTINE_ENV, STORE_ENV

    if store_spec is not None:
        spec = parse_spec(store_spec)
        if spec.kind == "embedded":  # the notebooks run in notebooks/: a path relative to here must still hold
            spec = StoreSpec("embedded", str(Path(spec.target).resolve()))
            if not Path(spec.target).exists():  # said here, not by every notebook's first cell once Jupyter is up
                raise click.BadParameter(
                    refused(
                        f"no store at {spec.target}: load one with "
                        f"`graphkit load SOURCE_DIR --store embedded:{spec.target}`"
                    ),
                    param_hint="--store",
                )
        os.environ[STORE_ENV] = str(spec)
    for env, path in ((LEDGER_ENV, ledger), ("GRAPHKIT_AUDIT", audit), (QUARANTINE_ENV, quarantine)):
        if path is not None:
            os.environ[env] = str(path.resolve())
    folder = Path(__file__).resolve().parents[2] / "notebooks"
    exe = shutil.which("jupyter-lab", path=str(Path(sys.executable).parent)) or shutil.which("jupyter-lab")
    if exe is None:
        raise click.ClickException(
            said(
                "JupyterLab is not installed: make lab (or pip install -e '.[notebooks]')",
                "没有安装 JupyterLab：运行 make lab（或 pip install -e '.[notebooks]'）",
            )
        )
    if not folder.is_dir():
        raise click.ClickException(
            said(
                f"{folder}: no notebooks folder (graphkit lab runs from a clone of the project)",
                f"{folder}：没有 notebooks/ 文件夹（graphkit lab 须在项目的克隆中运行）",
            )
        )
    args = [exe, f"--ServerApp.root_dir={folder}", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}"]
    args += ["--allow-root"] if os.geteuid() == 0 else []  # containers and CI run as root
    os.execv(exe, args + (["--no-browser"] if no_browser else []))


COMMANDS = [lab]
