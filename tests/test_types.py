"""Identifier check digits and normalisation (GB 11643, GB 32100, plates, phones)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.model import types as T
from loaders.contracts import Column
from loaders.validate import check_column

digits = st.text("0123456789", min_size=6, max_size=6)
dates = st.dates(min_value=__import__("datetime").date(1920, 1, 1), max_value=__import__("datetime").date(2020, 12, 31))


def make_id(area: str, born, seq: str) -> str:
    first = f"{area}{born:%Y%m%d}{seq}"
    return first + T.id_number_check(first)


@given(area=digits, born=dates, seq=st.text("0123456789", min_size=3, max_size=3))
def test_generated_id_numbers_validate_and_any_other_check_digit_fails(area, born, seq):
    good = make_id(area, born, seq)
    assert T.normalize_id_number(good) == good
    for wrong in "0123456789X":
        if wrong != good[-1]:
            with pytest.raises(ValueError, match="check digit"):
                T.normalize_id_number(good[:-1] + wrong)


@settings(max_examples=50)
@given(
    st.lists(st.tuples(digits, dates, st.text("0123456789", min_size=3, max_size=3)), min_size=1, max_size=40),
    st.integers(0, 39),
)
def test_vectorised_checker_agrees_with_scalar(ids, flip):
    vals = [make_id(*t) for t in ids]
    k = flip % len(vals)
    vals[k] = vals[k][:-1] + ("0" if vals[k][-1] != "0" else "1")
    out, err = check_column(pa.array(vals), Column("id", None, "id_number"))
    assert len(out) == len(vals)
    for i, (v, o) in enumerate(zip(vals, out.to_pylist(), strict=True)):
        assert (i not in err) == T.is_valid_id_number(v)
        if T.is_valid_id_number(v):
            assert o == v


def test_known_real_format_examples():
    assert T.id_number_check("11010519491231002") == "X"
    assert T.normalize_id_number("11010519491231002x") == "11010519491231002X"
    assert T.normalize_id_number("110105491231002") == "11010519491231002X"  # 15-digit upgraded
    assert T.normalize_id_number("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"  # full-width
    with pytest.raises(ValueError, match="impossible birth date"):
        T.normalize_id_number("110105194913310027")
    code = "91350100M000100Y4"
    assert T.credit_code_check(code) == "3"
    assert T.normalize_credit_code("91350100m000100y43") == "91350100M000100Y43"
    with pytest.raises(ValueError, match="check character"):
        T.normalize_credit_code("91350100M000100Y44")
    with pytest.raises(ValueError, match="0-9A-Z"):
        T.normalize_credit_code("91350100M000100I43")  # I is not in the alphabet


@given(st.text(T.CREDIT_ALPHABET, min_size=17, max_size=17))
def test_credit_codes_roundtrip(first):
    code = first + T.credit_code_check(first)
    assert T.is_valid_credit_code(code)
    out, err = check_column(pa.array([code]), Column("c", None, "credit_code"))
    assert out.to_pylist() == [code] and err == {}


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("苏E·12345", "苏E·12345"),
        ("苏e12345", "苏E·12345"),
        ("苏E 12345", "苏E·12345"),
        ("苏ED12345", "苏E·D12345"),
        ("京A·1234学", "京A·1234学"),
    ],
)
def test_plates(raw, expected):
    assert T.normalize_plate(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "苏I·12345", "XX·12345", "苏E·123"])
def test_bad_plates(raw):
    with pytest.raises(ValueError, match="plate"):
        T.normalize_plate(raw)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("13812345678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("008613812345678", "13812345678"),
        ("0512-65123456", "0512-65123456"),
        ("051265123456", "0512-65123456"),
        ("(010)12345678", "010-12345678"),
    ],
)
def test_phones_normalise_to_one_form(raw, expected):
    assert T.normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["320583511332123", "320583750229123", "320583750431123", "320583750012123"])
def test_a_15_digit_id_number_with_an_impossible_birth_date_is_refused(raw):
    """month 13 day 32, 29 February 1975, 31 April, month 00: refused as the 18-digit form is, never upgraded."""
    with pytest.raises(ValueError, match="impossible birth date") as exc:
        T.normalize_id_number(raw)
    assert raw not in str(exc.value)
    values, errors = check_column(pa.array([raw, "320583760229123"]), Column("id", None, "id_number"))
    assert values.to_pylist()[0] is None and "impossible birth date" in errors[0]
    assert values.to_pylist()[1] == T.normalize_id_number("320583760229123") and 1 not in errors  # 1976: a leap year


@pytest.mark.parametrize("raw,expected", [("13912345678.0", "13912345678"), ("051265123456.0", "0512-65123456")])
def test_a_phone_written_as_a_whole_float_reads_as_its_digits(raw, expected):
    assert T.normalize_phone(raw) == expected
    values, errors = check_column(pa.array([raw]), Column("phone", None, "phone"))
    assert (values.to_pylist(), errors) == ([expected], {})


@pytest.mark.parametrize("raw", ["13912345678.5", "13912345678.00", "1391234567.0", "13912345678.0.0"])
def test_a_phone_float_with_a_fraction_or_too_few_digits_is_refused(raw):
    with pytest.raises(ValueError):
        T.normalize_phone(raw)


AYGL = "阿依古丽·买买提"  # the standard middle dot, U+00B7
DOT_VARIANTS = ["阿依古丽•买买提", "阿依古丽・买买提", "阿依古丽.买买提", "阿依古丽．买买提", "阿依古丽 · 买买提", AYGL]


def test_every_middle_dot_variant_of_a_name_is_the_standard_dot():
    from loaders.contracts import load_contracts

    assert [T.normalize_name(n) for n in DOT_VARIANTS] == [AYGL] * len(DOT_VARIANTS)
    for col in (load_contracts()["household"].columns["name"], load_contracts()["units"].columns["name"]):
        values, errors = check_column(pa.array(DOT_VARIANTS), col)
        assert (values.to_pylist(), errors) == ([AYGL] * len(DOT_VARIANTS), {})
    assert T.normalize_name("J.K. Rowling") == "J.K. Rowling"  # a dot between latin letters is kept


def test_a_space_in_a_transliterated_person_name_is_its_middle_dot():
    from loaders.contracts import load_contracts

    col = load_contracts()["household"].columns["name"]
    raw = ["阿依古丽 买买提", "阿依古丽\u3000买买提", "张 伟", "欧阳 娜娜", "热依拉 艾力", "阿卜杜拉 艾买提 吐尔逊"]
    values, errors = check_column(pa.array(raw), col)
    assert errors == {}
    assert values.to_pylist() == [AYGL, AYGL, "张伟", "欧阳娜娜", "热依拉·艾力", "阿卜杜拉·艾买提·吐尔逊"]
    assert T.normalize_name("苏州 城建局") == "苏州城建局"  # not a person: the space is dropped, as before


def test_names_fold_full_width_and_spaces():
    assert T.normalize_name("张 伟") == "张伟"
    assert T.normalize_name("  Ｌｉ　Ｎａ ") == "Li Na"
    assert T.normalize_name("") is None


# the vectorised fast paths settle canonical values themselves: they must agree with the scalar normalisers
SCALAR = {
    "plate": T.normalize_plate,
    "phone": T.normalize_phone,
    "name": T.normalize_name,
    "address": T.normalize_address,
    "text": T.normalize_text,
    "id_number": T.normalize_id_number,
    "credit_code": T.normalize_credit_code,
}
pieces = st.sampled_from(
    [
        "苏",
        "E",
        "e",
        "·",
        " ",
        "　",
        "1",
        "2",
        "３",
        "D",
        "学",
        "-",
        "张",
        "伟",
        "Ｌ",
        "\u00a0",
        "\u2003",
        "(",
        "+86",
        "0512",
        "X",
        "x",
        "I",
        "\t",
        "路",
        "号",
    ]
)


@settings(max_examples=300)
@given(kind=st.sampled_from(sorted(SCALAR)), values=st.lists(st.lists(pieces, max_size=12).map("".join), max_size=8))
def test_vectorised_text_checkers_agree_with_the_scalar_normalisers(kind, values):
    out, err = check_column(pa.array(values, pa.string()), Column("c", None, kind))
    assert len(out) == len(values)
    for i, (v, o) in enumerate(zip(values, out.to_pylist(), strict=True)):
        try:
            expected, reason = SCALAR[kind](v), None
        except ValueError as exc:
            expected, reason = None, str(exc)
        assert (o, err.get(i)) == (expected, reason), v


@settings(max_examples=200)
@given(
    y=st.integers(1890, 2110),
    m=st.integers(0, 13),
    d=st.integers(0, 32),
    hh=st.integers(0, 25),
    mi=st.integers(0, 61),
    ss=st.integers(0, 59),
)
def test_canonical_dates_and_times_parse_as_the_calendar_says(y, m, d, hh, mi, ss):
    text = f"{y:04d}-{m:02d}-{d:02d}"
    try:
        day = dt.date(y, m, d) if 1900 <= y <= 2100 else None
    except ValueError:
        day = None
    out, err = check_column(pa.array([text]), Column("c", None, "date"))
    assert out.to_pylist() == [day] and (0 in err) == (day is None)
    stamp = f"{text} {hh:02d}:{mi:02d}:{ss:02d}"
    try:
        when = dt.datetime(y, m, d, hh, mi, ss) if day else None
    except ValueError:
        when = None
    out, err = check_column(pa.array([stamp]), Column("c", None, "datetime"))
    assert out.to_pylist() == [when] and (0 in err) == (when is None)


@pytest.mark.parametrize(
    "kind,raw,value,reason",
    [
        ("date", "2024/1/5", dt.date(2024, 1, 5), None),
        ("date", "2024年01月05日", dt.date(2024, 1, 5), None),
        ("date", "20240105", dt.date(2024, 1, 5), None),
        ("date", " 2024-01-05 ", dt.date(2024, 1, 5), None),
        ("date", "2024-02-30", None, "not a date (2024-02-30); expected Y-m-d"),
        ("date", "1899-12-31", None, "date out of range 1900-2100"),
        ("datetime", "2024-01-05T08:09:10", dt.datetime(2024, 1, 5, 8, 9, 10), None),
        ("amount", "1,234.50", 1234.5, None),
        ("amount", "¥12", 12.0, None),
        ("amount", "-1", None, "negative amount -1.0"),
        ("amount", "abc", None, "not a number: abc"),
        ("int", "2.5", None, "not a whole number: 2.5"),
        ("int", "3", 3, None),
        ("bool", " 是 ", True, None),
        ("bool", "N", False, None),
        ("bool", "maybe", None, "not a yes/no value: maybe"),
        ("account", "6222-0212-3456-7890", "6222021234567890", None),
        ("code", " 苏财采 2024-017 ", "苏财采2024-017", None),
    ],
)
def test_other_forms_go_through_the_general_parsers(kind, raw, value, reason):
    out, err = check_column(pa.array([raw]), Column("c", None, kind))
    assert (out.to_pylist(), err.get(0)) == ([value], reason)


def test_blank_cells_are_missing_and_required_ones_are_refused():
    out, err = check_column(pa.array(["", "  ", None, "　"]), Column("c", None, "name", required=True))
    assert out.to_pylist() == [None] * 4
    assert err == dict.fromkeys(range(4), "required value is missing")
