"""Progress bars, and the lines printed while one runs, for every command: one place.

* On a terminal, a step shows a tqdm bar on stderr; a line printed while it runs (:func:`echo`, a log record, a
  Python warning: :func:`console`) clears the bar first, and the bar is drawn again under it. Lines had been
  written after a bar on its own line (``load:  4%|▍ | 1/25 [00:00, units.csv]INFO graphkit.loaders: …``).
* Anywhere else (a CI log, ``> file``) no bar is drawn: a bar there is hundreds of carriage-return updates on
  one line. A step that runs longer than :data:`PLAIN_EVERY` seconds prints a plain line that often
  (``load: 12/25 file [00:31, roster.csv]``), and one more when it ends; a short step prints nothing.
* In a Jupyter kernel (:func:`in_kernel`) a step writing to the console draws tqdm's notebook bar (a widget,
  ``tqdm.notebook``), as ``tqdm.auto`` did before this module: the kernel's stderr is no terminal, so a long
  ``synth`` or ``load`` called from a notebook had printed a plain line every 15 s instead of its bar. It speaks as
  the console's bar does (``6.38 文件/秒``, ``写入 P.pdf``: :func:`_in_notebook_words`). Without ipywidgets, the
  plain lines.
* ``GRAPHKIT_PROGRESS=bar`` draws bars anywhere (a CI viewer that renders carriage returns), ``=plain`` never.
* A bar speaks the reader's language (:func:`lang`: the console's, else ``GRAPHKIT_LANG``, else Chinese): its name,
  its unit, its rate and its step's first word in Chinese (``加载:  40%|████  | 10/25 [00:03<00:02, 6.38 文件/秒,
  custody.csv]``) from the English a caller gives (:data:`WORDS_ZH`, :data:`UNITS_ZH`), as given under ``en``. A
  caller adding a bar adds its words to the tables; a word they lack (a file name, a word already Chinese) is shown
  as given.

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
import functools
import logging
import os
import re
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from typing import Any

import click
from tqdm import tqdm as _tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

__all__ = [
    "PLAIN_EVERY",
    "tqdm",
    "echo",
    "console",
    "on_terminal",
    "in_kernel",
    "WORDS_ZH",
    "UNITS_ZH",
    "lang",
    "speaking",
    "worded",
]

#: off a terminal, seconds between the plain progress lines of a long step (none for a shorter one)
PLAIN_EVERY = 15.0
#: a plain progress line: no bar, no rate, no time left
PLAIN_FORMAT = "{desc}: {n_fmt}/{total_fmt} {unit} [{elapsed}{postfix}]"

#: a bar's name (``desc``) and its step's first word (``set_postfix_str("write P.pdf")``) in Chinese, by the English
#: its caller gives
WORDS_ZH: dict[str, str] = {
    # names of bars
    "load": "加载",
    "city": "合成城市",
    "files": "写出文件",
    "models": "运行模型",
    "evidence": "读取证据",
    "export": "导出",
    "rank": "排名",
    "portrait": "预画像",
    # the first word of a step
    "write": "写入",
    "neighbourhood": "关系邻域",
    "path": "路径",
    "properties": "属性",
    "page": "页",
    "reading": "读取",
    "tables": "读取表",
    "mask": "遮蔽标识",
    "fold": "整理图形",
    "draw": "绘制",
}
#: a bar's unit in Chinese (tqdm's own ``it`` too): ``12/25 文件``, ``6.38 文件/秒``
UNITS_ZH: dict[str, str] = {
    "it": "项",
    "file": "文件",
    "files": "文件",
    "step": "步",
    "model": "模型",
    "label": "类",
    "line": "行",
    "row": "行",
    "rows": "行",
    "person": "人",
    "persons": "人",
    "table": "表",
    "page": "页",
}
#: the language set by the running command (:func:`speaking`); None: ``GRAPHKIT_LANG``, else Chinese
_LANG: list[str | None] = [None]


def lang() -> str:
    """``zh`` or ``en``: the language bars speak, the console's while a command runs (:func:`speaking`), else
    ``GRAPHKIT_LANG`` (a notebook, a script), else Chinese."""
    said = _LANG[0] or os.environ.get("GRAPHKIT_LANG", "").strip().lower()
    return "en" if said == "en" else "zh"


@contextlib.contextmanager
def speaking(language: str) -> Iterator[None]:
    """Bars speak ``language`` (``zh`` or ``en``) while the block runs (``graphkit`` sets the console's)."""
    before, _LANG[0] = _LANG[0], language
    try:
        yield
    finally:
        _LANG[0] = before


def worded(text: Any, table: dict[str, str] | None = None) -> Any:
    """``text`` as a bar says it under :func:`lang`: in Chinese, the whole of it or its first word from ``table``
    (:data:`WORDS_ZH` by default: ``write P.pdf`` -> ``写入 P.pdf``); as given under ``en``, or where the table lacks
    it.

    >>> with speaking("zh"):
    ...     worded("load"), worded("page 2/3"), worded("units.csv"), worded("file", UNITS_ZH)
    ('加载', '页 2/3', 'units.csv', '文件')
    >>> with speaking("en"):
    ...     worded("load")
    'load'
    """
    if not isinstance(text, str) or not text or lang() == "en":
        return text
    table = WORDS_ZH if table is None else table
    if text in table:
        return table[text]
    first, sep, rest = text.partition(" ")
    return table[first] + sep + rest if sep and first in table else text


def _in_words(kw: dict) -> dict:
    """A bar's keyword arguments with its name and unit in the reader's language (:func:`worded`)."""
    kw = dict(kw)
    if "desc" in kw:
        kw["desc"] = worded(kw["desc"])
    kw["unit"] = worded(kw.get("unit", "it"), UNITS_ZH)
    return kw


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
    return _in_notebook_words(notebook.tqdm) if getattr(notebook, "IProgress", None) is not None else None


def _format_meter(*args: Any, **kw: Any) -> str:
    """tqdm's line (``tqdm.format_meter``), a Chinese unit's rate per second said in Chinese (``6.38 文件/秒``,
    ``2.10 秒/文件``, where tqdm wrote ``6.38文件/s``): the console's bar and the notebook's say it alike."""
    text = _tqdm.format_meter(*args, **kw)
    unit = kw.get("unit", "it")
    if any(ord(c) > 0x2E80 for c in str(unit)):
        text = re.sub(rf"(\d|\?){re.escape(unit)}/s\b", rf"\1 {unit}/秒", text)
        text = text.replace(f"s/{unit}", f" 秒/{unit}")
    return text


@functools.cache
def _in_notebook_words(base: type) -> type:
    """tqdm's notebook bar (``base``: ``tqdm.notebook.tqdm``) saying its rate and its step's first word as the
    console's bar does (``6.38 文件/秒``, ``写入 P.pdf``): it draws its line with ``self.format_meter`` (both
    the widget's text and its ``repr``), which this class's is; tqdm's had ended a Chinese rate in ``/s``."""

    class NotebookBar(base):  # type: ignore[misc, valid-type]
        format_meter = staticmethod(_format_meter)

        def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
            """The step after the bar, its first word in the reader's language (:func:`worded`)."""
            super().set_postfix_str(worded(s), refresh=refresh)

    NotebookBar.__qualname__ = NotebookBar.__name__ = "tqdm_notebook"
    return NotebookBar


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
            return bar(*args, **_in_words(kw))  # not of this class: Python does not call __init__ on it
        return super().__new__(cls, *args, file=file, **kw)

    def __init__(self, *args: Any, file: Any = None, **kw: Any) -> None:
        kw = _in_words(kw)
        out = file if file is not None else sys.stderr
        mode = os.environ.get("GRAPHKIT_PROGRESS", "").strip().lower()
        drawn = mode == "bar" or (mode != "plain" and on_terminal(out))
        self._plain = None if kw.get("disable") or drawn else out
        self._since = time.monotonic()
        self._said: float | None = None
        self._said_n: float | None = None  # the count the last plain line said: the end is not said twice
        self._closing = False
        self._said_lock = threading.Lock()  # the heartbeat's line and the bar's own, one at a time
        if self._plain is not None:
            kw["bar_format"] = PLAIN_FORMAT
            out = _Null()
        super().__init__(*args, file=out, **kw)
        # off a terminal, a step that runs long between two updates (one query of minutes) says it still runs
        self._quiet = threading.Event()
        if self._plain is not None and not self.disable and PLAIN_EVERY > 0:
            threading.Thread(target=_heartbeat, args=(weakref.ref(self), self._quiet), daemon=True).start()

    @staticmethod
    def format_meter(*args: Any, **kw: Any) -> str:
        """tqdm's line, a Chinese unit's rate per second said in Chinese (:func:`_format_meter`)."""
        return _format_meter(*args, **kw)

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        """The step after the bar, its first word in the reader's language (:func:`worded`)."""
        super().set_postfix_str(worded(s), refresh=refresh)

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
        if plain is not None and msg is None and not getattr(self, "_closing", False):
            now = time.monotonic()
            if now - self._since >= PLAIN_EVERY and (self._said is None or now - self._said >= PLAIN_EVERY):
                self._say(plain)
        return shown

    def _say(self, plain: Any) -> None:
        with self._said_lock:
            plain.write(str(self).rstrip() + "\n")
            plain.flush()
            self._said, self._said_n = time.monotonic(), self.n

    def close(self) -> None:
        """Take the bar off the console; off a terminal, a step that said how far it got says that it ended, unless
        its last line said so already (the demo's log had said ``加载: 25/25 文件`` twice)."""
        plain = getattr(self, "_plain", None)
        quiet = getattr(self, "_quiet", None)
        if quiet is not None:
            with self._said_lock:  # the heartbeat says nothing after this
                quiet.set()
        said_n = getattr(self, "_said_n", None)
        last = plain is not None and not self.disable and self._said is not None and said_n != self.n
        self._closing = True  # tqdm's close draws the bar once more: not a line of its own here
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
                bar._said, bar._said_n = time.monotonic(), bar.n
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
