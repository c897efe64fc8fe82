"""Words by rule: a text said in other words by the first pattern of a table matching it whole, its groups filled
in. The load's Chinese (:mod:`loaders.words`) and the tender-collusion outputs' (:mod:`graphkit.collusion.words`)
both word their English so.

>>> by_rule([(r"duplicate of row (?P<n>\\d+)", "与第 {n} 行重复")], "duplicate of row 212")
'与第 212 行重复'
>>> by_rule([(r"duplicate of row (?P<n>\\d+)", "与第 {n} 行重复")], "something else") is None
True
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterable

__all__ = ["by_rule", "os_error_zh", "ladybug_zh"]


def by_rule(table: Iterable[tuple[str, str]], text: str) -> str | None:
    """``text`` in the words of the first ``(pattern, words)`` of ``table`` whose pattern it matches whole, the
    pattern's named groups filled in; None when none matches."""
    for pat, words in table:
        m = re.fullmatch(pat, text)
        if m:
            return words.format(**m.groupdict())
    return None


#: what the operating system says of a file (an ``OSError``'s ``[Errno N] …``) in Chinese, by its errno
_OS_ZH = {
    errno.ENOENT: "没有这个文件或文件夹",
    errno.ENOTDIR: "路径中有一段是文件，不是文件夹",
    errno.EISDIR: "是文件夹，不是文件",
    errno.EACCES: "本账户无权访问",
    errno.EPERM: "不允许的操作",
    errno.EEXIST: "已存在",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统是只读的",
    errno.ECONNREFUSED: "连接被拒绝",
    errno.ETIMEDOUT: "连接超时",
    errno.EHOSTUNREACH: "主机不可达",
    errno.ENETUNREACH: "网络不可达",
}


def os_error_zh(text: str) -> str:
    """``text`` with each ``[Errno N] Why`` the operating system said in Chinese (:data:`_OS_ZH`), the path after it
    kept; an errno the table lacks as it is.

    >>> os_error_zh("[Errno 20] Not a directory: '/tmp/a/x.db.loading'")
    "路径中有一段是文件，不是文件夹：'/tmp/a/x.db.loading'"
    """

    def said(m: re.Match) -> str:
        zh = _OS_ZH.get(int(m["n"]))
        return m[0] if zh is None else zh + ("：" if m["colon"] else "")

    return re.sub(r"\[Errno (?P<n>\d+)\] [^:;（）()]+?(?P<colon>: |(?=[;；）)]|$))", said, text)


#: what Ladybug (the embedded store) says of a database file it cannot open or write, in Chinese (:func:`ladybug_zh`)
_LADYBUG_ZH: list[tuple[str, str]] = [
    (
        r"Could not set lock on file ?: ?(?P<p>\S*).*",
        "另一个进程正打开着这个库（另一条 graphkit 命令、笔记本或 JupyterLab 内核）：等它结束或关掉它后再试",
    ),
    (
        r".*not a valid Lbug database file.*",
        "这个文件不是嵌入式图库（不是 Ladybug 数据库文件）：--store 是否指错了文件？",
    ),
    (
        r"Trying to read a database file with a different version\. Database file version: (?P<a>\d+), Current build "
        r"storage version: (?P<b>\d+)",
        "库文件由另一版本的图库程序写成（文件版本 {a}，本机为 {b}）：用建库时的 graphkit 版本打开，或从源表重新加载",
    ),
    (r"Cannot open file (?P<p>.+?): (?P<why>.+)", "无法打开文件 {p}（{why}）"),
    (r"Unable to allocate memory.*|.*buffer pool is full.*", "内存不足：关掉其他占用内存的程序后再试"),
    (r"Interrupted\.?", "已中断"),
    (
        r".*(?:corrupt|Corrupted|Data corruption).*",
        "库文件已损坏（可能写入时断电或被中途终止）：请从源表重新加载（graphkit load）",
    ),
]


def ladybug_zh(why: str) -> str:
    """What Ladybug said of a store file, in Chinese (:data:`_LADYBUG_ZH`): its ``IO exception:`` / ``Runtime
    exception:`` prefix and its link to the docs left out, what the system said (``Permission denied``) in Chinese
    too; a text no rule knows as it is.

    >>> ladybug_zh("IO exception: Could not set lock on file : /tmp/g.db\\nSee the docs: https://x for more")
    '另一个进程正打开着这个库（另一条 graphkit 命令、笔记本或 JupyterLab 内核）：等它结束或关掉它后再试'
    >>> ladybug_zh("IO exception: Cannot open file /tmp/g.db: Permission denied")
    '无法打开文件 /tmp/g.db（本账户无权访问）'
    """
    text = re.sub(r"^(?:[A-Za-z ]+ exception|Exception): ", "", " ".join(str(why).split()))
    text = re.sub(r" ?See the docs: \S+ for more(?: information)?\.?$", "", text)
    said = by_rule(_LADYBUG_ZH, text)
    if said is None:
        return text
    return re.sub("|".join(map(re.escape, _STRERROR_ZH)), lambda m: _STRERROR_ZH[m[0]], said)


def _strerror_zh() -> dict[str, str]:
    """The operating system's words for a file error (``Permission denied``) in Chinese, by its errno."""
    return {os.strerror(n): zh for n, zh in _OS_ZH.items()}


_STRERROR_ZH = _strerror_zh()
