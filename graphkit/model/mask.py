"""Masking of personal identifiers: one function for every face.

ID numbers, phone numbers and bank-account numbers are personal data (个人信息). Every export, visual,
portrait, widget view and command-line line shows them masked unless the user unmasks with a reason
(recorded in the audit log); names are not masked. Credit codes, plates and unit ids are not personal.

- ID number (居民身份证号码): first 4 and last 4 kept, ``3205**********7451``;
- mobile phone: first 3 and last 4, ``138****5678``; a landline keeps its area code and last 2;
- bank account: first 4 and last 4, ``6222***********1234``.

Which node keys are personal is declared once in ``graphkit/model/nodes.yaml`` (``personal:``).

Example
-------
>>> mask("320505198509233414", "id_number")
'3205**********3414'
>>> mask("13812345678", "phone")
'138****5678'
>>> mask_text("唐帆彬 (320505198509233414), 电话 13812345678")
'唐帆彬 (3205**********3414), 电话 138****5678'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from graphkit.model.types import is_valid_id_number

__all__ = ["KINDS", "mask", "mask_key", "mask_text", "mask_codes", "mask_record", "mask_data", "mask_graph"]

KINDS = ("id_number", "phone", "account")

# 15- or 18-character ID numbers, mobiles (1[3-9] + 9 digits), landlines (0 + 2-3 digit area code),
# bank accounts (12-19 digits). Digit runs are matched whole: never inside a longer run or a code.
_ID18 = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9A-Za-z])")
_LANDLINE = re.compile(r"(?<![0-9A-Za-z])0\d{2,3}-\d{7,8}(?![0-9A-Za-z])")
_ACCOUNT = re.compile(r"(?<![0-9A-Za-z])\d{12,19}(?![0-9A-Za-z])")
# any other code: a run of 6+ letters and digits with a digit in it (passport, licence, record numbers)
_CODE = re.compile(r"(?<![0-9A-Za-z*])(?=[A-Za-z]*\d)[0-9A-Za-z]{6,}(?![0-9A-Za-z*])")


def _keep(s: str, head: int, tail: int) -> str:
    if len(s) <= head + tail:
        return "*" * len(s)
    return s[:head] + "*" * (len(s) - head - tail) + s[len(s) - tail :]


def mask(value: Any, kind: str) -> str:
    """Mask one identifier of a known kind.

    Parameters
    ----------
    value
        The identifier (any type; ``None`` gives ``""``).
    kind : {"id_number", "phone", "account"}
        What the value is.

    Returns
    -------
    str
        The masked text; a value too short to keep a head and a tail is all stars.
    """
    if value is None:
        return ""
    s = str(value).strip()
    if "*" in s and kind in KINDS:  # already masked: masking twice changes nothing
        return s
    if kind == "id_number":
        return _keep(s, 4, 4)
    if kind == "phone":
        digits = re.sub(r"\D", "", s)
        if len(digits) == 11 and digits.startswith("1"):
            return _keep(digits, 3, 4)
        if "-" in s:  # landline: area code kept
            area, _, number = s.partition("-")
            return f"{area}-{_keep(number, 0, 2)}"
        return _keep(s, 3, 2)
    if kind == "account":
        return _keep(s, 4, 4)
    raise ValueError(f"unknown identifier kind {kind!r}; one of {', '.join(KINDS)}")


def mask_key(label: str, key: Any, model: Any = None) -> str:
    """Mask a node's key when its label's key is personal data (``personal:`` in nodes.yaml).

    Parameters
    ----------
    label : str
        The node label (``Person``, ``Phone``, ``BankAccount``, …).
    key
        The node's natural key.
    model : graphkit.model.Model, optional
        The model that declares which labels are personal (the default model if omitted).

    Returns
    -------
    str
        The key masked, or unchanged (as text) for a label whose key is not personal.
    """
    if model is None:
        from graphkit.model import Model

        model = Model.default()
    spec = model.labels.get(label)
    kind = getattr(spec, "personal", None)
    return mask(key, kind) if kind else ("" if key is None else str(key))


def _id_or_keep(m: re.Match) -> str:
    s = m.group(0)
    return mask(s, "id_number") if is_valid_id_number(s) else s


def mask_text(text: Any) -> str:
    """Mask every ID number, phone number and bank account found in free text.

    An 18- or 15-character run that is a valid ID number is masked as one; mobiles and landlines are masked
    as phones; any other run of 12-19 digits standing alone is masked as a bank account (on the safe side:
    an all-digit code of that length is masked too). Credit codes with letters, plates and names stay.

    Parameters
    ----------
    text
        Any text (``None`` gives ``""``).

    Returns
    -------
    str
        The text with identifiers masked.
    """
    if text is None:
        return ""
    s = str(text)
    s = _ID18.sub(_id_or_keep, s)
    s = _ID15.sub(_id_or_keep, s)
    s = _MOBILE.sub(lambda m: mask(m.group(0), "phone"), s)
    s = _LANDLINE.sub(lambda m: mask(m.group(0), "phone"), s)
    s = _ACCOUNT.sub(lambda m: mask(m.group(0), "account"), s)
    return s


def mask_codes(text: Any) -> str:
    """Mask free text whose fields are unknown (a line that could not be parsed): what :func:`mask_text`
    masks, and every other run of six or more letters and digits with a digit in it (a passport or
    licence number, a record id), first and last character kept.

    Parameters
    ----------
    text
        Any text (``None`` gives ``""``).

    Returns
    -------
    str
        The text with identifiers and codes masked.

    Example
    -------
    >>> mask_codes('{"passportNumber":["E12345678"],"idNumber":["320505198509233414"],"year":"2020"}')
    '{"passportNumber":["E*******8"],"idNumber":["3205**********3414"],"year":"2020"}'
    """
    return _CODE.sub(lambda m: _keep(m.group(0), 1, 1), mask_text(text))


def mask_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a flat record (a row, a node's properties) with every string value passed through
    :func:`mask_text`.

    Parameters
    ----------
    record : Mapping
        Field → value.

    Returns
    -------
    dict
        The same keys; string values masked, other values unchanged.
    """
    return {k: (mask_text(v) if isinstance(v, str) else v) for k, v in record.items()}


def mask_data(obj: Any) -> Any:
    """A copy of nested data (mappings, lists, tuples, sets) with every string, keys included, passed
    through :func:`mask_text`; other values unchanged.

    Parameters
    ----------
    obj
        JSON-like data (a command's ``--json`` output, a graph's attributes).

    Returns
    -------
    object
        The same shape, identifiers masked.

    Example
    -------
    >>> mask_data({"320505198509233414": ["13812345678", 3]})
    {'3205**********3414': ['138****5678', 3]}
    """
    if isinstance(obj, str):
        return mask_text(obj)
    if isinstance(obj, Mapping):
        return {mask_data(k): mask_data(v) for k, v in obj.items()}
    if isinstance(obj, tuple):
        return tuple(mask_data(v) for v in obj)
    if isinstance(obj, (list, set, frozenset)):
        return type(obj)(mask_data(v) for v in obj)
    return obj


def mask_graph(g: Any, model: Any = None) -> Any:
    """A copy of a networkx graph with identifiers masked: node keys by :func:`mask_key` (a personal label's
    key) and :func:`mask_text` (any other), every string attribute of nodes, links and the graph by
    :func:`mask_data`. Two keys that mask alike (same head and tail) stay two nodes: the second gets
    ``#2``, the third ``#3``.

    Parameters
    ----------
    g : networkx.Graph
        Any networkx graph whose nodes carry their ``label``.
    model : graphkit.model.Model, optional
        Which labels are personal (the default model if omitted).

    Returns
    -------
    networkx.Graph
        A new graph of the same class.
    """
    if model is None:
        from graphkit.model import Model

        model = Model.default()
    names: dict[Any, str] = {}
    taken: dict[str, int] = {}
    for v, a in g.nodes(data=True):
        m = mask_text(mask_key(a.get("label", ""), v, model))
        taken[m] = taken.get(m, 0) + 1
        names[v] = m if taken[m] == 1 else f"{m}#{taken[m]}"
    h = g.__class__()
    h.graph.update(mask_data(dict(g.graph)))
    for v, a in g.nodes(data=True):
        h.add_node(names[v], **mask_data(dict(a)))
    if g.is_multigraph():
        for u, v, k, a in g.edges(keys=True, data=True):
            h.add_edge(names[u], names[v], key=k, **mask_data(dict(a)))
    else:
        for u, v, a in g.edges(data=True):
            h.add_edge(names[u], names[v], **mask_data(dict(a)))
    return h
