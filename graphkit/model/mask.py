"""Masking of personal identifiers: the one function loaders, analytics and exports use.

Personal identifiers (ID numbers, phones, bank accounts) are never printed in clear in a message,
a log line or an export meant for people outside the case: they are shown with their middle replaced
by ``*``, as Chinese public bodies print them.

- ID number (居民身份证号码, 18 or 15 characters): first 4 and last 4 kept — ``3205**********7451``;
- mobile phone (11 digits): first 3 and last 4 kept — ``138****5678``; a landline keeps its area
  code and last 4 digits — ``0512-****3456``;
- bank account: first 4 and last 4 kept — ``6222***********1234``.

Unified social credit codes, plates and names of companies are not personal data and are not masked.

Two functions:

- :func:`mask` masks one value whose kind is known (a column's type);
- :func:`mask_text` masks every ID number (18 or 15 digits) and mobile number (11 digits) found in
  free text, for messages built from values of unknown kind.

Example
-------
>>> mask("320582196708207451", "id_number")
'3205**********7451'
>>> mask("13812345678", "phone")
'138****5678'
>>> mask("6222020200112233445", "account")
'6222***********3445'
>>> mask("91320500MA1MXXXX0X", "credit_code")
'91320500MA1MXXXX0X'
>>> mask_text("row 12: ID number 32058219670820745X has check digit X, phone 13812345678")
'row 12: ID number 3205**********745X has check digit X, phone 138****5678'
"""

from __future__ import annotations

import re

__all__ = ["mask", "mask_text", "MASKED_KINDS"]

#: value kinds that are personal identifiers (contract column types; ``party`` holds ID numbers too)
MASKED_KINDS = frozenset({"id_number", "phone", "account", "party"})

#: (first characters kept, last characters kept) per kind
_KEEP = {"id_number": (4, 4), "party": (4, 4), "account": (4, 4), "phone": (3, 4)}

# an 18-character ID number (last may be X) or a 15-digit one, or an 11-digit mobile, not inside a longer
# run of letters or digits
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
_LANDLINE_RE = re.compile(r"^(0\d{2,3})-(\d{5,9})$")


def _middle(s: str, head: int, tail: int) -> str:
    if len(s) <= head + tail:  # too short to show any part safely
        return "*" * len(s)
    return s[:head] + "*" * (len(s) - head - tail) + s[len(s) - tail :]


def mask(value: object, kind: str) -> str | None:
    """One value with its middle masked, by kind.

    Parameters
    ----------
    value : object
        The value (converted with ``str``); ``None`` stays ``None``.
    kind : str
        A contract column type: ``id_number``, ``party``, ``phone`` and ``account`` are masked; every
        other kind (``credit_code``, ``plate``, ``name`` …) is returned as it is.

    Returns
    -------
    str or None
        The masked text. A value too short to show any part of is all ``*``.
    """
    if value is None:
        return None
    s = str(value)
    if kind not in MASKED_KINDS:
        return s
    if kind == "phone":
        m = _LANDLINE_RE.match(s)
        if m:
            return f"{m.group(1)}-{_middle(m.group(2), 0, 4)}"
    head, tail = _KEEP[kind]
    return _middle(s, head, tail)


def mask_text(text: object) -> str:
    """Free text with every ID number (18 or 15 digits) and 11-digit mobile number masked.

    Parameters
    ----------
    text : object
        A message, a line of a file, a reason (converted with ``str``).

    Returns
    -------
    str
        The text with those identifiers as :func:`mask` prints them; everything else unchanged.
    """
    s = str(text)
    s = _ID_RE.sub(lambda m: mask(m.group(0), "id_number"), s)
    return _MOBILE_RE.sub(lambda m: mask(m.group(0), "phone"), s)
