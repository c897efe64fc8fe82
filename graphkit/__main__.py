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
"""

from __future__ import annotations

import _signal  # loaded as Python starts (``signal`` imports enum): a second Ctrl-C ignored at once, no import first
import os
import sys

#: the exit code of a command stopped by Ctrl-C (as :data:`graphkit.cli.common.INTERRUPTED`)
INTERRUPTED = 130


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


def run() -> None:
    """Run the ``graphkit`` command line (:data:`graphkit.cli.main`)."""
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
        raise


if __name__ == "__main__":
    run()
