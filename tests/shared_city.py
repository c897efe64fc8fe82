"""A synthetic city generated and loaded into an embedded store once for the whole test run, each module given a
copy of the store of its own.

``test_paths``, ``test_collusion_graph`` and ``test_synth_load`` each generated the scale-10,000 city of seed 7
and loaded it into an embedded store of their own: the same folder and the same store three times (and their
modules go to different xdist workers). :func:`loaded_city` builds it once: the first worker to ask builds it
under a file lock in the run's temporary folder (shared by the workers of one run, a new one each run), the
others wait for it and read it. Each caller gets the one folder (read, never written: ``load_dir`` writes
nothing into it) and a fresh copy of the loaded store in its own folder, so what one module writes (a second
load, a ledger, a cache beside the store) no other module sees.
"""

from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock


def _run_dir(tmp_path_factory) -> Path:
    """The folder of this run shared by its xdist workers (``pytest-N``; a worker's base is ``pytest-N/popen-gwK``),
    the session's own base folder without xdist (its parent holds other runs' folders)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _once(root: Path, done: Path, build: Callable[[], None]) -> None:
    """``build()`` into an empty ``root`` unless ``done`` is there, under a file lock: the first worker of the run
    to ask builds, the others wait for it (what a build that failed half way left is removed first)."""
    with FileLock(f"{root}.lock"):
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir(parents=True)
            build()


def generated_city(tmp_path_factory, scale: int, seed: int) -> Path:
    """The folder of the city of ``scale`` and ``seed``, generated once for the whole run (read, never written:
    a caller that loads it writes its store, quarantine and report elsewhere). ``test_parity_neo4j`` loads it
    into both stores with ``graphkit load``; it had generated the same city a fourth time."""
    from graphkit.synth import generate

    root = _run_dir(tmp_path_factory) / f"shared-folder-{scale}-{seed}"
    folder, done = root / "C", root / "done"

    def build() -> None:
        generate(folder, scale=scale, seed=seed)
        done.touch()

    _once(root, done, build)
    return folder


def loaded_city(tmp_path_factory, scale: int, seed: int, copy_to: Path):
    """The city of ``scale`` and ``seed`` (``graphkit.synth.generate``) and its load report: ``(folder, store
    path, report, unknown)``, the store a copy at ``copy_to`` (closed: the caller opens it) of the one store
    ``load_dir`` loaded from the folder for the whole run."""
    from graphkit.stores.embedded import EmbeddedStore
    from loaders.engine import load_dir

    folder = generated_city(tmp_path_factory, scale, seed)
    root = _run_dir(tmp_path_factory) / f"shared-city-{scale}-{seed}"
    db, done = root / "C.db", root / "load.pickle"

    def build() -> None:
        store = EmbeddedStore(db)
        try:
            loaded = load_dir(folder, store)
        finally:
            store.close()
        done.write_bytes(pickle.dumps(loaded))

    _once(root, done, build)
    report, unknown = pickle.loads(done.read_bytes())
    copy_to.parent.mkdir(parents=True, exist_ok=True)
    for part in root.iterdir():  # the store and whatever files Ladybug keeps beside it (its write-ahead log)
        if part.name.startswith(db.name):
            (shutil.copytree if part.is_dir() else shutil.copy2)(
                part, copy_to.parent / (copy_to.name + part.name[len(db.name) :])
            )
    return folder, copy_to, report, unknown
