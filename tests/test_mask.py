"""graphkit.model.mask: the one masking function every face uses."""

import re

import pytest

from graphkit.model import Model
from graphkit.model.mask import (
    known_public,
    mask,
    mask_data,
    mask_graph,
    mask_key,
    mask_node_key,
    mask_record,
    mask_text,
)
from graphkit.model.types import credit_code_check, id_number_check, passes_luhn


def _id(first17: str) -> str:
    return first17 + id_number_check(first17)


def test_kinds():
    pid = _id("32050519850923341")
    assert mask(pid, "id_number") == pid[:4] + "*" * 10 + pid[-4:]
    assert mask("13812345678", "phone") == "138****5678"
    assert mask("0512-65123456", "phone") == "0512-******56"
    assert mask("6222021234567891234", "account") == "6222***********1234"
    assert mask(None, "phone") == ""
    with pytest.raises(ValueError, match="unknown identifier kind"):
        mask("x", "name")


def test_keys_by_label_from_the_model():
    model = Model.default()
    personal = {n: lab.personal for n, lab in model.labels.items() if lab.personal}
    assert personal == {
        "Person": "id_number",
        "Phone": "phone",
        "BankAccount": "account",
        "Vehicle": "plate",
        "Address": "address",
        "FuelCard": "card",
        "Licence": "licence",
    }
    pid = _id("11010519491231002")
    assert mask_key("Person", pid) == pid[:4] + "**********" + pid[-4:]
    assert mask_key("Company", "91320505MA1XXXXX1Y") == "91320505MA1XXXXX1Y"
    # a plate and an address are personal unless the store says they are public (none here)
    assert mask_key("Vehicle", "苏E·12345") == "苏E·***45"
    assert mask_key("Address", "苏州市姑苏区平江街道谊建巷17号36幢1439室") == "苏州市姑苏区****"


def test_free_text():
    pid = _id("32050519850923341")
    text = f"唐帆彬 ({pid}) 电话 +86 138-1234-5678 账户 6222021234567891234 企业 91320505MA1XXXXX1Y 苏E·12345"
    out = mask_text(text)
    assert pid not in out and "13812345678" not in out.replace("-", "").replace(" ", "")
    assert "6222021234567891234" not in out
    assert "唐帆彬" in out and "91320505MA1XXXXX1Y" in out and "苏E·***45" in out and "12345" not in out
    # a 15-digit first-generation ID number
    assert "320505850923341" not in mask_text("旧号 320505850923341")
    # digits inside a longer code are left alone
    assert mask_text("苏财采2024-017") == "苏财采2024-017"


def _code(first17: str) -> str:
    return first17 + credit_code_check(first17)


def test_credit_codes_cards_and_id_numbers_told_apart_by_their_check_characters():
    unit = _code("11320500041134047")  # 苏州市统计局: all digits, public registration data
    assert not passes_luhn(unit) and mask_text(f"苏州市统计局 ({unit})") == f"苏州市统计局 ({unit})"
    gov = "113205000036132300"  # a 机构编制 code that happens to pass Luhn: no card number starts with 1
    assert _code(gov[:17]) == gov and passes_luhn(gov) and mask_text(gov) == gov
    central = _code("11100000000013127")
    assert mask_text(central) == central
    # an all-digit enterprise code that passes Luhn could be an 18-digit bank card: masked, on the safe side
    firm = next(c for c in (_code(f"9132050{i:010d}") for i in range(200)) if c.isdigit() and passes_luhn(c))
    assert mask_text(firm) == mask(firm, "account")
    wrong = unit[:17] + ("0" if unit[17] != "0" else "1")  # a check character that does not hold: not a code
    assert mask_text(wrong) == mask(wrong, "account")
    card = "6222021234567890128"  # 19 digits, Luhn
    assert passes_luhn(card) and mask_text(card) == "6222***********0128"
    assert mask_text("6222021234567890127") == "6222***********0127"  # an account without a check digit too
    pid = _id("11010019491231002")  # a valid ID number is masked whatever else it might be
    assert mask_text(pid) == mask(pid, "id_number")
    link = "456800888887886977"  # a link id: no identifier's check holds, masked in free text
    assert mask_text(link) == mask(link, "account")


def test_record():
    pid = _id("32050519850923341")
    assert mask_record({"who": pid, "n": 3}) == {"who": mask(pid, "id_number"), "n": 3}


def _person_graph():
    import datetime as dt

    import networkx as nx

    pid = _id("32058219751104272")
    g = nx.MultiDiGraph()
    g.add_node(
        pid,
        label="Person",
        name="雷婉",
        birth_date=dt.date(1975, 11, 4),
        gender="女",
        ftm_properties='{"birthDate": ["1975-11-04"], "nationality": ["cn"]}',
    )
    g.add_node("91320509MA8Q5GR610", label="Company", name="苏州远恒建筑工程有限公司")
    g.add_edge(pid, "91320509MA8Q5GR610", type="SHAREHOLDER_OF", percent=50.85, src_file="s.csv", src_row=2)
    return g, pid


def test_a_masked_person_keeps_only_the_year_of_birth():
    g, pid = _person_graph()
    h = mask_graph(g)
    (person,) = (a for _, a in h.nodes(data=True) if a["label"] == "Person")
    assert person["birth_date"] == "1975" and person["gender"] == "女"
    assert '"birthDate": ["1975"]' in person["ftm_properties"]
    assert mask_record({"birth_date": "1975-11-04", "name": "雷婉"}) == {"birth_date": "1975", "name": "雷婉"}
    assert g.nodes[pid]["birth_date"].isoformat() == "1975-11-04"  # the graph itself is not changed


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf", "html"])
def test_a_masked_export_carries_no_whole_birth_date(tmp_path, fmt):
    from graphkit.exports import CaseInfo, write_case_file
    from graphkit.viz import export

    g, pid = _person_graph()
    case = write_case_file(g, tmp_path / f"c.{fmt}", CaseInfo("苏纪2024-017", "王科长")).path
    files = [case] + ([export(g, tmp_path / "v.html")] if fmt == "html" else [])
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert pid not in text and pid[:4] + "*" * 10 + pid[-4:] in text, f
        assert not re.search(r"1975\D?11\D?04", text) and "1975" in text, f
    if fmt == "html":
        assert "出生日期只留年份" in case.read_text(encoding="utf-8")
    clear = write_case_file(g, tmp_path / f"u.{fmt}", CaseInfo("苏纪2024-017", "王科长", masked=False, reason="立案"))
    assert "1975-11-04" in clear.path.read_text(encoding="utf-8")  # unmasked: whole


def test_mask_codes_masks_every_code_in_text_of_unknown_fields():
    from graphkit.model.mask import mask_codes

    line = (
        '{"id":"m2","name":["张三"],"passportNumber":["E12345678"],"idNumber":["110101196503071236"],'
        '"x":"2020-06-04",,}'
    )
    out = mask_codes(line)
    assert "E12345678" not in out and "E*******8" in out
    assert "110101196503071236" not in out and mask_text("110101196503071236") in out
    assert '"2020-06-04"' in out and "张三" in out and '"m2"' in out  # short runs, dates and names stay
    assert mask_codes(None) == "" and mask_codes("ABCDEF") == "ABCDEF"  # no digit: a word, not a code


def test_a_word_without_digits_is_no_identifier_and_stays_as_written():
    """合计 in an ID-number column was shown '**': only digit/ID-like content is masked."""
    assert [mask(w, k) for w, k in [("合计", "id_number"), ("不详", "phone"), ("无", "account")]] == [
        "合计",
        "不详",
        "无",
    ]
    assert mask("320505198509233414", "id_number") == "3205**********3414" and mask("12", "phone") == "**"


# ---------------------------------------------------------------- licence numbers: personal, masked everywhere
LICENCE = "13205200411046012"  # 律师执业证号: class 1, region 3205, qualified 2004, 11, serial 046012


def _luhn_licence() -> str:
    from graphkit.model.types import passes_luhn

    return next(s for s in (f"1320520041104{i:04d}" for i in range(10_000)) if passes_luhn(s))


def test_a_licence_number_has_a_form_and_no_check_digit():
    from graphkit.model.types import is_licence_no

    assert is_licence_no(LICENCE) and is_licence_no(_luhn_licence())
    assert not is_licence_no("6222021234567890128")  # 19 digits: a card
    assert not is_licence_no("1990520041104601")  # 16 digits
    assert not is_licence_no("19905200411046012")  # region 99 is no province
    assert not is_licence_no("13205185011046012")  # year 1850


def test_a_licence_number_is_masked_in_text_whatever_the_text_calls_it():
    """A licence number names one lawyer (its digits hold the year of qualification and the sex): the
    judge_relative_lawyer warning's 'holds lawyer licence N' printed it in clear, and the demo page with it. It is
    masked named or not, as a Licence's key is (1320*********6012), Luhn or not; a card's digits as an account."""
    from graphkit.model.mask import mask_text

    said = f"spouse 丁一昊 holds lawyer licence {LICENCE} for region 320585"
    assert mask_text(said) == "spouse 丁一昊 holds lawyer licence 1320*********6012 for region 320585"
    assert mask_text(f"执业证号：{LICENCE}") == "执业证号：1320*********6012"
    lucky = _luhn_licence()
    assert mask_text(f"licence {lucky}") == f"licence {mask(lucky, 'licence')}" != f"licence {lucky}"
    assert mask_text(f"账户 {LICENCE}") == "账户 1320*********6012"
    assert mask_text("licence holder paid to 6222021234567890128") == "licence holder paid to 6222***********0128"


def test_a_licence_key_and_a_licence_typed_entity_are_masked_as_the_same_digits_in_text():
    import networkx as nx

    from graphkit.model.mask import mask_data, mask_graph, mask_node_key

    assert mask_node_key("Licence", LICENCE) == "1320*********6012" == mask(LICENCE, "licence")
    assert mask_node_key("BankAccount", LICENCE) == "1320*********6012"
    assert mask_node_key("Person", "320505198509233414") == "3205**********3414"
    g = nx.MultiDiGraph()
    g.add_node(LICENCE, label="Licence")
    g.add_node("320505198509233414", label="Person", name="丁一昊")
    g.add_edge("320505198509233414", LICENCE, type="HOLDS_LICENCE")
    assert set(mask_graph(g)) == {"1320*********6012", "3205**********3414"}
    w = {
        "entities": ["320505198509233414", LICENCE],
        "types": ["person", "licence"],
        "key": f"{LICENCE}|320505198509233414",
        "evidence": {"links": [{"start": "320505198509233414", "end": LICENCE}]},
    }
    m = mask_data(w)
    assert m["entities"] == ["3205**********3414", "1320*********6012"]
    assert m["key"] == "1320*********6012|3205**********3414"
    assert m["evidence"]["links"][0]["end"] == "1320*********6012"
    assert mask_data({"id": LICENCE}) == {"id": "1320*********6012"}


def test_a_mistyped_id_number_ending_in_x_is_masked_in_free_text():
    """A sheet named '32050519850923341X王科' (the check character wrong) was printed in clear: an 18-character
    run ending in X is no account and no phone, so it was left as it was."""
    from graphkit.model.mask import mask_text

    assert mask_text("sheet '32050519850923341X王科'") == "sheet '3205**********341X王科'"


# -- plates and home addresses (PIPL) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "plate, shown",
    [
        ("苏E·12345", "苏E·***45"),
        ("苏E12345", "苏E·***45"),
        ("苏e 12345", "苏E·***45"),
        ("苏ED12345", "苏E·****45"),  # new energy: 6 characters
        ("苏E·1234学", "苏E·***4学"),
        ("苏E·***45", "苏E·***45"),  # masking twice changes nothing
        ("不详", "不详"),
    ],
)
def test_a_plate_keeps_its_province_its_city_letter_and_its_last_two(plate, shown):
    assert mask(plate, "plate") == shown


@pytest.mark.parametrize(
    "address, shown",
    [
        ("苏州市吴江区松陵街道河翠街115号6幢2214室", "苏州市吴江区****"),
        ("苏州市吴中区甪直镇宝南村4组206号", "苏州市吴中区****"),
        ("苏州市张家港市锦丰镇兴白村9组22号", "苏州市张家港市****"),  # a county-level city is the district
        ("江苏省苏州市姑苏区人民路1号", "江苏省苏州市姑苏区****"),
        ("北京市朝阳区建国路88号", "北京市朝阳区****"),
        ("苏州工业园区星湖街328号", "苏州工业园区****"),
        ("人民路12号", "****"),  # nothing above the street: nothing kept
        ("苏州市姑苏区", "苏州市姑苏区"),  # nothing below the district: nothing to hide
        ("不详", "不详"),
    ],
)
def test_a_home_address_is_cut_after_its_district(address, shown):
    assert mask(address, "address") == shown


def test_plates_and_addresses_in_free_text_only_where_their_form_leaves_no_doubt():
    text = "程敏芳住苏州市吴江区松陵街道河翠街115号6幢2214室，私家车苏E·79560，另有苏E79561"
    out = mask_text(text)
    assert out == "程敏芳住苏州市吴江区****，私家车苏E·***60，另有苏E***61"
    assert "河翠街" not in out and "79560" not in out and "79561" not in out
    # ordinary Chinese text: a unit, a tender title, a document number, a building name, a code
    for plain in (
        "苏州市交通运输局道路改造工程2号标段",
        "苏州市2024年第3号文件",
        "北京A座12345",
        "苏财采2024-017",
        "苏州市姑苏区人民政府",
        "中国石化吴中区人民路加油站",
        "苏E·ABCDE",  # no digit: not read as a plate in free text
    ):
        assert mask_text(plain) == plain, plain


def test_an_official_plate_and_a_registered_address_stay_in_clear_where_the_store_says_they_are_public():
    official, private = "苏E·00016", "苏E·79560"
    firm, home = "苏州市虎丘区合胜路492号10幢1315室", "苏州市吴江区松陵街道河翠街115号6幢2214室"
    text = f"{official} {private} 住所 {firm} 住址 {home}"
    assert mask_text(text) == "苏E·***16 苏E·***60 住所 苏州市虎丘区**** 住址 苏州市吴江区****"
    with known_public([official, firm]):
        assert mask_text(text) == f"{official} 苏E·***60 住所 {firm} 住址 苏州市吴江区****"
        assert mask_key("Vehicle", "苏E00016") == "苏E00016"  # the same plate written without its dot
        assert mask_key("Vehicle", private) == "苏E·***60"
        assert mask_key("Address", firm) == firm and mask_key("Address", home) == "苏州市吴江区****"
        assert mask_data({"entities": [official, private], "types": ["vehicle", "vehicle"]})["entities"] == [
            official,
            "苏E·***60",
        ]
    assert mask_key("Vehicle", official) == "苏E·***16"  # outside the block: masked again


def test_known_public_is_asked_once_and_only_when_a_plate_or_an_address_is_met():
    asked = []

    def source():
        asked.append(1)
        return ["苏E·00016"]

    with known_public(source):
        assert mask_text("张三 13812345678") == "张三 138****5678" and not asked
        assert mask_text("苏E·00016 苏E·00017") == "苏E·00016 苏E·***17"
        assert mask_text("苏E·00016") == "苏E·00016"
    assert asked == [1]


def test_a_masked_graph_hides_a_private_plate_and_a_home_address_in_keys_and_attributes():
    import networkx as nx

    g = nx.MultiDiGraph()
    pid = _id("32050519850923341")
    home = "苏州市吴江区松陵街道河翠街115号6幢2214室"
    g.add_node(pid, label="Person", name="程敏芳")
    g.add_node("苏E·79560", label="Vehicle", kind="private")
    g.add_node("苏E·00016", label="Vehicle", kind="official")
    g.add_node(home, label="Address", full=home)
    g.add_edge("苏E·79560", pid, type="REGISTERED_TO")
    g.add_edge(pid, home, type="HAS_ADDRESS")
    with known_public(["苏E·00016"]):
        h = mask_graph(g)
    assert set(h.nodes) == {mask(pid, "id_number"), "苏E·***60", "苏E·00016", "苏州市吴江区****"}
    assert h.nodes["苏州市吴江区****"]["full"] == "苏州市吴江区****"
    assert "79560" not in repr(nx.node_link_data(h, edges="links")) and "河翠街" not in repr(list(h.nodes(data=True)))


@pytest.mark.parametrize(
    "address, shown",
    [
        # real values of ../shared/data: a donor's street (Latin), a sanctioned person's address (Arabic)
        ("Schillerstraße 19, 76135 Karlsruhe", "****, Karlsruhe"),
        ("شارع 30, كراتشي, باكستان", "****, كراتشي, باكستان"),
        ("بشاك شهير, إسطنبول, تركيا", "****, إسطنبول, تركيا"),
        ("هوزار قوفيت, ولاية هلمند, أفغانستان", "****, ولاية هلمند, أفغانستان"),
        ("ул. Тверская, д. 7, Москва, 125009", "****, Москва"),  # the postcode part holds no place
        ("Petuelring 130", "****"),  # one part with a number: nothing kept
        ("صنعاء - اليمن", "صنعاء - اليمن"),  # a city and its country: nothing below the city to hide
        ("Москва, Россия", "Москва, Россия"),
        ("لبنان", "لبنان"),
    ],
)
def test_an_address_in_any_script_keeps_its_city_and_country(address, shown):
    assert mask(address, "address") == shown
    assert mask(shown, "address") == shown  # masking twice changes nothing


def _ftm(schema, **props):
    import json

    return {
        "label": {"Person": "Person", "Address": "Address"}.get(schema, "Company"),
        "ftm_schema": schema,
        "ftm_properties": json.dumps({k: [v] for k, v in props.items()}, ensure_ascii=False, sort_keys=True),
    }


def test_an_ftm_persons_address_is_masked_by_its_type_and_a_companys_registered_address_is_not():
    import json

    person = _ftm("Person", name="Ali", address="شارع 30, كراتشي, باكستان", birthPlace="Karachi")
    public_body = _ftm("PublicBody", name="Ministry", address="Wilhelmstraße 97, 10117 Berlin")
    company = _ftm("Company", name="Daimler AG", address="Mercedesstraße 137, 70327 Stuttgart")
    legal = _ftm("LegalEntity", name="A. Nobody", address="Hauptstraße 5, 10115 Berlin")  # may be a person
    out = mask_data([person, public_body, company, legal])
    props = [json.loads(x["ftm_properties"]) for x in out]
    assert props[0]["address"] == ["****, كراتشي, باكستان"] and props[0]["birthPlace"] == ["Karachi"]
    assert props[1]["address"] == ["Wilhelmstraße 97, 10117 Berlin"]
    assert props[2]["address"] == ["Mercedesstraße 137, 70327 Stuttgart"]
    assert props[3]["address"] == ["****, Berlin"]
    assert mask_record(person)["ftm_properties"] == out[0]["ftm_properties"]


def test_an_ftm_persons_passport_id_phone_and_mail_are_masked_and_a_companys_codes_and_public_ids_are_not():
    import json

    person = _ftm(
        "Person",
        name="Ali",
        passportNumber="618452",
        idNumber="AB1234567",
        phone="+971501234567",
        email="ali.khan@example.org",
        wikidataId="Q42",
    )
    passport = _ftm("Passport", number="P12345678")
    company = _ftm("Company", name="Daimler AG", taxNumber="99015/12345", phone="+49711170")
    props = [json.loads(x["ftm_properties"]) for x in mask_data([person, passport, company])]
    assert props[0]["passportNumber"] == ["******"] and props[0]["idNumber"] == ["AB*****67"]
    assert props[0]["phone"] == ["+97********67"] and props[0]["email"] == ["a*******@example.org"]
    assert props[0]["wikidataId"] == ["Q42"] and props[0]["name"] == ["Ali"]
    assert props[1]["number"] == ["P1*****78"]
    assert props[2]["taxNumber"] == ["99015/12345"] and props[2]["phone"] == ["+49711170"]


def test_an_address_node_from_ftm_keeps_its_city_unless_the_store_holds_it_public():
    import json

    import networkx as nx

    a = {
        **_ftm(
            "Address",
            full="Schillerstraße 19, 76135 Karlsruhe",
            street="Schillerstraße 19",
            city="76135 Karlsruhe",
            postalCode="76135",
            country="de",
        ),
        "full": "Schillerstraße 19, 76135 Karlsruhe",
        "city": "76135 Karlsruhe",
    }
    g = nx.MultiDiGraph()
    g.add_node("p1", label="Person", name="Frau Lina Dachner")
    g.add_node("a97", **a)
    g.add_edge("p1", "a97", type="HAS_ADDRESS")
    h = mask_graph(g)
    node = h.nodes[mask_key("Address", "a97")]
    props = json.loads(node["ftm_properties"])
    assert node["full"] == "****, Karlsruhe" and node["city"] == "Karlsruhe"  # the postcode written into the city goes
    assert props == {
        "city": ["Karlsruhe"],
        "country": ["de"],
        "full": ["****, Karlsruhe"],
        "postalCode": ["****"],
        "street": ["****"],
    }
    assert "Schillerstraße" not in repr(nx.node_link_data(h, edges="links"))
    assert mask_data({"id": "a97", **a})["full"] == "****, Karlsruhe"  # a command's --json
    with known_public(["a97"]):  # a company's address no person is linked to
        assert mask_graph(g).nodes["a97"]["full"] == a["full"]
        assert mask_data({"id": "a97", **a}) == {"id": "a97", **a}


def test_a_key_longer_than_an_id_number_shows_ten_stars_not_its_length():
    """A person keyed by a 40-character FollowTheMoney id read ``0de4********************************11c6`` in
    every case file: the run told only the key's length and took a third of a table's column."""
    ftm = "0de4a3bb5c2d9e8f7a6b5c4d3e2f1a0b9c8d11c6"
    assert mask_node_key("Person", ftm) == "0de4**********11c6"
    assert mask_node_key("Person", "320505198509233414") == "3205**********3414"  # an ID number as before
    assert mask_node_key("Person", "E12345678") == "E123*5678"  # a passport number as before


# ---------------------------------------------------------------- invoice numbers: a tax document's, not a person's
INVOICE = "23322000000000000008"  # 数电发票: 2023, Jiangsu (32), channel 2, serial


def test_an_invoice_number_is_in_clear_where_its_type_is_known_and_masked_elsewhere(tmp_path):
    """A 20-digit 数电发票 number was masked as a run of digits everywhere (`23****************08`): in `find`,
    `neighbours`, a case file's title and appendix, so the officer could not ask the tax bureau for the invoice
    behind a banquet. It names a tax document, not a person: it is now shown where its type is known (the key of
    an Invoice node, a number the text calls an invoice's) and masked where it is not (a bare run of digits, an
    account), as a licence number is."""
    import json

    import networkx as nx

    from graphkit.exports import CaseInfo, write_case_file
    from graphkit.model.types import is_invoice_no

    assert is_invoice_no(INVOICE) and not is_invoice_no("23990200000000000108")  # 99: no province
    assert mask_node_key("Invoice", INVOICE) == INVOICE
    assert mask_node_key("Invoice", "23990200000000000108") != "23990200000000000108"
    for named in (f"invoice {INVOICE}", f"发票号码 {INVOICE}", f"Invoice {INVOICE} — billed to"):
        assert INVOICE in mask_text(named), named
    for bare in (INVOICE, f"账户 {INVOICE}", "invoice 23990200000000000108"):
        assert mask_text(bare) == bare.replace(bare[-20:], bare[-20:][:2] + "*" * 16 + bare[-2:]), bare
    assert mask_data([{"label": "Invoice", "id": INVOICE, "note": f"see {INVOICE}"}]) == [
        {"label": "Invoice", "id": INVOICE, "note": f"see {INVOICE}"}
    ]
    pid = _id("32050519850923341")
    g = nx.MultiDiGraph()
    g.add_node(INVOICE, label="Invoice", amount=335.41)
    g.add_node(pid, label="Person", name="张伟")
    g.add_edge(INVOICE, pid, type="BILLED_TO", src_file="invoices.csv", src_row=9)
    assert set(mask_graph(g)) == {INVOICE, mask_key("Person", pid)}
    info = CaseInfo(case="T1", by="t", subject=f"{INVOICE} ({INVOICE}): 1-hop", seeds=(INVOICE,))
    write_case_file(g, tmp_path / "c.json", info)
    text = (tmp_path / "c.json").read_text(encoding="utf-8")
    assert INVOICE in json.loads(text)["graph"]["seeds"] and pid not in text


def test_a_companys_all_digit_credit_code_that_passes_luhn_is_in_clear_where_its_type_is_known(tmp_path, cli):
    """An all-digit 统一社会信用代码 that also passes Luhn is masked in free text as a possible 18-digit bank card;
    it was masked so on the company's own node too (`find`, `neighbours`, case files: `9132**********2162`), though
    it is public registration data and the node says what it is. A Company's or a unit's key of valid form and
    check character is now in clear wherever the node gives its type; the bare run stays masked."""
    code = "913205835289242162"
    assert passes_luhn(code) and credit_code_check(code[:17]) == code[-1]
    assert mask_text(code) == "9132**********2162"  # untyped: could be a card
    assert mask_node_key("Company", code) == code and mask_node_key("Organization", code) == code
    assert mask_data({"label": "Company", "id": code, "note": code}) == {"label": "Company", "id": code, "note": code}
    assert mask_data({"label": "Company", "name": "某公司"}) == {"label": "Company", "name": "某公司"}  # no id
    from graphkit.stores.embedded import EmbeddedStore

    with EmbeddedStore(tmp_path / "g.db") as s:
        s.create_schema()
        import pyarrow as pa

        s.upsert_nodes(
            "Company",
            pa.Table.from_pylist(
                [{"id": code, "name": "江苏宏恒新材料有限公司", "src_file": "companies.csv", "src_row": 2}],
                schema=s.model.arrow_schema("Company"),
            ),
        )
    r = cli("find", code, "--store", f"embedded:{tmp_path / 'g.db'}")
    assert r.exit_code == 0 and code in r.output, r.output


def test_a_units_fuel_card_number_is_masked_as_its_node_as_in_data_that_types_it_and_in_text():
    """A 公务加油卡 is held by a unit, but its number is a card number, which no face prints in clear: the demo page
    printed five. It is masked on its own node, in data that types it and in free text alike (1000***********3189),
    so a reader matches the node to the warning; the officer unmasks it with a reason to ask the oil company."""
    card, masked = "1000113200540683189", "1000***********3189"
    assert mask_node_key("FuelCard", card) == masked == mask(card, "card")
    assert mask_data([{"label": "FuelCard", "id": card}]) == [{"label": "FuelCard", "id": masked}]
    # a warning names it by its entity type (``card``), as `warnings show` gives it
    assert mask_data({"entities": [card], "types": ["card"]}) == {"entities": [masked], "types": ["card"]}
    assert mask_text(f"卡号 {card}") == f"卡号 {masked}"
    assert mask_node_key("FuelCard", "1000-1132") == "1000*1132"  # not of the form: masked all the same


def test_a_warnings_chinese_summary_is_masked_exactly_as_its_english_one():
    """Every face shows a warning's Chinese summary first (``warning_summary``, ``lang="zh"``): the ID number,
    phone, bank account, private plate, home address, fuel card and licence it names are masked as in the English
    summary (the card and the licence had stayed in clear as public numbers)."""
    from graphkit.model.mask import warning_summary

    idn, phone, account = "320505198509233414", "13812345678", "6222021234567890128"
    card, licence = "1000113200540683189", "13205200812877771"
    home = "苏州市姑苏区平江街道谊建巷17号36幢1439室"
    w = {
        "summary": f"唐帆彬 ({idn}, {phone}, account {account}) of 苏E·12345 at {home}: card {card}, licence {licence}",
        "summary_zh": f"唐帆彬（{idn}，电话{phone}，账户{account}）名下车辆苏E·12345，住{home}；加油卡{card}；"
        f"执业证号 {licence}",
        "entities": [idn, card, licence],
        "types": ["person", "card", "licence"],
    }
    zh, en = warning_summary(w), warning_summary(w, lang="en")
    shown = ("3205**********3414", "138****5678", "6222***********0128", "苏E·***45", "苏州市姑苏区****")
    for masked in (*shown, "1000***********3189", "1320*********7771"):
        assert masked in zh and masked in en, masked
    for secret in (idn, phone, account, "苏E·12345", "谊建巷17号", card, licence):
        assert secret not in zh and secret not in en, secret
    assert warning_summary(w, unmask=True) == w["summary_zh"]
    # a warning of a ledger written before Chinese summaries: the English one, masked
    assert warning_summary({**w, "summary_zh": None}) == en


def test_a_bad_plates_reason_says_the_form_in_words_not_by_an_example_masking_would_hide():
    """The reason read ``plate '1931X' is not a Chinese plate such as 苏E·***45`` in the quarantine and on the
    console: the example was masked with the rest of the reason, as a private plate is."""
    from graphkit.model.types import normalize_plate

    with pytest.raises(ValueError) as e:
        normalize_plate("1931X")
    assert mask_text(str(e.value)) == str(e.value), mask_text(str(e.value))
