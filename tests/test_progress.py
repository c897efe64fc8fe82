"""Progress bars on the console (graphkit.progress): on a terminal a line printed while a bar runs is never
written after the bar on its line; off a terminal no bar is drawn (no carriage returns in a log), and a long
step prints a few plain lines instead."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

GRAPHKIT = Path(sys.executable).with_name("graphkit")


def _screen(raw: str) -> list[str]:
    """The lines a terminal shows after ``raw`` (carriage return, newline, cursor up, erase to the line's end)."""
    lines: list[list[str]] = [[]]
    row = col = 0
    i = 0
    while i < len(raw):
        m = re.match(r"\x1b\[(\d*)([A-Za-z])", raw[i:])
        if m:
            n, k = int(m.group(1) or 1), m.group(2)
            row = max(0, row - n) if k == "A" else row + n if k == "B" else row
            if k == "K":
                del lines[row][col:]
            lines += [[] for _ in range(row + 1 - len(lines))]
            i += len(m.group(0))
            continue
        c = raw[i]
        if c == "\r":
            col = 0
        elif c == "\n":
            row, col = row + 1, 0
            lines += [[] for _ in range(row + 1 - len(lines))]
        else:
            line = lines[row]
            line += [" "] * (col - len(line))
            line[col : col + 1] = [c]
            col += 1
        i += 1
    return ["".join(x).rstrip() for x in lines]


def _on_a_terminal(args: list[str], cols: int = 150) -> str:
    """What ``args`` writes to a terminal of ``cols`` columns (stdout and stderr both), raw."""
    import fcntl
    import struct
    import termios

    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of a known width (a fresh pty has none, and tqdm draws no bar there)
        try:
            fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 40, cols, 0, 0))
            os.execv(args[0], args)
        finally:
            os._exit(127)
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    return out.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    d = tmp_path_factory.mktemp("progress") / "city"
    done = subprocess.run(
        [str(GRAPHKIT), "synth", "--scale", "1000", "--seed", "5", "--out", str(d)], capture_output=True
    )
    assert done.returncode == 0, done.stderr
    return d


def test_off_a_terminal_no_bar_is_drawn(city, tmp_path):
    """`graphkit synth … > log 2>&1` and `graphkit load` wrote hundreds of carriage-return updates of their bars
    on one line of the log; off a terminal they write none."""
    for args in (
        ["synth", "--scale", "1000", "--seed", "6", "--out", str(tmp_path / "c")],
        ["load", str(city), "--store", f"embedded:{tmp_path / 'g.db'}"],
    ):
        done = subprocess.run([str(GRAPHKIT), *args], capture_output=True)  # bytes: text mode reads \r as \n
        assert done.returncode == 0, done.stderr
        assert b"\r" not in done.stderr + done.stdout, done.stderr[:300]
        assert "%|" not in done.stderr.decode()  # no bar


def test_on_a_terminal_a_log_line_clears_the_bar_first(city, tmp_path):
    """`graphkit -v load` logs a line per file while its bar runs: each was written after the bar, on the bar's
    line (`load:  4%|▍ | 1/25 [00:00, units.csv]INFO graphkit.loaders: …`). Each now has a line of its own,
    and the bar is still drawn on the terminal."""
    raw = _on_a_terminal([str(GRAPHKIT), "-v", "load", str(city), "--store", f"embedded:{tmp_path / 'g.db'}"])
    assert "加载:" in raw and "%|" in raw, raw[:500]  # a bar, on a terminal, named in the console's language
    assert " 文件/秒" in raw and "file/s" not in raw and "it/s" not in raw, raw[:500]  # its rate too
    said = [line for line in _screen(raw) if "graphkit.loaders:" in line]
    assert len(said) >= 20, raw[-2000:]
    assert all(line.startswith("INFO graphkit.loaders: ") for line in said), [x for x in said if x[:4] != "INFO"]


def test_a_long_step_off_a_terminal_says_how_far_it_got_in_plain_lines(monkeypatch):
    """Off a terminal a step longer than PLAIN_EVERY prints a plain line that often and one at its end; a short
    step prints nothing (a log of `graphkit demo` is its own numbered steps)."""
    import graphkit.progress as progress

    log = io.StringIO()
    with progress.tqdm(total=3, desc="load", unit="file", file=log) as bar:
        bar.update(3)
    assert log.getvalue() == ""
    monkeypatch.setattr(progress, "PLAIN_EVERY", 0.0)
    with progress.tqdm(total=3, desc="load", unit="file", file=log, mininterval=0) as bar:
        for name in ("a.csv", "b.csv", "c.csv"):
            bar.set_postfix_str(name)
            bar.update()
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue() and len(lines) >= 2
    assert re.fullmatch(r"加载: 3/3 文件 \[00:00, c\.csv\]", lines[-1]), lines  # in the reader's language
    assert all(line.startswith("加载: ") and "|" not in line for line in lines)
    # the end said once (the demo's log had said 加载: 25/25 文件 twice, here three times)
    assert [line for line in lines if line.startswith("加载: 3/3")] == [lines[-1]], lines
    log = io.StringIO()
    with progress.tqdm(total=3, desc="load", unit="file", file=log, mininterval=0) as bar:
        bar.update(2)
        monkeypatch.setattr(progress, "PLAIN_EVERY", 1e9)  # the last file comes soon after: the close says the end
        bar.update()
    assert [line.split(" [")[0] for line in log.getvalue().splitlines()] == [
        "加载: 0/3 文件",
        "加载: 2/3 文件",
        "加载: 3/3 文件",
    ]
    monkeypatch.setattr(progress, "PLAIN_EVERY", 0.0)
    log = io.StringIO()
    with progress.speaking("en"), progress.tqdm(total=3, desc="load", unit="file", file=log, mininterval=0) as bar:
        bar.set_postfix_str("c.csv")
        bar.update(3)
    assert re.fullmatch(r"load: 3/3 file \[00:00, c\.csv\]", log.getvalue().splitlines()[-1]), log.getvalue()


@pytest.mark.parametrize(
    "desc, unit, step, zh, en",
    [
        ("load", "file", "units.csv", r"加载: +\d+%\|.*\| 2/4 \[.*, +[\d.]+ 文件/秒, units\.csv\]", "load: "),
        ("models", "model", "", r"运行模型: .*\| 2/4 \[.*, +[\d.]+ 模型/秒\]", "models: "),
        ("city", None, "", r"合成城市: .*\| 2/4 \[.*, +[\d.]+ 项/秒\]", "city: "),  # tqdm's own "it"
        ("export", "step", "write P.pdf", r"导出: .*\| 2/4 \[.*, +[\d.]+ 步/秒, 写入 P\.pdf\]", "export: "),
        ("export", "step", "page 2/3", r"导出: .*\| 2/4 \[.*步/秒, 页 2/3\]", "export: "),
    ],
)
def test_a_bar_speaks_the_readers_language(monkeypatch, desc, unit, step, zh, en):
    """A Chinese investigator's bars read ``load: 40%|████ | 10/25 [00:03<00:02, 6.38file/s, custody.csv]``,
    ``city: … ?it/s``, ``export: … page 2/3``: the name, the unit, the rate and the step are Chinese under the Chinese
    console (GRAPHKIT_LANG unset or zh), English under ``en``."""
    import graphkit.progress as progress

    monkeypatch.setenv("GRAPHKIT_PROGRESS", "bar")
    for lang, want in (("zh", zh), ("en", en)):
        log = io.StringIO()
        with progress.speaking(lang):
            bar = progress.tqdm(total=4, desc=desc, file=log, mininterval=0, **({"unit": unit} if unit else {}))
            bar.set_postfix_str(step)
            bar.update(2)
            line = str(bar)
            bar.close()
        if lang == "zh":
            assert re.fullmatch(want, line), line
            assert "/s" not in line and not re.search(r"\b(it|file|step|model|page|write)\b", line), line
        else:
            assert line.startswith(want) and f"{unit or 'it'}/s" in line, line


@pytest.mark.parametrize(("lang", "name", "unit"), [("zh", "运行模型", "模型"), ("en", "models", "model")])
def test_one_long_step_off_a_terminal_says_it_still_runs(monkeypatch, lang, name, unit):
    """A step that runs long between two updates (one query of a minute: `models run`'s largest model, a
    portrait's unit scores at a million persons) printed nothing until it ended; it now prints its plain line
    every PLAIN_EVERY seconds while it runs, and nothing once the bar is closed (in the console's language)."""
    import time

    import graphkit.progress as progress

    monkeypatch.setattr(progress, "PLAIN_EVERY", 0.2)
    log = io.StringIO()
    with progress.speaking(lang), progress.tqdm(total=2, desc="models", unit="model", file=log) as bar:
        bar.set_postfix_str("relative_wins_tender_2hop")
        time.sleep(1.1)  # no update meanwhile
        during = log.getvalue().splitlines()
        bar.update(2)
    assert len(during) >= 3, during
    line = rf"{name}: 0/2 {unit} \[00:0\d, relative_wins_tender_2hop\]"
    assert all(re.fullmatch(line, x) for x in during), during
    ended = log.getvalue()
    time.sleep(0.5)
    assert log.getvalue() == ended and ended.splitlines()[-1].startswith(f"{name}: 2/2 {unit}")
    quick = io.StringIO()
    with progress.tqdm(total=1, desc="x", file=quick) as bar:
        bar.update()
    time.sleep(0.3)
    assert quick.getvalue() == ""  # a short step says nothing


def test_in_a_jupyter_kernel_a_step_draws_the_notebook_bar(monkeypatch, capsys):
    """A notebook calling synth or load showed a plain line every 15 s where it had shown tqdm.auto's notebook bar
    (a kernel's stderr is no terminal). In a kernel a bar writing to the console is the notebook bar again; one
    writing to a file of its own, disabled, or with GRAPHKIT_PROGRESS=plain is not."""
    import tqdm.notebook

    import graphkit.progress as progress

    monkeypatch.delenv("GRAPHKIT_PROGRESS", raising=False)
    monkeypatch.setattr(progress, "in_kernel", lambda: True)
    for file in (None, sys.stderr, sys.stdout):
        with progress.tqdm(total=3, desc="synth", file=file) as bar:
            bar.update(3)
        assert isinstance(bar, tqdm.notebook.tqdm) and bar.n == 3
    with progress.tqdm(total=3, desc="load", file=io.StringIO()) as bar:
        assert type(bar) is progress.tqdm
    assert type(progress.tqdm(total=3, disable=True)) is progress.tqdm
    monkeypatch.setenv("GRAPHKIT_PROGRESS", "plain")
    with progress.tqdm(total=3, desc="load") as bar:
        assert type(bar) is progress.tqdm
    monkeypatch.setattr(progress, "in_kernel", lambda: False)
    monkeypatch.delenv("GRAPHKIT_PROGRESS")
    with progress.tqdm(total=3, desc="load") as bar:  # a script, a terminal IPython: as before
        assert type(bar) is progress.tqdm
    capsys.readouterr()


def test_the_notebook_bar_says_its_rate_per_second_in_chinese(monkeypatch, capsys):
    """In a notebook tqdm's widget bar had its name and unit in Chinese but its rate ended in ``/s``
    (``6.38文件/s``) where the console's bar says ``6.38 文件/秒``; its step's first word stayed English too
    (``write P.pdf``). English under GRAPHKIT_LANG=en, as the console's."""
    import tqdm.notebook

    import graphkit.progress as progress

    monkeypatch.delenv("GRAPHKIT_PROGRESS", raising=False)
    monkeypatch.setattr(progress, "in_kernel", lambda: True)
    for lang, rate, step in (("zh", "文件/秒", "写入 P.pdf"), ("en", "file/s", "write P.pdf")):
        monkeypatch.setenv("GRAPHKIT_LANG", lang)
        with progress.tqdm(total=4, desc="load", unit="file", mininterval=0) as bar:
            bar.set_postfix_str("write P.pdf")
            for _ in range(2):
                time.sleep(0.01)
                bar.update()
            assert isinstance(bar, tqdm.notebook.tqdm)
            _, _, right = bar.container.children
            shown = right.value.replace("\u2007", " ")  # the widget's text, spaces made figure spaces
            assert rate in shown and step in shown and not (lang == "zh" and "/s" in shown), shown
            assert rate in repr(bar.container).replace("\u2007", " ")
    capsys.readouterr()


def test_a_kernel_is_told_from_a_script_and_a_terminal_ipython(monkeypatch):
    """The kernel is IPython's shell having one (ipykernel's); a terminal IPython's shell has none, and a script
    has no IPython imported (nor is it imported to ask)."""
    import types

    import graphkit.progress as progress

    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    assert progress.in_kernel() is False and "IPython" not in sys.modules
    fake = types.ModuleType("IPython")
    monkeypatch.setitem(sys.modules, "IPython", fake)
    for shell, kernel in ((None, False), (types.SimpleNamespace(), False), (types.SimpleNamespace(kernel=1), True)):
        fake.get_ipython = lambda shell=shell: shell
        assert progress.in_kernel() is kernel


def test_a_notebook_cell_draws_the_notebook_bar(tmp_path):
    """In a real kernel (nbclient, as the notebooks are run): a bar of graphkit is a widget in the cell's output,
    and no plain progress line is printed."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import graphkit.progress as progress\n"
            "progress.PLAIN_EVERY = 0.0\n"
            "with progress.tqdm(total=3, desc='synth', mininterval=0) as bar:\n"
            "    for _ in range(3):\n"
            "        bar.update()\n"
            "import tqdm.notebook\n"
            "print(isinstance(bar, tqdm.notebook.tqdm) and 'tqdm.notebook', progress.in_kernel())"
        )
    ]
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0]["outputs"]
    text = "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")
    widgets = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert "tqdm.notebook True" in text and "synth: " not in text, outputs
    assert widgets, outputs
