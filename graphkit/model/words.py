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
import re
from collections.abc import Iterable

__all__ = ["by_rule", "os_error_zh"]


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
