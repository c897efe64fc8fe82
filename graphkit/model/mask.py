"""Masking of personal identifiers: one function for every face.

ID numbers, phone numbers, bank-account numbers, fuel card numbers, lawyers' licence numbers, a private car's plate
and a home address are personal data or card numbers (个人信息, PIPL; the house rule: no card number in clear).
Every export, visual, portrait, widget view and command-line line shows them masked unless the user unmasks with a
reason (recorded in the audit log); names are not masked. Credit codes and unit ids are not personal, nor are an
official vehicle's plate and a company's or unit's registered address (see below).

- ID number (居民身份证号码): first 4 and last 4 kept, ``3205**********7451``;
- mobile phone: first 3 and last 4, ``138****5678``; a landline keeps its area code and last 2;
- bank account: first 4 and last 4, ``6222***********1234``;
- fuel card (``card``: 加油卡号, 16-19 digits): first 4 and last 4, ``1000***********3189``, as free text masks the same
  digits as an account: a card number is a payment credential, a unit's card too, and is unmasked only with a reason;
- lawyer's licence (``licence``: 律师执业证号, 17 digits): first 4 and last 4, ``1320*********1401``, as free text
  masks the same digits: the number names one natural person (its digits hold the year of first qualification and
  the sex), so published or not it is personal information (PIPL art. 4, 13) and shown in clear only on unmasking;
- plate: the province character, the issuing-city letter and the last 2 characters, ``苏E·***45``;
- address: the province, city and district (区, 县 or county-level 市) kept, the rest one ``****``
  (``苏州市姑苏区****``); an address with no such prefix is all ``****``;
- birth date (``birth_date``, beside a masked ID number): the year only, ``1975``. The masked ID number keeps
  its last 4 characters, and with the whole birth date beside it the GB 11643 check digit leaves a handful of
  candidates for the 2 digits still hidden.

Which node keys are personal is declared once in ``graphkit/model/nodes.yaml`` (``personal:``). A ``Vehicle``'s
plate and an ``Address`` are personal unless the store knows otherwise: the plates and addresses it answers for
``queries/privacy/public_keys.cypher`` (:meth:`graphkit.stores.base.GraphStore.public_keys`: a vehicle of kind
official, enforcement or special registered to no person; an address of a company or unit linked to no person)
are public and shown in clear while :func:`known_public` holds them (the command line sets it when it opens a
store). With no store behind the face, every plate and address is masked: the safe side.

Free text is masked by pattern, identifiers told apart by their check characters: a valid ID number
(GB 11643) is masked as one; a unified social credit code (GB 32100, 18 characters with its own check
character) is public registration data and stays, all-digit ones included. A lawyer's licence number and a fuel
card's number are masked wherever they appear, named or not, as a ``Licence``'s and a ``FuelCard``'s key are
(``personal: licence`` and ``personal: card`` in nodes.yaml; both had been shown in clear as public numbers, and
the demo page printed them). A 数电发票 invoice number (20 digits: year,
province, channel, serial) names a tax document, not a person, and stays the same way: the key of an ``Invoice``
node (``key_format: invoice_no``), or a number the text calls an invoice's (``发票号码 23322000000000000008``).
Any other run of 12-19 digits is
masked as a bank account, bank cards (which pass Luhn) and account numbers without a check digit alike.

One rule for a credit code, on every face and in every message: it is in clear wherever its type is known — the
key of a ``Company`` or ``Organization`` node (:func:`mask_node_key`, data that type it, and a message naming such
a node, through ``keep``: :func:`public_keys`), or a number the text names as a code (``统一社会信用代码``,
``单位代码``, ``投标人代码`` …, ``credit code``) or as a company's or unit's (the loader's ``unknown Company 9132…``) —
and in text of unknown type wherever it cannot be a bank card (it fails Luhn, or starts with 1, which no card
number does). An all-digit code that passes Luhn with nothing naming it stays masked as a possible 18-digit card.
It is never taken for an ID number: a value is masked as one only where it is a valid ID number, and a valid ID
number is masked whatever a text calls it; only a node the store types as a company or unit keeps one in clear.

A plate is found by its unambiguous form (a province character, a capital letter, 5-6 letters and digits with a
digit among them: ``苏E·12345``, ``苏E12345``, ``苏ED12345``); an address only where its form leaves no doubt:
an administrative prefix (…市, …区, …县), then a road, street, lane or village with its house number right after
it (``…河翠街115号…``, ``…宝南村4组206号``). Ordinary Chinese text (``苏州市交通运输局道路改造工程2号标段``) is left
alone.

Example
-------
>>> mask("320505198509233414", "id_number")
'3205**********3414'
>>> mask("13812345678", "phone")
'138****5678'
>>> mask_text("唐帆彬 (320505198509233414), 电话 13812345678")
'唐帆彬 (3205**********3414), 电话 138****5678'
>>> mask_text("苏州市统计局 (113205000411340471), 账户 6222021234567890128")
'苏州市统计局 (113205000411340471), 账户 6222***********0128'
>>> mask_text("苏E·12345 登记于 苏州市姑苏区平江街道谊建巷17号36幢1439室")
'苏E·***45 登记于 苏州市姑苏区****'
>>> with known_public(["苏E·12345"]):
...     mask_text("苏E12345")
'苏E12345'
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import date
from typing import Any

from graphkit.model.types import (
    PROVINCE_ABBR,
    is_invoice_no,
    is_valid_credit_code,
    is_valid_id_number,
    passes_luhn,
)

__all__ = [
    "KINDS",
    "KIND_WORDS",
    "masked_kinds",
    "YEAR_ONLY",
    "known_public",
    "set_known_public",
    "reset_known_public",
    "mask",
    "mask_key",
    "mask_node_key",
    "public_keys",
    "mask_text",
    "warning_summary",
    "mask_codes",
    "mask_record",
    "mask_entity",
    "mask_caption",
    "mask_data",
    "mask_graph",
    "mask_keys_in",
    "mask_keys_of",
    "personal_nodes",
]

KINDS = ("id_number", "phone", "account", "plate", "address", "card", "licence")
#: each kind as the privacy notes and the ``--unmask`` help name it, (Chinese, English): short, for the
#: portrait's first-page line holds them all (:func:`masked_kinds`)
KIND_WORDS: dict[str, tuple[str, str]] = {
    "id_number": ("身份证号", "IDs"),
    "phone": ("电话", "phones"),
    "account": ("银行账号", "accounts"),
    "plate": ("私家车牌", "private plates"),
    "address": ("住址", "addresses"),
    "card": ("加油卡号", "fuel cards"),
    "licence": ("律师证号", "lawyer licences"),
}
if set(KIND_WORDS) != set(KINDS):  # a kind added to KINDS is named by every note, or the import fails
    raise RuntimeError(f"KIND_WORDS names {sorted(KIND_WORDS)}, KINDS holds {sorted(KINDS)}")


def masked_kinds(lang: str = "zh") -> str:
    """Every kind :data:`KINDS` masks, said in ``lang``: what the privacy notes and the ``--unmask`` help list.

    >>> masked_kinds()
    '身份证号、电话、银行账号、私家车牌、住址、加油卡号、律师证号'
    >>> masked_kinds("en")
    'IDs, phones, accounts, private plates, addresses, fuel cards and lawyer licences'
    """
    if lang == "en":
        words = [KIND_WORDS[k][1] for k in KINDS]
        return ", ".join(words[:-1]) + " and " + words[-1]
    return "、".join(KIND_WORDS[k][0] for k in KINDS)


#: the most stars a masked ID-like key shows between its head and tail (an 18-character ID number's own)
ID_STARS = 10
#: properties reduced to their year when identifiers are masked (with the day, a masked ID number is rebuilt):
#: the model's ``birth_date`` and FollowTheMoney's ``birthDate`` (kept in a node's ``ftm_properties`` JSON)
YEAR_ONLY = ("birth_date", "birthDate")

# 15- or 18-character ID numbers, mobiles (1[3-9] + 9 digits), landlines (0 + 2-3 digit area code),
# bank accounts (12-19 digits). Digit runs are matched whole: never inside a longer run or a code.
_ID18 = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9A-Za-z])")
_LANDLINE = re.compile(r"(?<![0-9A-Za-z])0\d{2,3}-\d{7,8}(?![0-9A-Za-z])")
_ACCOUNT = re.compile(r"(?<![0-9A-Za-z])\d{12,19}(?![0-9A-Za-z])")
#: a run of 20 or more digits: identifiers run together (a phone and an ID number in one cell), masked whole
_RUN = re.compile(r"(?<![0-9A-Za-z])\d{20,}(?![0-9A-Za-z])")
# a birth date written as JSON inside text ("birthDate": ["1815-12-10"]), and a date's month and day in it
_JSON_BIRTH = re.compile(r'"(?:' + "|".join(YEAR_ONLY) + r')"\s*:\s*(?:\[[^\]]*\]|"[^"]*")')
_MONTH_DAY = re.compile(r"(?<!\d)(\d{4})-?\d{2}(?:-?\d{2})?(?:[T ][0-9:.+-]*)?(?!\d)")
# an all-digit credit code's form: registration authority and kind (digits 1-9), a division code of a province
# (or 100000, the central level), the organisation code, the check character
_UNIT_CODE = re.compile(r"[1-9][1-9](?:10|1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[12])\d{14}")
# the words that name the number after them an invoice's (a path's "invoice 2332…", 发票号码 2332…)
_INVOICE_CUE = re.compile(r"(?:invoice|发票(?:号码|号)?)\s*(?:no\.?|number|号)?\s*[:：#]?\s*$", re.I)
# the words that name the number after them a credit code, or a company's or unit's: a column the contracts head
# …代码 (统一社会信用代码, 单位代码, 投标人代码), "credit code", a label (the loader's "unknown Company 9132…")
_CREDIT_CUE = re.compile(
    r"(?:代码|credit[ _]?code|(?<![A-Za-z])(?:company|organi[sz]ation|unit))\s*[:：#=]?\s*['\"‘“(（]?\s*$", re.I
)


def _is_credit_code(value: object) -> bool:
    """A 统一社会信用代码 of valid form and check character (not an empty value, which the normaliser passes)."""
    return isinstance(value, str) and bool(value.strip()) and is_valid_credit_code(value)


#: key formats (nodes.yaml ``key_format``) of public numbers: a key of the form is shown in clear (a company's or
#: unit's 统一社会信用代码 too when it is all digits and passes Luhn, which free text masks as a possible card)
PUBLIC_KEYS = {
    "invoice_no": is_invoice_no,
    "credit_code": _is_credit_code,
    "unit_id": _is_credit_code,
}


@functools.cache
def _public_forms() -> dict[str, Callable[[object], bool]]:
    """Kind -> the form of its public key, read off the default model: every label (in lower case) whose
    ``key_format`` is one of :data:`PUBLIC_KEYS` and whose key is not personal, and every warning entity type of
    such a label (``unit`` for ``Organization``: :data:`graphkit.model.ENTITY_TYPES`).
    Nested data that gives a number one of these kinds keeps it in clear (:func:`_typed_public`)."""
    from graphkit.model import ENTITY_TYPES, Model

    labels = Model.default().labels
    forms = {
        name.lower(): PUBLIC_KEYS[spec.key_format]
        for name, spec in labels.items()
        if spec.key_format in PUBLIC_KEYS and not spec.personal
    }
    forms.update({kind: forms[label.lower()] for kind, label in ENTITY_TYPES.items() if label.lower() in forms})
    return forms


# any other code: a run of 6+ letters and digits with a digit in it (passport, licence, record numbers)
_CODE = re.compile(r"(?<![0-9A-Za-z*])(?=[A-Za-z]*\d)[0-9A-Za-z]{6,}(?![0-9A-Za-z*])")
# a plate: province character, issuing-city letter (no I, no O), an optional separator, 5-6 characters with a
# digit in them (or 4 and 挂/学/警/领/港/澳); never inside a longer run of letters and digits
_PLATE_BODY = r"(?=[A-HJ-NP-Z]*\d)(?:[A-HJ-NP-Z0-9]{5,6}|[A-HJ-NP-Z0-9]{4}[挂学警领港澳])"
_PLATE = re.compile(rf"(?<![0-9A-Za-z])([{PROVINCE_ABBR}])([A-HJ-NP-Z])([\s·•・.\-]?)({_PLATE_BODY})(?![0-9A-Za-z])")
_SEPARATORS = re.compile(r"[\s·•・.\-]")
# an address's administrative prefix (province, city, district / county / county-level city): what is kept
_ADMIN_PART = r"[^\d\s路街巷弄号村组幢栋室道里镇乡*]{1,8}?"
_ADMIN = re.compile(
    rf"^(?:{_ADMIN_PART}(?:省|自治区|特别行政区))?(?:{_ADMIN_PART}(?:市|自治州|地区|盟))?(?:{_ADMIN_PART}(?:区|县|市|旗))?"
)
# an address in free text: an administrative prefix, a road / street / lane / village with its number right
# after it, and the building, unit and room numbers that follow
_ADDRESS = re.compile(
    r"[\u4e00-\u9fff]{1,10}?(?:市|区|县|旗)[\u4e00-\u9fff]{0,16}?(?:路|街|巷|弄|大道|村|里)\d+(?:号|组)"
    r"(?:[0-9A-Za-z\-]*(?:号|幢|栋|单元|室|楼|层|组))*"
)
# words of an address that say it holds a place below the district (a house, a road, a village)
_BELOW_DISTRICT = re.compile(r"[\d路街巷弄号村组幢栋室道里镇乡]")
# an address written in parts, in any script (``Schillerstraße 19, 76135 Karlsruhe``, ``شارع 30, كراتشي, باكستان``,
# ``ул. Тверская, д. 7, Москва``): the separators between its parts (commas of every script, a spaced dash)
_ADDRESS_PARTS = re.compile(r"\s*(?:[,，،;；\n]|\s[-–—]\s)\s*")
_DIGITS = re.compile(r"\d+")


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
    kind : {"id_number", "phone", "account", "plate", "address", "card", "licence"}
        What the value is.

    Returns
    -------
    str
        The masked text; a value too short to keep a head and a tail is all stars, one longer than an ID
        number shows :data:`ID_STARS` stars between them.

    Example
    -------
    >>> mask("320505198509233414", "id_number"), mask("0de4a3bb5c2d9e8f7a6b5c4d3e2f1a0b9c8d11c6", "id_number")
    ('3205**********3414', '0de4**********11c6')
    """
    if value is None:
        return ""
    s = str(value).strip()
    if "*" in s and kind in KINDS:  # already masked: masking twice changes nothing
        return s
    if kind == "plate":
        return _mask_plate(s)
    if kind == "address":
        return _mask_address(s)
    if kind in KINDS and not any(c.isdigit() for c in s):  # no digit, no identifier: 合计, 不详 are shown as written
        return s
    if kind == "id_number":
        # an ID number (18) shows 10 stars; a longer key (a 40-character FollowTheMoney id) as many, not 32:
        # the run says "masked", its length would only say how long the key was
        return _keep(s, 4, 4) if len(s) <= ID_STARS + 8 else f"{s[:4]}{'*' * ID_STARS}{s[-4:]}"
    if kind == "phone":
        digits = re.sub(r"\D", "", s)
        if len(digits) == 11 and digits.startswith("1"):
            return _keep(digits, 3, 4)
        if "-" in s:  # landline: area code kept
            area, _, number = s.partition("-")
            return f"{area}-{_keep(number, 0, 2)}"
        return _keep(s, 3, 2)
    if kind in ("account", "card", "licence"):  # as free text masks the same digits (an account's rule)
        return _keep(s, 4, 4)
    raise ValueError(f"unknown identifier kind {kind!r}; one of {', '.join(KINDS)}")


def _mask_plate(s: str) -> str:
    """A plate with its province character, issuing-city letter and last 2 characters (``苏E·***45``); text that
    is not a plate keeps its first 2 and last 2 characters."""
    m = _PLATE.fullmatch(_SEPARATORS.sub("", s).upper())
    if m is None:
        return s if not any(c.isascii() and c.isalnum() for c in s) else _keep(s, 2, 2)
    body = m.group(4)
    return f"{m.group(1)}{m.group(2)}·{'*' * (len(body) - 2)}{body[-2:]}"


def _mask_address(s: str) -> str:
    """An address cut after its district (``苏州市姑苏区****``); a word with nothing below a district in it
    (``不详``, ``苏州市姑苏区``) is shown as written. An address in parts with no Chinese administrative prefix
    (any script) keeps its last two parts, the city and the country, without their postcodes
    (:func:`_mask_address_parts`)."""
    head = _ADMIN.match(s).group(0)
    if not head:
        parts = [p for p in _ADDRESS_PARTS.split(s) if p.strip()]
        if len(parts) > 1:
            return _mask_address_parts(parts, s)
    rest = s[len(head) :]
    if not rest or not _BELOW_DISTRICT.search(rest):
        return s
    return head + "****"


def _mask_address_parts(parts: list[str], s: str) -> str:
    """An address written in parts (street, house, city, country) in any script, the big places last as the
    world writes them: its last two parts kept (one of two), their digits (a postcode) dropped, the rest one
    ``****``. A city and a country alone (two parts, no digit: ``صنعاء - اليمن``) hold nothing below the city
    and are shown as written, as ``苏州市姑苏区`` is.

    >>> _mask_address("Schillerstraße 19, 76135 Karlsruhe"), _mask_address("ул. Тверская, д. 7, Москва, 125009")
    ('****, Karlsruhe', '****, Москва')
    >>> _mask_address("شارع 30, كراتشي, باكستان"), _mask_address("إسطنبول, تركيا")
    ('****, كراتشي, باكستان', 'إسطنبول, تركيا')
    """
    if len(parts) <= 2 and not _DIGITS.search(s):
        return s
    kept = [_DIGITS.sub("", p).strip(" .-") for p in parts[-min(2, len(parts) - 1) :]]
    return ", ".join(["****", *(p for p in kept if p)])


class _Known:
    """Plates and addresses known to be public, given as values or as a function that returns them (asked the
    first time a plate or an address is masked), compared without separators or case."""

    def __init__(self, source: Iterable[str] | Callable[[], Iterable[str]]) -> None:
        self._source = source
        self._values: frozenset[str] | None = None

    def __contains__(self, value: object) -> bool:
        if self._values is None:
            got = self._source() if callable(self._source) else self._source
            self._values = frozenset(_same(v) for v in got if v)
        return _same(value) in self._values


def _same(value: object) -> str:
    return _SEPARATORS.sub("", str(value)).upper()


_PUBLIC: ContextVar[_Known | None] = ContextVar("graphkit_known_public", default=None)


def set_known_public(source: Iterable[str] | Callable[[], Iterable[str]]) -> Token:
    """Hold plates and addresses known to be public (an official vehicle's plate, a company's registered address)
    in clear from now on in this context; return the token :func:`reset_known_public` takes.

    Parameters
    ----------
    source : iterable of str, or a function returning one
        The values (:meth:`graphkit.stores.base.GraphStore.public_keys`), or a function asked for them the first
        time a plate or an address is to be masked.
    """
    return _PUBLIC.set(_Known(source))


def reset_known_public(token: Token) -> None:
    """Undo :func:`set_known_public`."""
    _PUBLIC.reset(token)


@contextmanager
def known_public(source: Iterable[str] | Callable[[], Iterable[str]]) -> Iterator[None]:
    """:func:`set_known_public` for the ``with`` block."""
    token = set_known_public(source)
    try:
        yield
    finally:
        reset_known_public(token)


def _is_public(value: object) -> bool:
    known = _PUBLIC.get()
    return known is not None and value in known


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
    if kind in ("plate", "address") and key is not None and _is_public(key):
        return str(key)  # an official vehicle's plate, a company's registered address: public
    return mask(key, kind) if kind else ("" if key is None else str(key))


def public_keys(nodes: Iterable[tuple[str, Any]], model: Any = None) -> frozenset[str]:
    """The keys of ``(label, key)`` nodes that every face shows in clear as their node's key (:func:`mask_node_key`:
    a company's or unit's credit code, an invoice number …), for :func:`mask_text`'s ``keep`` where a message names
    them (``no path … between 9132… and …``): a credit code is not masked there when it is in clear on the node.

    Example
    -------
    >>> sorted(public_keys([("Company", "913205835289242162"), ("Person", "320505198509233414")]))
    ['913205835289242162']
    """
    return frozenset(
        str(key) for label, key in nodes if key is not None and mask_node_key(label, key, model) == str(key) != ""
    )


def mask_node_key(label: str, key: Any, model: Any = None) -> str:
    """A node's key as every face shows it: masked when its label's key is personal (:func:`mask_key`), in
    clear when the label's key is a public registration number of its declared form (a ``Company``'s credit code,
    an ``Invoice``'s number: :data:`PUBLIC_KEYS`), else passed through :func:`mask_text` (a key holding an ID number).

    Example
    -------
    >>> mask_node_key("Licence", "13205200012531401"), mask_node_key("Company", "913205835289242162")
    ('1320*********1401', '913205835289242162')
    """
    if model is None:
        from graphkit.model import Model

        model = Model.default()
    spec = model.labels.get(label)
    if spec is not None and not spec.personal:
        public = PUBLIC_KEYS.get(spec.key_format or "")
        if public is not None and public(key):
            return str(key)
    return mask_text(mask_key(label, key, model))


#: the places an FtM ``Address`` entity keeps in clear (its country too, by its type): the city and above
_FTM_PLACES = ("city", "region", "state")
#: FtM property types an address entity keeps: not a part of the address (its country, its links, dates)
_FTM_KEPT_TYPES = ("country", "entity", "topic", "date", "url")
#: FtM identifier properties that identify a natural person (FtM types them all ``identifier``, beside public
#: register codes such as ``wikidataId`` or ``leiCode``): masked on any entity that is not an organisation, as
#: an ID number is (``Person:passportNumber``, ``Passport:number``, ``BankAccount:iban`` …)
_FTM_PERSONAL_IDS = (
    "idNumber",
    "passportNumber",
    "personalNumber",
    "socialSecurityNumber",
    "taxNumber",
    "innCode",
    "vatCode",
    "number",
    "accountNumber",
    "iban",
)
#: FtM property type -> how a value of it is masked on an entity that is not an organisation
_FTM_CONTACT_TYPES = {"phone": "phone", "email": "email", "iban": "account"}


@functools.cache
def _ftm_personal(schema: str) -> Mapping[str, str]:
    """Which FtM properties of an entity of ``schema`` are a personal address or identifier, from FollowTheMoney's
    own model: property → ``"address"`` (cut as :func:`_mask_address` cuts), ``"place"`` (its digits, a postcode
    written into the city, dropped), ``"all"`` (all stars), or the kind of identifier it is masked as
    (``"id_number"``, ``"phone"``, ``"account"``, ``"email"``).

    - a company, public body or other organisation (``Organization`` and its descendants: ``Company``,
      ``PublicBody``): none, its registered address is public as the business registry's 住所 is;
    - an ``Address`` entity: every part below the city (``full``, ``street``, ``postalCode``, its coordinates,
      its name …); ``city``, ``region``, ``state`` (without a postcode written into them) and the country stay;
    - any other schema (a ``Person``, a ``LegalEntity`` that may be one, a vessel, a document, an event):
      every property of FtM's ``address`` type (``Thing:address``, ``Event:location`` …), of its ``phone``,
      ``email`` and ``iban`` types, and the identifiers of a natural person (:data:`_FTM_PERSONAL_IDS`:
      ``passportNumber``, ``idNumber``, a ``Passport``'s ``number`` …); public register codes (``wikidataId``,
      ``leiCode``, a vessel's ``imoNumber``) stay.

    A schema FtM does not know gives ``address`` (every Thing's free-text address), the safe side.

    >>> p = _ftm_personal("Person")
    >>> p["address"], p["passportNumber"], p["phone"], p["email"], "wikidataId" in p, dict(_ftm_personal("Company"))
    ('address', 'id_number', 'phone', 'email', False, {})
    >>> sorted(k for k, v in _ftm_personal("Address").items() if v == "all")[:4]
    ['description', 'googlePlaceId', 'indexText', 'keywords']
    """
    from followthemoney import model as ftm
    from followthemoney import registry

    sch = ftm.get(schema)
    if sch is None:
        return {"address": "address"}
    if sch.is_a("Organization"):
        return {}
    out = {p.name: "address" for p in sch.properties.values() if p.type == registry.address}
    for p in sch.properties.values():
        if p.type.name in _FTM_CONTACT_TYPES:
            out[p.name] = _FTM_CONTACT_TYPES[p.type.name]
        elif p.type == registry.identifier and p.name in _FTM_PERSONAL_IDS:
            out[p.name] = "account" if p.name in ("accountNumber", "iban") else "id_number"
    if sch.is_a("Address"):
        for p in sch.properties.values():
            if p.stub or p.name in out or p.type.name in _FTM_KEPT_TYPES:
                continue
            if p.name in _FTM_PLACES:
                out[p.name] = "place"
                continue
            out[p.name] = "address" if p.type == registry.name else "all"
    return out


def _mask_ftm_properties(schema: str, props: Any) -> Any:
    """An FtM entity's properties (``{name: [values]}``, or that as JSON text as the graph keeps it) with the
    personal addresses :func:`_ftm_personal` names masked; anything else returned as it came."""
    personal = _ftm_personal(schema)
    if not personal:
        return props
    data = props
    if isinstance(props, str):
        try:
            data = json.loads(props)
        except ValueError:
            return props
    if not isinstance(data, Mapping) or not personal.keys() & data.keys():
        return props

    def one(v: Any, how: str) -> Any:
        if not isinstance(v, str) or not v.strip():
            return v
        if how == "address":
            return mask(v, "address")
        if how == "place":
            return _place(v)
        if how == "email":
            return _mask_email(v)
        if how == "id_number":  # a passport or tax number of any country: a short one all stars
            t = v.strip()
            return _keep(t, 2, 2) if len(t) >= 8 else "*" * len(t)
        if how in KINDS:  # a phone, an account: as the same kind of the model's tables
            return mask(v, how) if any(c.isdigit() for c in v) else _keep(v.strip(), 1, 1)
        return "****"

    out = {
        k: [one(v, personal[k]) for v in vs] if k in personal and isinstance(vs, list) else vs for k, vs in data.items()
    }
    out = {k: one(v, personal[k]) if k in personal and isinstance(v, str) else v for k, v in out.items()}
    return json.dumps(out, ensure_ascii=False, sort_keys=True) if isinstance(props, str) else out


def _mask_email(v: str) -> str:
    """An e-mail address with its mailbox cut to its first character and its domain kept (``a****@example.org``).

    >>> _mask_email("ali.khan@example.org"), _mask_email("x@y.cn"), _mask_email("no mail")
    ('a*******@example.org', '*@y.cn', 'n*****l')
    """
    box, at, domain = v.strip().rpartition("@")
    if not at:
        return _keep(v.strip(), 1, 1)
    return _keep(box, 1, 0) + "@" + domain


def _place(v: str) -> str:
    """A city or region without the postcode written into it (``76135 Karlsruhe`` → ``Karlsruhe``)."""
    return (_DIGITS.sub("", v).strip(" ,.-") or "****") if _DIGITS.search(v) else v


def _address_label(label: Any, model: Any) -> bool:
    if not isinstance(label, str):
        return False
    if model is None:
        from graphkit.model import Model

        model = Model.default()
    spec = model.labels.get(label)
    return getattr(spec, "personal", None) == "address"


def mask_caption(label: str, key: Any, text: Any, model: Any = None) -> str:
    """What a node of ``label`` shows beside its key (its name or caption), masked where the label's key is an
    address (``Address``: its ``full`` text) and the store does not know it public (:func:`known_public`);
    any other text passed through :func:`mask_text`.

    Example
    -------
    >>> mask_caption("Address", "97149caa", "Schillerstraße 19, 76135 Karlsruhe")
    '****, Karlsruhe'
    >>> with known_public(["97149caa"]):
    ...     mask_caption("Address", "97149caa", "Schillerstraße 19, 76135 Karlsruhe")
    'Schillerstraße 19, 76135 Karlsruhe'
    """
    s = "" if text is None else str(text)
    if s and _address_label(label, model) and not (key is not None and _is_public(key)):
        s = "\n".join(mask(x, "address") if x.strip() else x for x in s.split("\n"))
    return mask_text(s)


def mask_entity(attrs: Mapping[str, Any], *, key: Any = None, model: Any = None) -> dict[str, Any]:
    """A node's (or link's) attributes with its personal addresses masked, as the model and FollowTheMoney say
    which they are (the rest of the masking is :func:`mask_data`'s):

    - a node whose label's key is an address (``Address``, ``personal: address`` in nodes.yaml): its caption
      (``full``), ``name`` and ``aliases`` cut as :func:`mask` cuts an address, in any script
      (``****, Karlsruhe``); ``city`` stays, without a postcode written into it;
    - an entity from FtM (``ftm_schema`` and ``ftm_properties``): the properties :func:`_ftm_personal` names,
      a person's ``address`` in Arabic or Cyrillic as much as a Chinese one.

    Neither where the store holds the node's key public (:func:`known_public`: a company's or unit's
    registered address that no person is linked to).

    Parameters
    ----------
    attrs : Mapping
        The attributes, with ``label`` for a node (and ``id``, unless ``key`` is given).
    key : optional
        The node's key when ``attrs`` has no ``id``.
    model : graphkit.model.Model, optional
        Which labels are addresses (the default model if omitted).

    Returns
    -------
    dict
        A copy, masked.

    Example
    -------
    >>> mask_entity({"label": "Person", "ftm_schema": "Person",
    ...              "ftm_properties": '{"address": ["شارع 30, كراتشي, باكستان"], "name": ["Ali"]}'})["ftm_properties"]
    '{"address": ["****, كراتشي, باكستان"], "name": ["Ali"]}'
    """
    out = dict(attrs)
    key = out.get("id", key)
    if key is not None and _is_public(key):
        return out
    if _address_label(out.get("label"), model):
        if model is None:
            from graphkit.model import Model

            model = Model.default()
        caption = model.labels[out["label"]].caption
        for k in {caption, "name", "aliases"} - {None}:
            if isinstance(out.get(k), str) and out[k]:
                out[k] = "\n".join(mask(x, "address") if x.strip() else x for x in out[k].split("\n"))
        if isinstance(out.get("city"), str):
            out["city"] = _place(out["city"])
    schema = out.get("ftm_schema")
    if isinstance(schema, str) and out.get("ftm_properties") is not None:
        out["ftm_properties"] = _mask_ftm_properties(schema, out["ftm_properties"])
    return out


def _id_or_keep(m: re.Match) -> str:
    """An ID number masked; an 18-character run ending in X that fails its check is a mistyped one (masked too),
    unless it is a valid credit code; an all-digit run that fails is left to the account rule."""
    s = m.group(0)
    if is_valid_id_number(s):
        return mask(s, "id_number")
    if len(s) == 18 and s[-1] in "Xx" and not is_valid_credit_code(s):
        return mask(s, "id_number")
    return s


def _is_unit_code(s: str) -> bool:
    """Whether an all-digit run is a unified social credit code: its form and its GB 32100 check character.
    One that also passes Luhn could be an 18-digit bank card and stays masked, unless it starts with 1 (a
    机构编制 unit: no card number starts with 1, which ISO/IEC 7812 gives to airlines)."""
    return bool(_UNIT_CODE.fullmatch(s)) and is_valid_credit_code(s) and (s[0] == "1" or not passes_luhn(s))


def _is_named(m: re.Match, form: Callable[[object], bool], cue: re.Pattern) -> bool:
    """Whether a digit run is a number the text names by its kind: ``form`` holds and ``cue``, a word of the kind,
    comes just before it (an invoice's 20 digits, a credit code that passes Luhn)."""
    return form(m.group(0)) and bool(cue.search(m.string[max(0, m.start() - 24) : m.start()]))


def _run_or_keep(m: re.Match, keep: frozenset[str] | set[str]) -> str:
    """A run of 20 or more digits: kept where it is an invoice number the caller knows (``keep``) or the text
    names (``invoice 2332…``, ``发票号码 2332…``), else its first and last two (identifiers run together in one
    cell, a long account)."""
    s = m.group(0)
    if s in keep or _is_named(m, is_invoice_no, _INVOICE_CUE):
        return s
    return s[:2] + "*" * (len(s) - 4) + s[-2:]


def _is_named_code(s: str) -> bool:
    """An all-digit run of a credit code's form and check character (a card may pass Luhn too: the words before
    it decide, :data:`_CREDIT_CUE`)."""
    return bool(_UNIT_CODE.fullmatch(s)) and is_valid_credit_code(s)


def _account_or_keep(m: re.Match) -> str:
    s = m.group(0)
    if _is_unit_code(s) or _is_named(m, _is_named_code, _CREDIT_CUE):
        return s
    return mask(s, "account")


def _year(value: Any) -> Any:
    """A date (or a list of dates) reduced to its year, ISO 8601's reduced precision (``1975``); ``None`` stays
    ``None``, a value that does not start with a year is starred."""
    if isinstance(value, (list, tuple)):  # FtM keeps every value of a property
        return type(value)(_year(v) for v in value)
    if value is None or value == "" or value != value:  # None, empty, NaN
        return value
    if isinstance(value, date):
        try:
            return f"{value.year:04d}"
        except (TypeError, ValueError):  # pandas' NaT
            return None
    y = re.match(r"\s*(\d{4})", str(value))
    return y.group(1) if y else "*"


def _plate_or_keep(m: re.Match) -> str:
    s = m.group(0)
    if _is_public(s):
        return s
    body = m.group(4)
    return f"{m.group(1)}{m.group(2)}{m.group(3) or ''}{'*' * (len(body) - 2)}{body[-2:]}"


def _address_or_keep(m: re.Match) -> str:
    """An address found in text masked after its district, unless it is a known public one; the match may start a
    few characters early (``住苏州市…``): a public address that ends the match is kept."""
    s = m.group(0)
    if any(_is_public(s[i:]) for i in range(min(len(s), 12))):
        return s
    return mask(s, "address")


def mask_text(text: Any, *, keep: frozenset[str] | set[str] = frozenset()) -> str:
    """Mask every ID number, phone number, bank account, plate and address found in free text.

    An 18- or 15-character run that is a valid ID number is masked as one; mobiles and landlines are masked
    as phones; a unified social credit code (its form and GB 32100 check character) stays, all-digit or not
    (one of digits only that passes Luhn where the text names it a code or a company's or unit's: the module
    doc's rule); any other run of 12-19 digits standing alone is masked as a bank account (a card passes Luhn; account
    numbers without a check digit are masked too, on the safe side); a run of 20 or more digits (identifiers
    run together in one cell) keeps its first and last two, unless it is an invoice number the text names
    (``发票号码 23322000000000000008``: :func:`graphkit.model.types.is_invoice_no`'s form after an invoice
    word). A plate (``苏E·***45``) and an address of the unambiguous form the module doc gives
    (``苏州市姑苏区****``) are masked unless :func:`known_public` holds them.
    A birth date written as JSON in the text (``"birthDate": ["1975-11-04"]``, an FtM entity's properties) keeps
    its year. Names stay.

    Parameters
    ----------
    text
        Any text (``None`` gives ``""``).
    keep : set of str, optional
        Licence and invoice numbers, and the keys of companies and units (:func:`public_keys`), known to be such
        (by their type, where the caller knows it): left in clear.

    Returns
    -------
    str
        The text with identifiers masked.
    """
    if text is None:
        return ""
    s = str(text)
    s = _ID18.sub(lambda m: m.group(0) if m.group(0) in keep else _id_or_keep(m), s)
    s = _ID15.sub(lambda m: m.group(0) if m.group(0) in keep else _id_or_keep(m), s)
    s = _MOBILE.sub(lambda m: mask(m.group(0), "phone"), s)
    s = _LANDLINE.sub(lambda m: mask(m.group(0), "phone"), s)
    s = _ACCOUNT.sub(lambda m: m.group(0) if m.group(0) in keep else _account_or_keep(m), s)
    s = _RUN.sub(lambda m: _run_or_keep(m, keep), s)
    s = _PLATE.sub(_plate_or_keep, s)
    s = _ADDRESS.sub(_address_or_keep, s)
    if "irth" in s:  # a birth date in JSON text (an FtM entity's properties): the year only
        s = _JSON_BIRTH.sub(lambda m: _MONTH_DAY.sub(r"\1", m.group(0)), s)
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


def mask_record(record: Mapping[str, Any], *, key: Any = None) -> dict[str, Any]:
    """A copy of a flat record (a row, a node's properties) with every string value passed through
    :func:`mask_text`, a birth date (:data:`YEAR_ONLY`) reduced to its year and, for a node's or an FtM
    entity's attributes, its personal addresses masked (:func:`mask_entity`).

    Parameters
    ----------
    record : Mapping
        Field → value.
    key : optional
        The node's key when the record has no ``id`` (whether the store holds it public).

    Returns
    -------
    dict
        The same keys; string values masked, birth dates reduced to the year, other values unchanged.
    """
    record = _entity_view(record, key)
    return {k: _year(v) if k in YEAR_ONLY else mask_text(v) if isinstance(v, str) else v for k, v in record.items()}


def _entity_view(obj: Mapping[str, Any], key: Any) -> Mapping[str, Any]:
    """``obj`` through :func:`mask_entity` when it is a node's or an FtM entity's attributes (a ``label``, or
    ``ftm_properties``), else as it is."""
    if isinstance(obj.get("label"), str) or "ftm_properties" in obj:
        return mask_entity(obj, key=key)
    return obj


def _typed_public(obj: Any, found: set[str]) -> set[str]:
    """The public numbers nested data gives the type of (:func:`_public_forms`: a credit code, an invoice number):
    a warning's ``entities`` typed ``company`` in its ``types``, an evidence node ``{"type": "invoice", "id": …}``
    or a node labelled ``Company`` — of the form of its kind. A licence or fuel card number is never among them:
    their keys are personal (nodes.yaml)."""
    if isinstance(obj, Mapping):
        ents, types = obj.get("entities"), obj.get("types")
        if isinstance(ents, list | tuple) and isinstance(types, list | tuple) and len(ents) == len(types):
            forms = _public_forms()
            found.update(
                str(e) for e, t in zip(ents, types, strict=True) if str(t).lower() in forms and forms[str(t).lower()](e)
            )
        form = _public_forms().get(str(obj.get("type") or obj.get("label") or "").lower())
        if form is not None and form(obj.get("id")):
            found.add(str(obj["id"]))
        for v in obj.values():
            _typed_public(v, found)
    elif isinstance(obj, list | tuple | set | frozenset):
        for v in obj:
            _typed_public(v, found)
    return found


def mask_data(obj: Any, *, keep: frozenset[str] | None = None, key: Any = None) -> Any:
    """A copy of nested data (mappings, lists, tuples, sets) with every string, keys included, passed
    through :func:`mask_text` and every birth date (a mapping's :data:`YEAR_ONLY` key) reduced to its year;
    other values unchanged. A public number whose type the data give (a warning's entity typed ``company``, an
    evidence node of type ``invoice``) stays wherever it appears in them; a licence or a fuel card is masked.

    Parameters
    ----------
    obj
        JSON-like data (a command's ``--json`` output, a graph's attributes).
    keep : frozenset of str, optional
        Numbers to leave in clear (found in ``obj`` itself when omitted).
    key : optional
        The node's key when ``obj`` is a node's attributes without its ``id``; a mapping that is a node's or
        an FtM entity's attributes (a ``label``, ``ftm_properties``) has its personal addresses masked
        (:func:`mask_entity`) at any depth.

    Returns
    -------
    object
        The same shape, identifiers masked.

    Example
    -------
    >>> mask_data({"320505198509233414": ["13812345678", 3]})
    {'3205**********3414': ['138****5678', 3]}
    >>> mask_data([{"id": "320505198509233414", "birth_date": "1985-09-23", "gender": "男"}])
    [{'id': '3205**********3414', 'birth_date': '1985', 'gender': '男'}]
    >>> mask_data({"entities": ["13205200411046012"], "types": ["licence"], "key": "13205200411046012"})
    {'entities': ['1320*********6012'], 'types': ['licence'], 'key': '1320*********6012'}
    """
    if keep is None:
        keep = frozenset(_typed_public(obj, set()))
    if isinstance(obj, str):
        return mask_text(obj, keep=keep)
    if isinstance(obj, Mapping):
        obj = _entity_view(obj, key)
        return {
            mask_data(k, keep=keep): _year(v) if k in YEAR_ONLY else mask_data(v, keep=keep) for k, v in obj.items()
        }
    if isinstance(obj, tuple):
        return tuple(mask_data(v, keep=keep) for v in obj)
    if isinstance(obj, (list, set, frozenset)):
        return type(obj)(mask_data(v, keep=keep) for v in obj)
    return obj


def warning_summary(warning: Mapping[str, Any], *, unmask: bool = False, lang: str = "zh") -> str:
    """A warning's summary as `warnings list` shows it: identifiers masked unless ``unmask``, the public numbers
    its entities are typed as (a company's credit code, an invoice) in clear, as :func:`mask_data` keeps them in the
    whole warning; a fuel card or a licence masked. One wording for the pre-portrait, the Warnings tab and the
    command.

    ``lang="zh"`` (the default) gives the Chinese summary (``summary_zh``), or the English one for a warning that
    has none (a ledger written before Chinese summaries); ``lang="en"`` the English one. Both are masked alike.

    >>> w = {"summary": "card 1000113200527517686: 1 fill", "summary_zh": "加油卡1000113200527517686加油1次",
    ...      "entities": ["1000113200527517686"], "types": ["card"]}
    >>> warning_summary(w), warning_summary(w, lang="en")
    ('加油卡1000***********7686加油1次', 'card 1000***********7686: 1 fill')
    >>> warning_summary({"summary_zh": "唐帆彬（320505198509233414）羁押期间仍领取低保11个月"})
    '唐帆彬（3205**********3414）羁押期间仍领取低保11个月'
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    text = str((warning.get("summary_zh") if lang == "zh" else None) or warning.get("summary") or "")
    if unmask:
        return text
    typed = {"summary": text, "entities": warning.get("entities", []), "types": warning.get("types", [])}
    return mask_data(typed)["summary"]


def _renamed(obj: Any, names: Mapping[Any, str], inside: re.Pattern | None = None) -> Any:
    """``obj`` (nested data) with every string that is a node's key, or a mapping's key that is one (a hub's
    links by its key), replaced by its masked name (``names``); with ``inside``, a key found within a longer
    string is replaced too (an FtM entity's ``ftm_properties`` naming its owner, its Aleph URL)."""
    if isinstance(obj, str):
        if obj in names:
            return names[obj]
        return inside.sub(lambda m: names[m[0]], obj) if inside is not None else obj
    if isinstance(obj, Mapping):
        return {_renamed(k, names, inside): _renamed(v, names, inside) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return type(obj)(_renamed(v, names, inside) for v in obj)
    return obj


def _inside(names: Mapping[Any, str]) -> re.Pattern | None:
    """One pattern of the keys masked that free text would not mask (an FtM person's id, a passport number as a
    person's key), longest first; None when there are none."""
    keys = sorted((str(k) for k, m in names.items() if m != k and mask_text(str(k)) == str(k)), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys))) if keys else None


def mask_keys_in(text: str, keys: Mapping[str, str], model: Any = None) -> str:
    """``text`` with each node key of ``keys`` (key → label) that the free-text rule would miss (a foreigner's
    passport number as a person's key, an FtM id) written as :func:`mask_node_key` masks it, in one pass as
    :func:`mask_graph` masks such a key inside its attributes; the caller passes the text through
    :func:`mask_text` for the rest.

    >>> mask_keys_in("Ali (E12345678): 1-hop", {"E12345678": "Person"})
    'Ali (E123*5678): 1-hop'
    """
    names = {k: mask_node_key(label, k, model) for k, label in keys.items() if k}
    inside = _inside(names)
    return inside.sub(lambda m: names[m[0]], text) if inside is not None else text


def personal_nodes(g: Any, model: Any = None) -> dict[str, str]:
    """The nodes of a networkx graph whose label's key is personal (``personal:`` in nodes.yaml), key → label: what
    :func:`mask_keys_in` masks in a text about the graph (a hub a case file names, listed but not expanded).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph(); g.add_node("f9c2e1", label="Person"); g.add_node("c1", label="Company")
    >>> personal_nodes(g)
    {'f9c2e1': 'Person'}
    """
    if model is None:
        from graphkit.model import Model

        model = Model.default()
    personal = {name for name, spec in model.labels.items() if spec.personal}
    return {str(v): a["label"] for v, a in g.nodes(data=True) if a.get("label") in personal}


def mask_keys_of(obj: Any, keys: Mapping[Any, str], model: Any = None) -> Any:
    """``obj`` (nested data: mappings, lists, tuples, strings) with each node key of ``keys`` (key → label) written
    as :func:`mask_node_key` masks it, a whole string or within a longer one (a mapping's keys too), as
    :func:`mask_graph` masks a graph's: so a key the free-text rule would miss (an FtM person's id, a foreigner's
    passport number as a person's key) is masked where the data repeat it. Other strings are left as they are:
    pass the data through :func:`mask_data` for the rest.

    >>> mask_keys_of({"entity": "E12345678", "keys": ["E12345678", "C1"]}, {"E12345678": "Person"})
    {'entity': 'E123*5678', 'keys': ['E123*5678', 'C1']}
    """
    names = {str(k): mask_node_key(label, k, model) for k, label in keys.items() if k}
    return _renamed(obj, names, _inside(names))


def mask_graph(g: Any, model: Any = None) -> Any:
    """A copy of a networkx graph with identifiers masked: node keys by :func:`mask_key` (a personal label's
    key) and :func:`mask_text` (any other), every attribute of nodes, links and the graph by
    :func:`mask_data` (so a person's birth date keeps only its year, and a home address in any script, an
    ``Address`` node's text or an FtM entity's ``address``, is cut after its city). Two keys that mask alike (same head
    and tail) stay two nodes: the second gets ``#2``, the third ``#3``.

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
        m = mask_node_key(a.get("label", ""), v, model)
        taken[m] = taken.get(m, 0) + 1
        names[v] = m if taken[m] == 1 else f"{m}#{taken[m]}"
    h = g.__class__()
    # a graph attribute naming a node (its seeds, its hubs) names it as the masked graph does: a key that is
    # not an ID number's form (a passport number, an FtM id) is not caught by the free-text rule; nor is it
    # where another entity's properties name it (an FtM ownership's owner, the person's Aleph URL)
    inside = _inside(names)
    # a key shown in clear because its label's key is public (a company's credit code, an invoice) stays so
    # wherever the graph's text repeats it (a node's tooltip, a link's caption): free text alone would mask an
    # all-digit code that passes Luhn as a possible card
    public = frozenset(str(v) for v in g.nodes if names[v] == str(v))

    def masked(x: Any, key: Any = None) -> Any:
        return mask_data(x, keep=public | _typed_public(x, set()), key=key)

    h.graph.update(masked(_renamed(dict(g.graph), names, inside)))
    for v, a in g.nodes(data=True):
        h.add_node(names[v], **masked(_renamed(dict(a), names, inside), key=v))
    if g.is_multigraph():
        for u, v, k, a in g.edges(keys=True, data=True):
            h.add_edge(names[u], names[v], key=k, **masked(_renamed(dict(a), names, inside)))
    else:
        for u, v, a in g.edges(data=True):
            h.add_edge(names[u], names[v], **masked(_renamed(dict(a), names, inside)))
    return h
