"""A finished command ends its process at once (``graphkit.__main__._exit_now``): Python's own shutdown, the garbage of
pandas, pyarrow, scikit-learn and Ladybug collected for nothing, took another second or two after every command's
last line. What that shutdown still had to finish is finished first, or the shutdown is left to Python: the store
written and closed, the audit record and the quarantine whole, temporary folders removed, the exit codes as they
were, a closed pipe said as before; and a notebook or a test that calls ``run()`` is never ended."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# the shape of the ``graphkit`` script pip writes (``from graphkit.__main__ import run``, then ``run()``), with a
# module-level object whose finalizer only Python's shutdown runs, and an exit handler
SCRIPT = """\
import atexit, sys
from graphkit.__main__ import run

NOTES = {notes!r}


def note(what):
    with open(NOTES, "a") as fh:
        fh.write(what + "\\n")


class Witness:
    def __del__(self, open=open, path=NOTES):  # its own names: the module's are cleared as Python ends
        with open(path, "a") as fh:
            fh.write("shutdown\\n")


witness = Witness()
atexit.register(note, "atexit")
{before}
sys.argv = ["graphkit", *{argv!r}]
run()
"""


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **extra}
    env.pop("GRAPHKIT_LANG", None)
    return env


def _script(tmp_path: Path, argv: list[str], before: str = "", **env: str) -> tuple[subprocess.CompletedProcess, str]:
    notes = tmp_path / "notes.txt"
    script = tmp_path / "graphkit_script.py"
    script.write_text(SCRIPT.format(notes=str(notes), argv=argv, before=before), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=_env(**env), timeout=300)
    return done, notes.read_text() if notes.exists() else ""


def _graphkit(*args, stdout=subprocess.PIPE, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graphkit", *map(str, args)],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(**env),
        timeout=600,
    )


def test_a_finished_command_skips_pythons_shutdown_but_runs_the_exit_handlers(tmp_path):
    done, notes = _script(tmp_path, ["--help"])
    assert done.returncode == 0, done.stderr
    assert "graphkit" in done.stdout  # the help, flushed before the process ended
    assert notes.split() == ["atexit"]  # the exit handler ran; the shutdown's finalizers did not

    (tmp_path / "off").mkdir()
    done, notes = _script(tmp_path / "off", ["--help"], GRAPHKIT_FAST_EXIT="0")
    assert done.returncode == 0
    assert notes.split() == ["atexit", "shutdown"]  # GRAPHKIT_FAST_EXIT=0: Python's own end, as before


@pytest.mark.parametrize(
    "before",
    [
        "left = open(NOTES + '.left', 'w'); left.write('written')",  # a file open for writing: its buffer
        "import gzip; left = gzip.open(NOTES + '.left', 'wt'); left.write('written')",  # its trailer too
    ],
)
def test_a_file_left_open_for_writing_is_left_to_pythons_shutdown(tmp_path, before):
    done, notes = _script(tmp_path, ["--help"], before=before)
    assert done.returncode == 0, done.stderr
    assert notes.split() == ["atexit", "shutdown"]
    left = Path(f"{tmp_path / 'notes.txt'}.left")
    read = gzip.open(left, "rt").read() if "gzip" in before else left.read_text()
    assert read == "written"


def test_a_store_left_open_is_left_to_pythons_shutdown(tmp_path):
    before = (
        "from graphkit.stores.embedded import EmbeddedStore\n"
        f"left = EmbeddedStore({str(tmp_path / 'g.db')!r})\n"
        "left.create_schema()  # opened (the store opens its database at its first use)"
    )
    done, notes = _script(tmp_path, ["--help"], before=before)
    assert done.returncode == 0, done.stderr
    assert notes.split() == ["atexit", "shutdown"]


def test_run_called_in_process_never_ends_the_process(monkeypatch):
    """A notebook or a test calling ``run()``: the command's SystemExit is raised to it, nothing more."""
    from graphkit import __main__ as entry

    monkeypatch.setattr(sys, "argv", ["graphkit", "--help"])
    with pytest.raises(SystemExit) as ended:
        entry.run()
    assert ended.value.code == 0


def test_a_store_written_is_whole_when_reopened_and_exit_codes_are_unchanged(tmp_path, city):
    db = tmp_path / "g.db"
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    loaded = _graphkit("load", city, "--store", f"embedded:{db}", TMPDIR=str(tmp))
    assert loaded.returncode == 0, loaded.stderr
    refused = _graphkit("--read-only", "load", city, "--store", f"embedded:{db}", TMPDIR=str(tmp))
    assert refused.returncode == 3, refused.stderr
    assert _graphkit("no-such-command").returncode == 2
    assert _graphkit("stats", "--store", f"embedded:{tmp_path / 'none.db'}").returncode == 1

    # the store reopened in another process: the same counts as Python's own end reads
    fast = _graphkit("stats", "--store", f"embedded:{db}", "--json")
    slow = _graphkit("stats", "--store", f"embedded:{db}", "--json", GRAPHKIT_FAST_EXIT="0")
    assert fast.returncode == slow.returncode == 0, fast.stderr + slow.stderr
    assert json.loads(fast.stdout) == json.loads(slow.stdout)
    assert sum(json.loads(fast.stdout)["nodes"].values()) > 0

    records = [json.loads(line) for line in Path(f"{db}.audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 2  # the load and the viewer's refusal, each a whole line
    quarantine = Path(f"{db}.quarantine.csv").read_text(encoding="utf-8-sig")
    assert quarantine.endswith("\n")
    assert list(tmp.iterdir()) == []  # no temporary file or folder left


def test_an_output_closed_early_is_said_as_before(tmp_path):
    """``graphkit … | head``: the pipe closed before the command's output is flushed."""
    said = {}
    for fast in ("1", "0"):
        proc = subprocess.Popen(
            [sys.executable, "-m", "graphkit", "--help"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(GRAPHKIT_FAST_EXIT=fast),
        )
        proc.stdout.close()  # as head does once it has its lines
        with proc.stderr:
            err = proc.stderr.read().decode()
        said[fast] = (proc.wait(timeout=300), err)
    assert said["1"] == said["0"]
    assert "Traceback" not in said["1"][1]
