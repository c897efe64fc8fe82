"""One rule for a unit's or company's credit code (统一社会信用代码), public registry data: in clear wherever its type
is known, in messages as on the node. It was in clear in case files, rank and search, and masked in messages: the
loader's "unknown Company 9132**********2162" (a party's code masked as an ID number), path's "no path … between
9132**********2162 and …", a unit portrait's chains (a code not starting 91-93 masked as an ID number). A personal
ID number stays masked everywhere, and an all-digit code is never taken for one."""

from __future__ import annotations

import copy
import csv
import re

import pytest
from fixture_city import C1, P1, P2, TABLES, ccode, pid, write_city

from graphkit.model.mask import mask, mask_text
from graphkit.model.types import credit_code_check, is_valid_credit_code, is_valid_id_number, passes_luhn

#: a company's credit code of digits only that passes Luhn: untyped, it could be an 18-digit bank card
CODE = "913205835289242162"


def _code_that_is_an_id_number() -> str:
    """An all-digit credit code (its form and check character) that is a valid ID number too."""
    for i in range(1000):  # 3232 10 (a province's code in a credit code's place), born 1980-01-01, sequence i
        first17 = f"32321019800101{i:03d}"
        s = first17 + credit_code_check(first17)
        if s.isdigit() and is_valid_credit_code(s) and is_valid_id_number(s):
            return s
    raise AssertionError("no such number")


def test_a_credit_code_is_in_clear_where_a_text_names_it_a_code_or_a_company_s():
    assert passes_luhn(CODE) and credit_code_check(CODE[:17]) == CODE[-1]
    assert mask_text(CODE) == mask(CODE, "account")  # nothing says what it is: it could be a card
    for said in (
        f"unknown Company {CODE} (not in its source table nor in the store)",
        f"unknown Organization {CODE}: its own row, units.csv line 3, was quarantined (see there)",
        f"投标人代码 {CODE} 不在企业登记中",
        f"统一社会信用代码：{CODE}",
        f"no unit with credit code {CODE} in the store",
    ):
        assert mask_text(said) == said
    assert mask_text(f"收款账号 {CODE}") == f"收款账号 {mask(CODE, 'account')}"  # an account's words: masked
    # a personal ID number is masked whatever the text calls it
    person = pid("32050819750312001")
    assert mask_text(f"unknown Company {person}") == f"unknown Company {mask(person, 'id_number')}"
    both = _code_that_is_an_id_number()
    assert mask_text(f"单位代码 {both}") == f"单位代码 {mask(both, 'id_number')}"
    # ... unless the store types it as a company's or unit's key: as on its node
    from graphkit.model.mask import public_keys

    assert public_keys([("Company", both), ("Person", person)]) == {both}
    assert mask_text(f"between {both} and {person}", keep=public_keys([("Company", both)])) == (
        f"between {both} and {mask(person, 'id_number')}"
    )


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """The fixture city with a company of an all-digit code (CODE), and payments to companies no table has: one
    of an all-digit code, one of a code with letters, and one to a person whose number is not registered."""
    tables = copy.deepcopy(TABLES)
    tables["companies"].append({**tables["companies"][0], "credit_code": CODE, "name": "江苏宏恒新材料有限公司"})
    ghost, lettered, stranger = "913205092193553793", ccode("91320500MA0000099"), pid("11010119900307451")
    assert passes_luhn(ghost) and is_valid_credit_code(ghost)
    base = tables["payments"][0]
    tables["payments"] += [
        {**base, "payment_id": "PAY2", "payee_type": "company", "payee_id": ghost},
        {**base, "payment_id": "PAY3", "payee_type": "company", "payee_id": lettered},
        {**base, "payment_id": "PAY4", "payee_type": "person", "payee_id": stranger},
    ]
    root = tmp_path_factory.mktemp("codes")
    return write_city(root / "city", tables), root, (ghost, lettered, stranger)


def test_the_loader_names_an_unknown_company_by_its_code_and_a_person_masked(city, cli):
    folder, root, (ghost, lettered, stranger) = city
    r = cli("load", folder, "--store", f"embedded:{root / 'g.db'}")
    assert r.exit_code == 0, r.output
    # the console says it in Chinese (the quarantine file keeps the loader's English, below)
    assert f"未知的企业 {ghost}（其来源表和库中都没有）" in r.output, r.output
    assert f"未知的企业 {lettered}（其来源表和库中都没有）" in r.output
    assert stranger not in r.output and f"未知的自然人 {mask(stranger, 'id_number')}" in r.output
    with (root / "g.db.quarantine.csv").open(encoding="utf-8-sig") as fh:
        reasons = [q["reason"] for q in csv.DictReader(fh)]
    assert f"unknown Company {ghost} (not in its source table nor in the store)" in reasons  # the file says it so
    assert all(stranger not in x for x in reasons)


def test_path_names_a_company_by_its_code_as_find_does(city, cli):
    folder, root, _ = city
    db = root / "p.db"
    assert cli("load", folder, "--store", f"embedded:{db}").exit_code == 0
    found = cli("find", CODE, "--store", f"embedded:{db}")
    assert CODE in found.output
    r = cli("path", CODE, C1, "--store", f"embedded:{db}", "--max-hops", "1", "--lang", "en")
    assert r.exit_code == 1 and re.search(
        rf"no path of at most 1 hop between \S+ \({CODE}\) and \S+ \({C1}\)", r.output
    )
    r = cli("path", P1, CODE, "--store", f"embedded:{db}", "--max-hops", "1", "--lang", "en")
    assert re.search(
        rf"no path of at most 1 hop between \S+ \({re.escape(mask(P1, 'id_number'))}\) and \S+ \({CODE}\)", r.output
    )
    r = cli("path", P1, CODE, "--store", f"embedded:{db}", "--max-hops", "1")  # Chinese: the same keys, masked alike
    assert re.search(rf"\S+ \({re.escape(mask(P1, 'id_number'))}\) 与 \S+ \({CODE}\) 之间没有 1 跳以内的路径", r.output)
    out = root / "x.pdf"
    r = cli("export", "--path", CODE, C1, "--max-hops", "1", "--case", "C", "--store", f"embedded:{db}", "--out", out)
    assert r.exit_code != 0 and re.search(
        rf"no path of at most 1 hop between \S+ \({CODE}\) and \S+ \({C1}\)", r.output
    )


def test_a_unit_portrait_chain_shows_any_credit_code_in_clear_and_a_person_masked():
    """A chain's holding company keyed 31… (a law firm's code) or 12… (a public institution's) was masked as an ID
    number (``3132**********…``): only codes starting 91, 92 or 93 were taken for companies."""
    from graphkit.portrait_render import _business_lines, speak

    firm, holding = ccode("31320000MD0000004"), ccode("12320500MB0000007")
    hops = [
        {"type": "FAMILY", "from": P1, "to": P2, "from_label": "Person", "to_label": "Person", "what": "亲属",
         "from_name": "张伟", "to_name": "李娜", "source": "family.csv:2"},
        {"type": "SHAREHOLDER_OF", "from": P2, "to": holding, "from_label": "Person", "to_label": "Company",
         "what": "股东", "from_name": "李娜", "to_name": "某某中心", "source": "shareholders.csv:3"},
        {"type": "SHAREHOLDER_OF", "from": holding, "to": firm, "from_label": "Company", "to_label": "Company",
         "what": "控股", "from_name": "某某中心", "to_name": "某某律师事务所", "source": "shareholders.csv:4"},
    ]  # fmt: skip
    chain = {"staff": P1, "staff_name": "张伟", "via": [P2, holding], "company": firm, "company_name": "某某律师事务所",
             "hops": 3, "paid": 0.0, "path": hops}  # fmt: skip
    # as the Chinese portrait says it (its English spans left out: speak)
    text = "\n".join(speak(t) for _, t in _business_lines({"kind": "unit", "family_business": [chain]}, unmask=False))
    assert f"某某中心（{holding}）—控股→ 某某律师事务所（{firm}）" in text, text
    assert P1 not in text and P2 not in text and f"李娜（{mask(P2, 'id_number')}）" in text
