"""The Chinese font the HTML pages embed: Noto Sans CJK SC cut down to the characters a page shows.

A page (a case file, a portrait) carries a ``@font-face`` holding only its own characters, so Chinese never
shows as boxes on a machine without CJK fonts. Cutting the 65,535-glyph font (fontTools subsetting) costs
about a second per page, most of it spent reading the font's shared subroutines. The first cut on a machine
therefore also writes a **base font** once: every character of GB 2312 (the 6,763 hanzi and its
symbols), Latin-1, punctuation, arrows and full-width forms, subroutines flattened, into the user's cache
folder (``$GRAPHKIT_CACHE``, else ``$XDG_CACHE_HOME/graphkit``, else ``~/.cache/graphkit``; about 1.9 MB,
about ten seconds to write). A page whose characters are all in it is cut from the base, about three times
faster; a page with a rarer character (a name in an extension block) is cut from the full font, as before.
Both give the same glyphs.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

__all__ = ["subset_font", "base_font", "cache_dir", "BASE_CHARS"]


def _gb2312() -> str:
    out = []
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(out)


#: besides GB 2312, the blocks a page's own text uses: Latin-1 (¥, ·), general punctuation (—, ′, …),
#: letter-like symbols, arrows (→), enclosed numbers, CJK symbols and punctuation, full-width forms
_BLOCKS = ((0x0000, 0x00FF), (0x2000, 0x206F), (0x2100, 0x21FF), (0x2460, 0x24FF), (0x3000, 0x303F), (0xFF00, 0xFFEF))
#: the base font's characters (those the font has of them)
BASE_CHARS = frozenset(_gb2312()) | frozenset(chr(c) for lo, hi in _BLOCKS for c in range(lo, hi + 1))


def cache_dir() -> Path:
    """Where the base font is kept: ``$GRAPHKIT_CACHE``, else ``$XDG_CACHE_HOME/graphkit``, else
    ``~/.cache/graphkit``."""
    if os.environ.get("GRAPHKIT_CACHE"):
        return Path(os.environ["GRAPHKIT_CACHE"])
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "graphkit"


def _full_font() -> Path:
    from graphkit.viz import cjk_font_file

    return cjk_font_file()


def base_font() -> Path | None:
    """The cached base font (written on first use), or None where the cache folder cannot be written."""
    import fontTools

    full = _full_font()
    st = full.stat()
    key = hashlib.sha256(f"{full.name}:{st.st_size}:{st.st_mtime_ns}:{fontTools.version}:2".encode()).hexdigest()
    try:
        path = cache_dir() / f"cjk-base-{key[:16]}.otf"
    except RuntimeError:  # no home folder to put a cache in: cut from the full font
        return None
    if path.exists():
        return path
    from fontTools import subset

    options = _options()
    options.desubroutinize = True  # what makes the cuts from it fast
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        font = subset.load_font(str(full), options)
        try:
            sub = subset.Subsetter(options)
            sub.populate(unicodes=sorted(ord(c) for c in BASE_CHARS))
            sub.subset(font)
            with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as fh:
                subset.save_font(font, fh, options)
        finally:
            font.close()
        os.replace(fh.name, path)  # atomic: two processes writing it at once both leave a whole file
    except OSError:
        return None
    return path


def _options():
    from fontTools import subset

    options = subset.Options()
    # no OpenType layout features: vertical forms and ligatures play no part in a horizontal page, and
    # keeping them doubles the base font's size and the time to write it
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    return options


def subset_font(chars: set[str] | str, *, flavor: str | None = None) -> bytes:
    """Noto Sans CJK SC holding just ``chars``.

    Parameters
    ----------
    chars : set of str or str
        The characters the page shows.
    flavor : {None, "woff"}, default None
        None for an OpenType (CFF) file, ``"woff"`` for WOFF.

    Returns
    -------
    bytes
        The font file.
    """
    from fontTools import subset

    chars = set(chars)
    options = _options()
    options.flavor = flavor
    source = base_font() if chars <= BASE_CHARS else None
    font = subset.load_font(str(source or _full_font()), options)
    try:
        sub = subset.Subsetter(options)
        sub.populate(unicodes=sorted(ord(c) for c in chars))
        sub.subset(font)
        buf = io.BytesIO()
        subset.save_font(font, buf, options)
    finally:
        font.close()
    return buf.getvalue()
