"""``graphkit lab``: JupyterLab on the notebooks per role."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click


@click.command("lab")
@click.option("--port", default=8888, show_default=True, type=click.IntRange(1, 65535), help="Port on 127.0.0.1.")
@click.option("--no-browser", is_flag=True, help="Do not open a browser.")
def lab(port: int, no_browser: bool) -> None:
    """Start JupyterLab on the notebooks per role (notebooks/: quickstart, explorer, collusion …)."""
    folder = Path(__file__).resolve().parents[2] / "notebooks"
    exe = shutil.which("jupyter-lab", path=str(Path(sys.executable).parent)) or shutil.which("jupyter-lab")
    if exe is None:
        raise click.ClickException("JupyterLab is not installed: make lab (or pip install -e '.[notebooks]')")
    if not folder.is_dir():
        raise click.ClickException(f"{folder}: no notebooks folder (graphkit lab runs from a clone of the project)")
    args = [exe, f"--ServerApp.root_dir={folder}", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}"]
    args += ["--allow-root"] if os.geteuid() == 0 else []  # containers and CI run as root
    os.execv(exe, args + (["--no-browser"] if no_browser else []))


COMMANDS = [lab]
