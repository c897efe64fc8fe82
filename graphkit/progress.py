"""Progress bars, and the lines printed while one runs, for every command: one place.

* On a terminal, a step shows a tqdm bar on stderr; a line printed while it runs (:func:`echo`, a log record, a
  Python warning: :func:`console`) clears the bar first, and the bar is drawn again under it. Lines had been
  written after a bar on its own line (``load:  4%|▍ | 1/25 [00:00, units.csv]INFO graphkit.loaders: …``).
* Anywhere else (a CI log, ``> file``) no bar is drawn: a bar there is hundreds of carriage-return updates on
  one line. A step that runs longer than :data:`PLAIN_EVERY` seconds prints a plain line that often
  (``load: 12/25 file [00:31, roster.csv]``), and one more when it ends; a short step prints nothing.
* In a Jupyter kernel (:func:`in_kernel`) a step writing to the console draws tqdm's notebook bar (a widget,
  ``tqdm.notebook``), as ``tqdm.auto`` did before this module: the kernel's stderr is no terminal, so a long
  ``synth`` or ``load`` called from a notebook had printed a plain line every 15 s instead of its bar. Without
  ipywidgets, the plain lines.
* ``GRAPHKIT_PROGRESS=bar`` draws bars anywhere (a CI viewer that renders carriage returns), ``=plain`` never.

Every bar of graphkit is :class:`tqdm` of this module (the same interface as ``tqdm.tqdm``).

Example
-------
>>> import io
>>> log = io.StringIO()
>>> with tqdm(total=3, desc="load", file=log) as bar:  # not a terminal: nothing drawn
...     bar.update(3)
>>> bar.n, log.getvalue()
(3, '')
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from typing import Any

import click
from tqdm import tqdm as _tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

__all__ = ["PLAIN_EVERY", "tqdm", "echo", "console", "on_terminal", "in_kernel"]

#: off a terminal, seconds between the plain progress lines of a long step (none for a shorter one)
PLAIN_EVERY = 15.0
#: a plain progress line: no bar, no rate, no time left
PLAIN_FORMAT = "{desc}: {n_fmt}/{total_fmt} {unit} [{elapsed}{postfix}]"


def on_terminal(stream: Any) -> bool:
    """Whether ``stream`` is a terminal (a bar can redraw its line there)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


def in_kernel() -> bool:
    """Whether this runs in a Jupyter kernel (ipykernel), whose output area draws a notebook bar: IPython's shell
    has a kernel there, not in a terminal IPython nor in a script (which does not import IPython)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:  # noqa: BLE001 (an IPython half imported or too old: no kernel to draw in)
        return False
    return getattr(shell, "kernel", None) is not None


def _notebook_bar(file: Any, kw: dict) -> type | None:
    """tqdm's notebook bar class for a bar of these arguments in a Jupyter kernel writing to the console (no
    ``file``, or the kernel's stderr or stdout), unless ``GRAPHKIT_PROGRESS=plain`` or ``disable``; None
    elsewhere, and without ipywidgets (the notebook bar cannot draw then)."""
    if kw.get("disable") or os.environ.get("GRAPHKIT_PROGRESS", "").strip().lower() == "plain":
        return None
    if file is not None and file is not sys.stderr and file is not sys.stdout:
        return None
    if not in_kernel():
        return None
    try:
        from tqdm import notebook
    except ImportError:
        return None
    return notebook.tqdm if getattr(notebook, "IProgress", None) is not None else None


class _Null:
    """Where a bar off a terminal draws: nowhere."""

    def write(self, s: str) -> None:
        pass

    def flush(self) -> None:
        pass


class tqdm(_tqdm):  # noqa: N801 (the name it stands in for)
    """``tqdm.tqdm`` drawn only on a terminal; elsewhere a plain line every :data:`PLAIN_EVERY` seconds of a long
    step and one at its end (see the module doc)."""

    def __new__(cls, *args: Any, file: Any = None, **kw: Any) -> Any:
        """A notebook bar in a Jupyter kernel (:func:`_notebook_bar`), else this class's."""
        bar = _notebook_bar(file, kw) if cls is tqdm else None
        if bar is not None:
            return bar(*args, **kw)  # not of this class: Python does not call __init__ on it
        return super().__new__(cls, *args, file=file, **kw)

    def __init__(self, *args: Any, file: Any = None, **kw: Any) -> None:
        out = file if file is not None else sys.stderr
        mode = os.environ.get("GRAPHKIT_PROGRESS", "").strip().lower()
        drawn = mode == "bar" or (mode != "plain" and on_terminal(out))
        self._plain = None if kw.get("disable") or drawn else out
        self._since = time.monotonic()
        self._said: float | None = None
        self._said_lock = threading.Lock()  # the heartbeat's line and the bar's own, one at a time
        if self._plain is not None:
            kw["bar_format"] = PLAIN_FORMAT
            out = _Null()
        super().__init__(*args, file=out, **kw)
        # off a terminal, a step that runs long between two updates (one query of minutes) says it still runs
        self._quiet = threading.Event()
        if self._plain is not None and not self.disable and PLAIN_EVERY > 0:
            threading.Thread(target=_heartbeat, args=(weakref.ref(self), self._quiet), daemon=True).start()

    @classmethod
    def write(cls, s: str, file: Any = None, end: str = "\n", nolock: bool = False) -> None:
        """``tqdm.write``, flushed: a line above the bar shows when written, also where no bar flushes the stream
        (off a terminal, a test runner's captured stderr), not after the lines written later to stdout."""
        fp = file if file is not None else sys.stdout
        super().write(s, file=fp, end=end, nolock=nolock)
        with contextlib.suppress(AttributeError, ValueError):
            fp.flush()

    def display(self, msg: str | None = None, pos: int | None = None) -> bool:
        """Draw the bar (nowhere off a terminal, where a long step says a plain line every PLAIN_EVERY s)."""
        shown = super().display(msg, pos)
        plain = getattr(self, "_plain", None)
        if plain is not None and msg is None:
            now = time.monotonic()
            if now - self._since >= PLAIN_EVERY and (self._said is None or now - self._said >= PLAIN_EVERY):
                self._say(plain)
        return shown

    def _say(self, plain: Any) -> None:
        with self._said_lock:
            plain.write(str(self).rstrip() + "\n")
            plain.flush()
            self._said = time.monotonic()

    def close(self) -> None:
        """Take the bar off the console; off a terminal, a step that said how far it got says that it ended."""
        plain = getattr(self, "_plain", None)
        quiet = getattr(self, "_quiet", None)
        if quiet is not None:
            with self._said_lock:  # the heartbeat says nothing after this
                quiet.set()
        last = plain is not None and not self.disable and self._said is not None
        super().close()
        if last:
            self._say(plain)


def _heartbeat(ref: weakref.ReferenceType, quiet: threading.Event) -> None:
    """Off a terminal, the plain line of a bar that has said nothing for :data:`PLAIN_EVERY` seconds, however long
    its step runs between two updates (a store's query releases the GIL): a step of a minute had printed nothing
    until it ended.  Stops when the bar closes (or is dropped)."""
    while True:
        bar = ref()
        if bar is None:
            return
        due = (bar._said if bar._said is not None else bar._since) + PLAIN_EVERY
        del bar  # not kept alive while waiting
        if quiet.wait(max(due - time.monotonic(), 0.05)):
            return
        bar = ref()
        if bar is None:
            return
        with bar._said_lock:
            last = bar._said if bar._said is not None else bar._since
            if not quiet.is_set() and time.monotonic() - last >= PLAIN_EVERY:
                bar._plain.write(str(bar).rstrip() + "\n")
                bar._plain.flush()
                bar._said = time.monotonic()
        del bar


def echo(text: str = "", *, err: bool = False) -> None:
    """A line on the console (stdout, or stderr with ``err``), any bar running cleared first and drawn again
    under it."""
    with _tqdm.external_write_mode(file=sys.stderr if err else sys.stdout):
        click.echo(text, err=err)


@contextlib.contextmanager
def console() -> Iterator[None]:
    """Log records and Python warnings written through tqdm while it is open (``graphkit`` opens it around
    every command): on a terminal a running bar is cleared first, as :func:`echo` does."""
    logging.captureWarnings(True)
    try:
        with logging_redirect_tqdm(tqdm_class=tqdm):
            yield
    finally:
        logging.captureWarnings(False)
