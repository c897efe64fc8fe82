"""The embedded Chinese font: cut from the cached base font when a page's characters are all in GB 2312,
from the full font otherwise, with the same glyphs either way."""

from __future__ import annotations

import io

import pytest
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

from graphkit import fonts

TEXT = "预画像 苏州市城市管理局 王强铭（3205**********0492）→ 相城致远贸易有限公司 1,131.0 万元"


def _glyphs(data: bytes) -> dict[int, tuple]:
    font = TTFont(io.BytesIO(data))
    gs = font.getGlyphSet()
    out = {}
    for code, name in font.getBestCmap().items():
        pen = RecordingPen()
        gs[name].draw(pen)
        out[code] = (gs[name].width, tuple(pen.value))
    return out


def test_the_base_font_is_written_once_and_cuts_the_same_glyphs(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHKIT_CACHE", str(tmp_path / "cache"))
    assert set(TEXT) <= fonts.BASE_CHARS
    first = fonts.subset_font(TEXT)
    (base,) = (tmp_path / "cache").glob("cjk-base-*.otf")
    stamp = base.stat().st_mtime_ns
    again = fonts.subset_font(TEXT)
    assert base.stat().st_mtime_ns == stamp, "the base font is reused, not written again"
    assert _glyphs(first) == _glyphs(again)
    # the same cut from the full font (a cache folder that cannot be written): the same outlines
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("GRAPHKIT_CACHE", str(blocked))
    assert fonts.base_font() is None
    direct = fonts.subset_font(TEXT)
    got, want = _glyphs(first), _glyphs(direct)
    assert set(got) == set(want) >= {ord(c) for c in set(TEXT)}
    assert got == want


@pytest.mark.parametrize("flavor", [None, "woff"])
def test_a_character_outside_gb2312_is_cut_from_the_full_font(tmp_path, monkeypatch, flavor):
    monkeypatch.setenv("GRAPHKIT_CACHE", str(tmp_path))
    rare = "㐀"  # CJK extension A: in Noto Sans CJK SC, not in GB 2312
    assert rare not in fonts.BASE_CHARS
    data = fonts.subset_font("张" + rare, flavor=flavor)
    assert ord(rare) in TTFont(io.BytesIO(data)).getBestCmap()
    assert not list(tmp_path.glob("cjk-base-*.otf")), "a page the base cannot set does not write it"
