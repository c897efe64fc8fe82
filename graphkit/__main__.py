"""``python -m graphkit …``: the same command line as the ``graphkit`` script (for a venv whose scripts folder is
not on the PATH, or to be sure which interpreter runs it).

:func:`run` is the script's entry point too: the command line's modules (pandas, pyarrow, Ladybug …) take a second or
two to import, and a Ctrl-C in that time printed Python's traceback of the imports; it is one line and exit code 130,
as a Ctrl-C later in the command is (:meth:`graphkit.cli.Console.invoke`).

Before :func:`run` is called nothing of graphkit's can answer a Ctrl-C: while the interpreter starts (no handler yet:
the process dies of the signal, exit status -2 to a parent, 130 in a shell, silently) and while it imports ``site``
(an editable install's path finder among it: ``Fatal Python error: init_import_site`` and exit code 1), and the
script pip writes imports this module before it calls :func:`run`. So ``import graphkit.__main__`` imports nothing
else (``graphkit/__init__.py`` imports nothing at run time), and the window left to Python's own answer is the
interpreter's start.

Once a command ends on a Ctrl-C (exit code 130, its line said), a second Ctrl-C changes nothing: it is ignored while
the process ends. It had killed the process (exit status -2 to a parent, after the line that says 130) when it came
once Python, ending, had put SIGINT back to the system's default, which is to die.

Nor does Python end it with SIGINT itself: CPython (``run_eval_code_obj`` in pythonrun.c) marks an interrupt as never
handled when KeyboardInterrupt leaves an ``exec`` or ``eval`` of a string (a dataclass or a named tuple being made, as
many modules do as they are imported), and ``python -m graphkit`` so marked killed itself with SIGINT as it ended,
whatever caught the interrupt and whatever exit code it asked for (the script, run as a file, exits as asked): exit
status -2 after the line saying 130 (2 of 40 Ctrl-Cs twice in the command's first second, ``python
bench/ctrl_c_twice.py``; one Ctrl-C does it as well). The mark is taken off by the next such evaluation, which
:func:`_handled` runs.

Once the command has ended (its stores closed, its files written and closed, its bars closed), the process ends at
once (:func:`_exit_now`): Python's own shutdown then took another 1.1-2.2 s, collecting the garbage of the modules
the command line imports (pandas, pyarrow, scikit-learn, Ladybug), every command and every ``--help`` alike (``python
bench/cli_exit.py``). Only when :func:`run` is the process's own command line (the ``graphkit`` script, ``python -m
graphkit``), never when a notebook or a test calls it; and only when nothing is left that Python's shutdown would
still have finished: a store left open, a progress bar, a file open for writing, a thread still running, an exit code
that is not a number, an output that cannot be flushed (a closed pipe: Python says so as before). Python's exit
handlers (``atexit``: the logging handlers, temporary folders) run first. ``GRAPHKIT_FAST_EXIT=0`` leaves the end to
Python.
"""

from __future__ import annotations

import _signal  # loaded as Python starts (``signal`` imports enum): a second Ctrl-C ignored at once, no import first
import os
import sys

#: the exit code of a command stopped by Ctrl-C (as :data:`graphkit.cli.common.INTERRUPTED`)
INTERRUPTED = 130

#: ``GRAPHKIT_FAST_EXIT=0``: the process ends through Python's own shutdown (:func:`_exit_now` does nothing)
FAST_EXIT_ENV = "GRAPHKIT_FAST_EXIT"


def _english(argv: list[str]) -> bool:
    """Whether the command line asks for English (``--lang en``, ``--lang=en``, else ``GRAPHKIT_LANG=en``), read
    without importing the command line (:func:`graphkit.cli.common.lang_of` reads it so once imported)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1] == "en"
        if arg.startswith("--lang="):
            return arg == "--lang=en"
    return os.environ.get("GRAPHKIT_LANG") == "en"


def _handled() -> None:
    """Tell CPython the Ctrl-C was handled: an ``eval`` of a string resets its mark of an interrupt that left one (and
    would have it kill the process with SIGINT as it ends: exit status -2, not the 130 asked for)."""
    eval("None")  # a constant: the evaluation itself is what resets the mark


def _own_process(caller) -> bool:
    """Whether ``caller`` (the frame that called :func:`run`) is the process's main program at its top level: the
    ``graphkit`` script or ``python -m graphkit``, not a notebook's cell, a test or ``python -c``."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    return (
        caller is not None
        and path is not None
        and caller.f_globals is getattr(main, "__dict__", None)
        and caller.f_code.co_name == "<module>"
        and os.path.abspath(caller.f_code.co_filename) == os.path.abspath(path)
    )


def _writing(f) -> bool:
    """Whether file object ``f`` is open for writing (its finalizer would flush and close it)."""
    try:
        return not f.closed and f.writable()
    except (ValueError, OSError):
        return False


def _connected(db) -> bool:
    """Whether SQLite connection ``db`` is open (closed as Python ends: its write-ahead log folded back)."""
    try:
        return db.total_changes >= 0
    except Exception:  # noqa: BLE001 - sqlite3.ProgrammingError: closed
        return False


def _left_open() -> str | None:
    """What the command left that Python's shutdown would still finish (its finalizers close it: a Ladybug database
    checkpointed, a Neo4j driver, a bar's last line, a file's buffer), or None when nothing is."""
    import threading

    # a thread still running, even a daemon: Python's shutdown would join it, or run what it registered to end it
    # (threading._register_atexit: concurrent.futures, loky), before its exit handlers
    if any(t.is_alive() for t in threading.enumerate() if t is not threading.main_thread()):
        return "a thread"
    tqdm = sys.modules.get("tqdm.std")
    if tqdm is not None and len(getattr(tqdm.tqdm, "_instances", ())):
        return "a progress bar"
    import gc
    import io

    def cls(module: str, name: str) -> type | None:
        return getattr(sys.modules.get(module), name, None)

    # what each kind of object needs to be open: Python's shutdown closes it (a Ladybug database is checkpointed)
    kinds = [
        (cls("ladybug", "Database"), "a Ladybug database", lambda o: not getattr(o, "is_closed", False)),
        (cls("neo4j", "Driver"), "a Neo4j driver", lambda o: not getattr(o, "_closed", False)),
        (
            cls("graphkit.stores.base", "GraphStore"),
            "a store",
            lambda o: any(getattr(o, a, None) is not None for a in ("_db", "_connection", "_driver")),
        ),
        (io.IOBase, "a file open for writing", _writing),
        (cls("sqlite3", "Connection"), "an SQLite database (a ledger)", _connected),
    ]
    kinds = [k for k in kinds if k[0] is not None]
    memory = (io.BytesIO, io.StringIO)  # nothing of theirs outlives the process
    std = set()  # the standard streams, flushed after (and a closed pipe among them is Python's to say)
    for stream in (sys.stdin, sys.stdout, sys.stderr, sys.__stdin__, sys.__stdout__, sys.__stderr__):
        buffer = getattr(stream, "buffer", None)
        std |= {id(stream), id(buffer), id(getattr(buffer, "raw", None))}
    verdicts: dict[type, tuple | None] = {}  # a kind per type, looked up once (the objects number about 100,000)
    for obj in gc.get_objects():
        t = type(obj)
        try:
            kind = verdicts[t]
        except KeyError:
            kind = verdicts[t] = next((k for k in kinds if issubclass(t, k[0]) and not issubclass(t, memory)), None)
        if kind is not None and id(obj) not in std and kind[2](obj):
            return kind[1]
    return None


def _exit_now(code: object) -> None:
    """End the process now with exit code ``code`` (a finished command's), without Python's shutdown, when nothing is
    left that it would finish (:func:`_left_open`); else return (and Python ends the process)."""
    if os.environ.get(FAST_EXIT_ENV) == "0" or not (code is None or isinstance(code, int)):
        return
    try:
        if _left_open() is not None:
            return
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except Exception:  # noqa: BLE001 - a pipe closed, anything unforeseen: Python's shutdown says it as before
        return
    import atexit

    atexit._run_exitfuncs()  # as Python's exit does: logging flushed, temporary folders removed
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except Exception:  # noqa: BLE001 - written by an exit handler into a closed pipe: nothing more can be said
        pass
    os._exit(code or 0)


def run() -> None:
    """Run the ``graphkit`` command line (:data:`graphkit.cli.main`); once it has ended, the process ends at once
    when :func:`run` is its main program (:func:`_exit_now`)."""
    caller = sys._getframe(1)
    try:
        from graphkit.cli import main
    except KeyboardInterrupt:
        _signal.signal(_signal.SIGINT, _signal.SIG_IGN)  # the process ends on this Ctrl-C: a second changes nothing
        _handled()
        said = (
            "interrupted (Ctrl-C) while the command was starting: nothing was changed or written"
            if _english(sys.argv[1:])
            else "已中断（Ctrl-C）：命令尚未开始，没有改动也没有写出任何东西"
        )
        sys.stderr.write(f"\n{said}\n")
        sys.exit(INTERRUPTED)
    try:
        main(prog_name="graphkit")
    except SystemExit as exc:
        if exc.code == INTERRUPTED:  # the command ended on a Ctrl-C: a second changes nothing
            _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
            _handled()
        elif _own_process(caller):  # a Ctrl-C's end is left as it was (tests/test_interrupt.py)
            _exit_now(exc.code)
        raise


if __name__ == "__main__":
    run()
