"""Identifier and value types: check digits and normalisation.

- 居民身份证号码 (GB 11643-1999): 17 digits + ISO 7064 MOD 11-2 check (0-9 or X).
- 统一社会信用代码 (GB 32100-2015): 18 chars over 0-9A-Z minus I O Z S V,
  check character from weights 3^i mod 31.
- bank card numbers (ISO/IEC 7812): 12-19 digits, the last a Luhn check digit.
- plates such as ``苏E·12345`` / ``苏E12345`` / new-energy ``苏ED12345``.
- phones normalised to one form: mobile ``13812345678``, landline ``0512-65123456``.

Every ``normalize_*`` returns ``None`` for an empty value and raises
:class:`ValueError` with a reason an investigator reads for a bad one.

Example
-------
>>> id_number_check("11010519491231002")
'X'
>>> normalize_id_number("11010519491231002x")
'11010519491231002X'
>>> passes_luhn("6222021234567890128"), passes_luhn("6222021234567890127")
(True, False)
>>> normalize_phone("+86 138-1234-5678")
'13812345678'
>>> normalize_plate("苏e 12345")
'苏E·12345'
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

__all__ = [
    "id_number_check",
    "is_valid_id_number",
    "normalize_id_number",
    "credit_code_check",
    "is_valid_credit_code",
    "normalize_credit_code",
    "passes_luhn",
    "normalize_plate",
    "normalize_phone",
    "normalize_name",
    "normalize_person_name",
    "NAME_DOTS",
    "normalize_address",
    "normalize_text",
    "PROVINCE_ABBR",
    "CREDIT_ALPHABET",
]

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
PROVINCE_ABBR = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = re.compile(rf"^([{PROVINCE_ABBR}])([A-HJ-NP-Z])·?([A-HJ-NP-Z0-9]{{5,6}}|[A-HJ-NP-Z0-9]{{4}}[挂学警领港澳])$")


def mask(value: str, kind: str) -> str:
    """:func:`graphkit.model.mask.mask` (imported when a message needs it: that module uses this one)."""
    from graphkit.model.mask import mask as _mask

    return _mask(value, kind)


def normalize_text(value: object) -> str | None:
    """NFKC (full-width → half-width), trimmed, inner whitespace folded; None when empty."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    s = unicodedata.normalize("NFKC", str(value)).strip()
    s = re.sub(r"\s+", " ", s)
    return s or None


def id_number_check(first17: str) -> str:
    """Check character of the first 17 digits of an ID number."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_valid_id_number(value: str) -> bool:
    """Whether ``value`` is an ID number with a valid check digit and birth date."""
    try:
        normalize_id_number(value)
        return True
    except ValueError:
        return False


def id_year_and_sex(value: object) -> tuple[str, str] | None:
    """The birth year and sex an 18-digit ID number carries (GB 11643: digits 7-10 the year, the 17th odd for a
    man), for a face that shows a person masked yet tells namesakes apart; None for anything else.

    >>> id_year_and_sex("320505198509233414"), id_year_and_sex("320505198509233422"), id_year_and_sex("x")
    (('1985', '男'), ('1985', '女'), None)
    """
    text = "" if value is None else str(value).strip().upper()
    if not is_valid_id_number(text) or len(text) != 18:
        return None
    return text[6:10], "男" if int(text[16]) % 2 else "女"


def normalize_id_number(value: object) -> str | None:
    """An 18-digit ID number, upper-case X; a 15-digit first-generation one is upgraded.

    Both forms must hold a possible birth date (YYMMDD in a 15-digit number, read as 19YY).

    >>> normalize_id_number("11010519491231002×")
    '11010519491231002X'
    >>> normalize_id_number("110105-19491231-002X")  # grouped as the card prints it: dashes read past
    '11010519491231002X'
    >>> normalize_id_number("320583751332123")
    Traceback (most recent call last):
    ...
    ValueError: ID number '3205*******2123' has an impossible birth date
    """
    s = normalize_text(value)
    if s is None:
        return None
    s = s.replace(" ", "").upper()
    if re.fullmatch(r"\d+(?:[-‐‑–—]\d+)+[X×]?", s):  # 110105-19491231-002X: dashes (or en dashes) between groups
        s = re.sub(r"[-‐‑–—]", "", s)
    if re.fullmatch(r"\d{17}×", s):  # the check X typed as the multiplication sign (× beside x in Chinese IMEs)
        s = s[:17] + "X"
    if re.fullmatch(r"\d{15}", s):  # 1st-generation: insert century, add check digit
        s17 = s[:6] + "19" + s[6:]
        _birth_date(s17, s)
        return s17 + id_number_check(s17)
    if not re.fullmatch(r"\d{17}[\dX]", s):
        raise ValueError(f"ID number {mask(s, 'id_number')!r} is not 18 characters of digits (last may be X)")
    _birth_date(s, s)
    expected = id_number_check(s[:17])
    if s[17] != expected:
        raise ValueError(f"ID number {mask(s, 'id_number')!r} has a wrong check digit")
    return s


def _birth_date(digits: str, shown: str) -> None:
    """Refuse an ID number whose birth date (``digits[6:14]``, YYYYMMDD) is impossible; ``shown`` is masked."""
    try:
        date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        raise ValueError(f"ID number {mask(shown, 'id_number')!r} has an impossible birth date") from None


def credit_code_check(first17: str) -> str:
    """Check character of the first 17 characters of a unified social credit code."""
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(value: str) -> bool:
    """Whether ``value`` is a credit code with a valid check character."""
    try:
        normalize_credit_code(value)
        return True
    except ValueError:
        return False


def normalize_credit_code(value: object) -> str | None:
    """An 18-character credit code in upper case; ``ValueError`` with the reason for a bad one."""
    s = normalize_text(value)
    if s is None:
        return None
    s = s.replace(" ", "").upper()
    if len(s) != 18 or any(c not in CREDIT_ALPHABET for c in s):
        raise ValueError(f"credit code {s!r} is not 18 characters of 0-9A-Z (without I O Z S V)")
    expected = credit_code_check(s[:17])
    if s[17] != expected:
        raise ValueError(f"credit code {s!r} has check character {s[17]}, expected {expected}")
    return s


#: province codes (GB/T 2260, first two digits) a 律师执业证号's region starts with
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)


def is_licence_no(value: object) -> bool:
    """Whether a value has the form of a 律师执业证号 (lawyer's or legal worker's licence number): 17 digits,
    the licence class (1 digit, 1-9), the region of the issuing bureau (4 digits, a province code first), the
    year of first qualification (4 digits, 1979-2099), the practice class and sex (2 digits) and a serial
    number (6). The number carries no check digit, so the form is all that tells it. The 司法行政机关 publish it,
    but it names one natural person: a ``Licence``'s key is masked (``personal: licence``, graphkit.model.mask).

    Example
    -------
    >>> is_licence_no("13205200012531401"), is_licence_no("6222021234567890128"), is_licence_no("19905200012531401")
    (True, False, False)
    """
    s = str(value or "").strip()
    return len(s) == 17 and s.isdigit() and s[0] != "0" and s[1:3] in _PROVINCES and 1979 <= int(s[5:9]) <= 2099


def is_invoice_no(value: object) -> bool:
    """Whether a value has the form of a 数电发票 number (a fully digitalised tax invoice, 国家税务总局 2021): 20
    digits, the year's last two, then the province-level code of the issuing tax bureau (2 digits), the issuing
    channel (1) and a serial number (15). It carries no check digit, so the form is all that tells it; it names a
    tax document, not a person, and is shown in clear where its type is known (the key of an ``Invoice`` node, a
    number the text calls an invoice's).

    Example
    -------
    >>> is_invoice_no("23320200000000000108"), is_invoice_no("23990200000000000108"), is_invoice_no("6222021234")
    (True, False, False)
    """
    s = str(value or "").strip()
    return len(s) == 20 and s.isdigit() and s[2:4] in _PROVINCES


def is_fuel_card_no(value: object) -> bool:
    """Whether a value has the form of a fuel card's number (加油卡: Sinopec's and PetroChina's are 16 to 19 digits).
    A 公务加油卡 is held by a unit (fuel_cards.csv names its 持卡单位), but a card number is a payment credential: a
    ``FuelCard``'s key is masked (``personal: card``) as the same digits in free text are, as an account's.

    Example
    -------
    >>> is_fuel_card_no("1000113200540683189"), is_fuel_card_no("10001132"), is_fuel_card_no("1000-1132-0054")
    (True, False, False)
    """
    s = str(value or "").strip()
    return 16 <= len(s) <= 19 and s.isdigit()


def passes_luhn(digits: str) -> bool:
    """Whether a run of digits ends in its Luhn check digit (every bank card number does).

    Parameters
    ----------
    digits : str
        The number, digits only.

    Returns
    -------
    bool
        ``False`` also for an empty value or one with anything but digits.
    """
    if not digits or not digits.isdigit():
        return False
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def normalize_plate(value: object) -> str | None:
    """Plates in one form: province, letter, ``·``, 5-6 characters (``苏E·12345``)."""
    s = normalize_text(value)
    if s is None:
        return None
    s = re.sub(r"[\s\-.·•・]", "", s).upper()
    m = _PLATE.match(s)
    if not m:
        # the form in words: an example plate would be masked with the rest of the reason (苏E·***45)
        raise ValueError(
            f"plate {value!r} is not a Chinese plate (a province's character, the office's letter, "
            "then 5 or 6 letters and digits)"
        )
    return f"{m.group(1)}{m.group(2)}·{m.group(3)}"


#: words a clerk writes around a phone number: a label before it (手机：, 电话, 座机, 办公电话) and whose it is
#: after it, in brackets (（本人）, (家属), (办)); the number itself is read as any other
_PHONE_WORDS = re.compile(
    r"^\s*(?:联系)?(?:手机号码|手机号|手机|移动电话|电话号码|电话|座机|固话|办公电话|办公|住宅电话|家庭电话)\s*[:：]?\s*"
    r"|\s*[(（][\u3400-\u9fff]{1,6}[)）]\s*$"
)


def normalize_phone(value: object) -> str | None:
    """Mobile → 11 digits; landline → ``0AREA-NUMBER``; country code and separators dropped.

    A whole number written as a float (``13912345678.0``, a phone column pandas read with blanks) is read as
    its digits, and must then be a phone like any other; any other fraction is refused.

    >>> normalize_phone("13912345678.0"), normalize_phone("051265123456.0")
    ('13912345678', '0512-65123456')
    >>> normalize_phone("手机：13912345678"), normalize_phone("0512-65123456（办）")
    ('13912345678', '0512-65123456')
    >>> normalize_phone("51265123456")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: phone '512******56' is neither an 11-digit mobile nor a landline with area code (a landline whose ...
    """
    s = normalize_text(value)
    if s is None:
        return None
    if m := re.fullmatch(r"(\d+)\.0", s):  # 13912345678.0: a phone column a spreadsheet or pandas held as a float
        s = m.group(1)
    s = _PHONE_WORDS.sub("", s)  # 手机：139…, 139…（本人）: the clerk's words around one number
    digits = re.sub(r"[\s\-()（）+]", "", s)
    if not digits.isdigit():
        if len(parts := [x for x in re.split(r"[/、;,，；|]", digits) if x]) > 1 and all(x.isdigit() for x in parts):
            raise ValueError(f"phone {mask(s, 'phone')!r} holds {len(parts)} numbers: one phone per cell")
        raise ValueError(f"phone {mask(s, 'phone')!r} has characters other than digits and separators")
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if re.fullmatch(r"1[3-9]\d{9}", digits):
        return digits
    if re.fullmatch(r"0\d{9,11}", digits):
        area = 3 if digits[1] in "12" else 4  # 010, 02x are 3 digits; others 4
        return f"{digits[:area]}-{digits[area:]}"
    why = "is neither an 11-digit mobile nor a landline with area code"
    if re.fullmatch(r"[1-9]\d{9,10}", digits) and not digits.startswith("1"):
        why += " (a landline whose leading 0 was lost? A spreadsheet keeps a number, not its zeros)"
    elif re.fullmatch(r"[2-9]\d{6,7}", digits):
        why += " (a local number without its area code?)"
    raise ValueError(f"phone {mask(digits, 'phone')!r} {why}")


#: what departments write for the middle dot of a transliterated name (阿依古丽·买买提), after NFKC (．→ .):
#: the bullet •, the katakana ・, the hyphenation point ‧, ∙ ⋅ and the full stop; stored as · (U+00B7)
NAME_DOTS = "·•・‧∙⋅."
_HAN = "\u3400-\u9fff"
_DOT_BETWEEN_HAN = re.compile(rf"(?<=[{_HAN}]) ?[{NAME_DOTS}] ?(?=[{_HAN}])")
#: a name of the form of a 少数民族 transliteration: runs of at least two Chinese characters, five or more in all
_TRANSLITERATED = re.compile(rf"[{_HAN}]{{2,}}(?:[ ·][{_HAN}]{{2,}})+")


def normalize_name(value: object, *, person: bool = False) -> str | None:
    """Full-width → half-width; every middle-dot variant between Chinese characters → ``·``; spaces removed
    between CJK characters, folded elsewhere.

    With ``person``, a space between runs of Chinese characters in a transliterated name (each run two
    characters or more, five or more in all: ``阿依古丽 买买提``) is its middle dot; in a Han name (``张 伟``,
    ``欧阳 娜娜``) it is dropped.

    >>> [normalize_name(n) for n in ["阿依古丽•买买提", "阿依古丽・买买提", "阿依古丽．买买提", "J.K. Rowling"]]
    ['阿依古丽·买买提', '阿依古丽·买买提', '阿依古丽·买买提', 'J.K. Rowling']
    >>> [normalize_name(n, person=True) for n in ["阿依古丽 买买提", "张 伟", "欧阳 娜娜"]]
    ['阿依古丽·买买提', '张伟', '欧阳娜娜']
    """
    s = normalize_text(value)
    if s is None:
        return None
    s = _DOT_BETWEEN_HAN.sub("·", s)
    if person and _TRANSLITERATED.fullmatch(s) and sum(c not in " ·" for c in s) >= 5:
        return s.replace(" ", "·")
    s = re.sub(rf"(?<=[{_HAN}·]) (?=[{_HAN}·])", "", s)
    return s


def normalize_person_name(value: object) -> str | None:
    """:func:`normalize_name` of a person (``person=True``)."""
    return normalize_name(value, person=True)


def normalize_address(value: object) -> str | None:
    """Half-width, no spaces: the text that identifies a shared address node."""
    s = normalize_text(value)
    if s is None:
        return None
    return s.replace(" ", "")
