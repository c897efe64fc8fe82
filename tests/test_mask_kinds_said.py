"""Every kind of identifier masked (:data:`graphkit.model.mask.KINDS`) is named where the user is told what is
masked: the case file's privacy note, the pre-portrait's note, and ``--unmask``'s and ``export``'s help, in
Chinese and in English. A fuel card's and a lawyer's licence number had become masked kinds while every note
still listed five kinds."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from graphkit.cli import main
from graphkit.exports import CaseInfo
from graphkit.model.mask import KIND_WORDS, KINDS
from graphkit.portrait_render import MASK_NOTE, speak


def flat(text: str) -> str:
    """``text`` with its wrapping undone: no line breaks or runs of spaces, none between Chinese characters."""
    return " ".join(text.split())


def kinds_missing(text: str, lang: str) -> list[str]:
    said = flat(text) if lang == "en" else "".join(text.split())
    return [k for k in KINDS if KIND_WORDS[k][lang == "en"] not in said]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_case_files_privacy_note_names_every_kind_masked(lang):
    info = CaseInfo("苏纪2024-017", "王科长", at="2026-12-07T17:00:00+08:00", lang=lang)
    assert kinds_missing(info.privacy, lang) == []
    assert kinds_missing(info.meta_line, lang) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_portraits_privacy_note_names_every_kind_masked(lang):
    assert kinds_missing(speak(MASK_NOTE, lang), lang) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", ["export", "portrait", "find"])
def test_unmask_help_names_every_kind_masked(command, lang):
    out = CliRunner().invoke(main, ["--lang", lang, command, "--help"], terminal_width=100)
    assert out.exit_code == 0, out.output
    unmask = re.search(r"\n\s+--unmask\s+(.*?)\n\s+--reason", out.output, re.S)
    assert unmask, out.output
    assert kinds_missing(unmask.group(1), lang) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_exports_help_names_every_kind_masked(lang):
    out = CliRunner().invoke(main, ["--lang", lang, "export", "--help"], terminal_width=100)
    text = out.output.split("Options:")[0].split("选项:")[0]
    assert kinds_missing(text, lang) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_portraits_first_page_line_names_every_kind_on_one_line(lang):
    """The pre-portrait PDF's line under its title (made … · the masking note) is one line of its width (128, as
    ``write_pdf`` wraps a ``meta`` row): the whole list had wrapped it, pushing the first page's layout down."""
    from graphkit.portrait_render import _say, _shown_at, _wrap

    text = speak(f"{_say('生成于', 'made')} {_shown_at('2026-12-07T17:00:00+08:00')} · {MASK_NOTE}", lang)
    assert kinds_missing(text, lang) == []
    assert len(_wrap(text, 128)) == 1, text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_case_files_header_line_names_every_kind_within_the_margin(lang):
    """The case file's header line (exporter, time, masking: drawn as one text at 7.5 pt from 0.04 of an A4 page's
    width) ends inside the right margin (0.96), the whole list said."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from graphkit.exports.printed import A4, cjk_font

    info = CaseInfo("苏纪2024-017", "王科长", at="2026-12-07T17:00:00+08:00", lang=lang)
    assert kinds_missing(info.meta_line, lang) == []
    with matplotlib.rc_context({"font.family": [cjk_font(), "DejaVu Sans"]}):
        fig = Figure(figsize=A4)
        FigureCanvasAgg(fig)
        t = fig.text(0.04, 0.5, info.meta_line, fontsize=7.5)
        fig.canvas.draw()
        assert t.get_window_extent().x1 / fig.bbox.width < 0.96, info.meta_line
