"""Identifier check digits and normalisation (GB 11643, GB 32100, plates, phones)."""
from __future__ import annotations

import pandas as pd
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
@given(st.lists(st.tuples(digits, dates, st.text("0123456789", min_size=3, max_size=3)), min_size=1, max_size=40),
       st.integers(0, 39))
def test_vectorised_checker_agrees_with_scalar(ids, flip):
    vals = [make_id(*t) for t in ids]
    k = flip % len(vals)
    vals[k] = vals[k][:-1] + ("0" if vals[k][-1] != "0" else "1")
    out, err = check_column(pd.Series(vals), Column("id", None, "id_number"))
    for v, o, e in zip(vals, out, err):
        assert (e is None or e != e) == T.is_valid_id_number(v)
        if T.is_valid_id_number(v):
            assert o == v


def test_known_real_format_examples():
    assert T.id_number_check("11010519491231002") == "X"
    assert T.normalize_id_number("11010519491231002x") == "11010519491231002X"
    assert T.normalize_id_number("110105491231002") == "11010519491231002X"     # 15-digit upgraded
    assert T.normalize_id_number("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"  # full-width
    with pytest.raises(ValueError, match="impossible birth date"):
        T.normalize_id_number("110105194913310027")
    code = "91350100M000100Y4"
    assert T.credit_code_check(code) == "3"
    assert T.normalize_credit_code("91350100m000100y43") == "91350100M000100Y43"
    with pytest.raises(ValueError, match="check character"):
        T.normalize_credit_code("91350100M000100Y44")
    with pytest.raises(ValueError, match="0-9A-Z"):
        T.normalize_credit_code("91350100M000100I43")   # I is not in the alphabet


@given(st.text(T.CREDIT_ALPHABET, min_size=17, max_size=17))
def test_credit_codes_roundtrip(first):
    code = first + T.credit_code_check(first)
    assert T.is_valid_credit_code(code)
    out, err = check_column(pd.Series([code]), Column("c", None, "credit_code"))
    assert out[0] == code and err.isna().all()


@pytest.mark.parametrize("raw,expected", [
    ("苏E·12345", "苏E·12345"), ("苏e12345", "苏E·12345"), ("苏E 12345", "苏E·12345"), ("苏ED12345", "苏E·D12345"),
    ("京A·1234学", "京A·1234学"),
])
def test_plates(raw, expected):
    assert T.normalize_plate(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "苏I·12345", "XX·12345", "苏E·123"])
def test_bad_plates(raw):
    with pytest.raises(ValueError, match="plate"):
        T.normalize_plate(raw)


@pytest.mark.parametrize("raw,expected", [
    ("13812345678", "13812345678"), ("+86 138-1234-5678", "13812345678"), ("008613812345678", "13812345678"),
    ("0512-65123456", "0512-65123456"), ("051265123456", "0512-65123456"), ("(010)12345678", "010-12345678"),
])
def test_phones_normalise_to_one_form(raw, expected):
    assert T.normalize_phone(raw) == expected


def test_names_fold_full_width_and_spaces():
    assert T.normalize_name("张 伟") == "张伟"
    assert T.normalize_name("  Ｌｉ　Ｎａ ") == "Li Na"
    assert T.normalize_name("") is None
