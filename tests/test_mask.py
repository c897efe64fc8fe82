"""graphkit.model.mask: the one masking function every face uses."""

import pytest

from graphkit.model import Model
from graphkit.model.mask import mask, mask_key, mask_record, mask_text
from graphkit.model.types import id_number_check


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
    assert {n for n, lab in model.labels.items() if lab.personal} == {"Person", "Phone", "BankAccount"}
    pid = _id("11010519491231002")
    assert mask_key("Person", pid) == pid[:4] + "**********" + pid[-4:]
    assert mask_key("Company", "91320505MA1XXXXX1Y") == "91320505MA1XXXXX1Y"
    assert mask_key("Vehicle", "苏E·12345") == "苏E·12345"


def test_free_text():
    pid = _id("32050519850923341")
    text = f"唐帆彬 ({pid}) 电话 +86 138-1234-5678 账户 6222021234567891234 企业 91320505MA1XXXXX1Y 苏E·12345"
    out = mask_text(text)
    assert pid not in out and "13812345678" not in out.replace("-", "").replace(" ", "")
    assert "6222021234567891234" not in out
    assert "唐帆彬" in out and "91320505MA1XXXXX1Y" in out and "苏E·12345" in out
    # a 15-digit first-generation ID number
    assert "320505850923341" not in mask_text("旧号 320505850923341")
    # digits inside a longer code are left alone
    assert mask_text("苏财采2024-017") == "苏财采2024-017"


def test_record():
    pid = _id("32050519850923341")
    assert mask_record({"who": pid, "n": 3}) == {"who": mask(pid, "id_number"), "n": 3}


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
