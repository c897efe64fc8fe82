"""A tiny hand-drawn city covering every source kind, with exact expected answers.

- 张伟 (P1) is an official (局长) of 城建局 (U1); his spouse 李娜 (P2) holds 60% of
  某某建设有限公司 (C1), which won tender T1 issued by U1: one planted conflict of interest.
- C1, C2, C3 share a director (P5) and an address (A_SHARED).
- a hub: 30 residents (P_HUB_*) share the address of a dormitory.
- 孤立 (P6) is an isolated person: household row only.
- 王强 (P3) is a judge at 姑苏区人民法院 (U3); his sister 赵敏 (P4) is a lawyer licensed in 姑苏区.
- 刘洋 (P7) is in custody at 苏州监狱 (U5) and still draws a pension.
"""

from __future__ import annotations

import csv
from pathlib import Path

from graphkit.model.types import credit_code_check, id_number_check


def pid(first17: str) -> str:
    return first17 + id_number_check(first17)


def ccode(first17: str) -> str:
    return first17 + credit_code_check(first17)


P1, P2, P3, P4 = pid("32050819750312001"), pid("32050819780415002"), pid("32050819700101003"), pid("32050819720202004")
P5, P6, P7, P8 = pid("32050819650505005"), pid("32050819900606006"), pid("32050819550707007"), pid("32050819680808008")
HUB = [pid(f"320508199501{(i % 28) + 1:02d}1{i:02d}") for i in range(30)]
U0, U1, U3 = ccode("11320500MB0000000"), ccode("11320500MB0000001"), ccode("11320508MB0000003")
U4, U5 = ccode("54320508MC0000004"), ccode("11320500MB0000005")
C1, C2, C3 = ccode("91320500MA0000001"), ccode("91320500MA0000002"), ccode("91320500MA0000003")
C4, C5 = ccode("31320000MD0000004"), ccode("91320500MA0000005")
A_SHARED = "苏州市工业园区星湖街328号"
A_DORM = "苏州市姑苏区宿舍路1号"

TABLES: dict[str, list[dict]] = {
    "household": [
        {
            "公民身份号码": P1,
            "姓名": "张伟",
            "性别": "男",
            "出生日期": "1975-03-12",
            "住址": "苏州市姑苏区人民路1号",
            "联系电话": "13800000001",
        },
        {
            "公民身份号码": P2,
            "姓名": "李 娜",
            "性别": "女",
            "出生日期": "1978-04-15",
            "住址": "苏州市姑苏区人民路1号",
            "联系电话": "+86 138-0000-0002",
        },
        {"公民身份号码": P3, "姓名": "王强", "性别": "男", "出生日期": "1970-01-01", "住址": "", "联系电话": ""},
        {"公民身份号码": P4, "姓名": "赵敏", "性别": "女", "出生日期": "1972-02-02", "住址": "", "联系电话": ""},
        {"公民身份号码": P5, "姓名": "陈刚", "性别": "男", "出生日期": "1965-05-05", "住址": A_SHARED, "联系电话": ""},
        {"公民身份号码": P6, "姓名": "孤立", "性别": "女", "出生日期": "1990-06-06", "住址": "", "联系电话": ""},
        {"公民身份号码": P7, "姓名": "刘洋", "性别": "男", "出生日期": "1955-07-07", "住址": "", "联系电话": ""},
        {
            "公民身份号码": P8,
            "姓名": "孙丽",
            "性别": "女",
            "出生日期": "1968-08-08",
            "住址": "",
            "联系电话": "13800000008",
        },
    ]
    + [
        {
            "公民身份号码": h,
            "姓名": f"住户{i}",
            "性别": "男" if i % 2 else "女",  # the number's sex digit (its 17th) is i's last: odd 男
            "出生日期": f"1995-01-{(i % 28) + 1:02d}",
            "住址": A_DORM,
            "联系电话": "",
        }
        for i, h in enumerate(HUB)
    ],
    "units": [
        {"unit_id": U0, "name": "苏州市人民政府", "kind": "government", "parent_unit_id": "", "jurisdiction": "苏州市"},
        {"unit_id": U1, "name": "苏州市城建局", "kind": "government", "parent_unit_id": U0, "jurisdiction": "苏州市"},
        {
            "unit_id": U3,
            "name": "苏州市姑苏区人民法院",
            "kind": "court",
            "parent_unit_id": "",
            "jurisdiction": "姑苏区",
        },
        {
            "unit_id": U4,
            "name": "姑苏区新村村民委员会",
            "kind": "village",
            "parent_unit_id": "",
            "jurisdiction": "姑苏区",
        },
        {"unit_id": U5, "name": "苏州监狱", "kind": "prison", "parent_unit_id": "", "jurisdiction": "苏州市"},
    ],
    "family": [
        {"id_number": P1, "relative_id_number": P2, "relationship": "spouse"},
        {"id_number": P3, "relative_id_number": P4, "relationship": "sibling"},
    ],
    "roster": [
        {
            "id_number": P1,
            "name": "张伟",
            "unit_id": U1,
            "post": "局长",
            "rank": "正处",
            "role": "official",
            "start_date": "2016-01-01",
            "end_date": "",
        },
        {
            "id_number": P3,
            "name": "王强",
            "unit_id": U3,
            "post": "审判员",
            "rank": "四级高级法官",
            "role": "judge",
            "start_date": "2010-01-01",
            "end_date": "",
        },
        {
            "id_number": P8,
            "name": "孙丽",
            "unit_id": U4,
            "post": "村委会主任",
            "rank": "",
            "role": "village_cadre",
            "start_date": "2018-01-01",
            "end_date": "",
        },
    ],
    "companies": [
        {
            "credit_code": C1,
            "name": "某某建设有限公司",
            "status": "存续",
            "registered_date": "2018-05-05",
            "registered_capital": "500",
            "address": A_SHARED,
            "phone": "0512-65000001",
            "legal_rep_id": P2,
        },
        {
            "credit_code": C2,
            "name": "苏州甲乙工程有限公司",
            "status": "存续",
            "registered_date": "2019-01-01",
            "registered_capital": "300",
            "address": A_SHARED,
            "phone": "0512-65000002",
            "legal_rep_id": P5,
        },
        {
            "credit_code": C3,
            "name": "苏州丙丁建材有限公司",
            "status": "存续",
            "registered_date": "2019-02-01",
            "registered_capital": "200",
            "address": A_SHARED,
            "phone": "",
            "legal_rep_id": "",
        },
        {
            "credit_code": C4,
            "name": "江苏明理律师事务所",
            "status": "存续",
            "registered_date": "2005-01-01",
            "registered_capital": "",
            "address": "",
            "phone": "",
            "legal_rep_id": "",
        },
        {
            "credit_code": C5,
            "name": "苏州味道餐饮有限公司",
            "status": "存续",
            "registered_date": "2012-01-01",
            "registered_capital": "50",
            "address": "",
            "phone": "",
            "legal_rep_id": "",
        },
    ],
    "shareholders": [
        {"credit_code": C1, "holder_type": "person", "holder_id": P2, "percent": "60"},
        {"credit_code": C1, "holder_type": "company", "holder_id": C2, "percent": "40"},
    ],
    "executives": [{"credit_code": c, "id_number": P5, "title": "董事"} for c in (C1, C2, C3)],
    "social_insurance": [{"id_number": P5, "employer_id": C2, "start_date": "2019-01-01", "end_date": ""}],
    "licences": [
        {
            "licence_no": "13205200010001",
            "id_number": P4,
            "kind": "lawyer",
            "firm_credit_code": C4,
            "region": "姑苏区",
            "issued_date": "2008-01-01",
            "expiry_date": "2028-01-01",
        }
    ],
    "vehicles": [
        {
            "plate": "苏E·A0001",
            "kind": "official",
            "owner_type": "organization",
            "owner_id": U1,
            "tank_capacity": "60",
            "brand": "大众帕萨特",
        },
        {
            "plate": "苏E·12345",
            "kind": "private",
            "owner_type": "person",
            "owner_id": P1,
            "tank_capacity": "50",
            "brand": "丰田凯美瑞",
        },
    ],
    "fuel_cards": [{"card_no": "1000113200000001", "unit_id": U1, "plate": "苏E·A0001", "status": "正常"}],
    "fuel_transactions": [
        {
            "txn_id": "F1",
            "card_no": "1000113200000001",
            "time": "2024-03-04 09:10:00",
            "station": "中石化人民路站",
            "city": "苏州",
            "litres": "40",
            "amount": "300",
            "goods": "fuel",
            "plate": "苏E·A0001",
        },
        {
            "txn_id": "F2",
            "card_no": "1000113200000001",
            "time": "2024-10-01 10:00:00",
            "station": "中石化园区站",
            "city": "苏州",
            "litres": "45",
            "amount": "340",
            "goods": "fuel",
            "plate": "苏E·12345",
        },
    ],
    "parking_whitelist": [
        {
            "lot_id": "L1",
            "lot_name": "观前街公共停车场",
            "public": "1",
            "plate": "苏E·12345",
            "start_date": "2024-01-01",
            "end_date": "2024-12-31",
            "approved_by": "停车办",
        }
    ],
    "parking_records": [
        {
            "record_id": "R1",
            "lot_id": "L1",
            "plate": "苏E·12345",
            "entry_time": "2024-05-01 09:00:00",
            "exit_time": "2024-05-01 18:00:00",
            "fee": "0",
            "exempt": "1",
        }
    ],
    "gps_stops": [
        {
            "stop_id": "G1",
            "plate": "苏E·A0001",
            "place_id": "PL1",
            "place_name": "太湖度假酒店",
            "category": "hotel",
            "city": "苏州",
            "time": "2024-10-02 12:00:00",
            "duration_min": "180",
        }
    ],
    "tenders": [
        {
            "tender_id": "T1",
            "title": "人民路改造工程",
            "unit_id": U1,
            "method": "open",
            "budget": "1000000",
            "publish_date": "2024-01-01",
            "close_date": "2024-01-25",
            "category": "工程",
        }
    ],
    "bids": [
        {
            "bid_id": "B1",
            "tender_id": "T1",
            "credit_code": C1,
            "price": "980000",
            "rank": "1",
            "is_winner": "1",
            "submit_time": "2024-01-24 10:00:00",
            "ip": "10.0.0.8",
            "mac": "AA-BB-CC-00-00-01",
            "doc_hash": "h1",
            "doc_author": "admin",
            "bond_account": "6222000000000001",
            "agent_id": "",
        },
        {
            "bid_id": "B2",
            "tender_id": "T1",
            "credit_code": C2,
            "price": "990000",
            "rank": "2",
            "is_winner": "0",
            "submit_time": "2024-01-24 10:05:00",
            "ip": "10.0.0.8",
            "mac": "AA-BB-CC-00-00-01",
            "doc_hash": "h2",
            "doc_author": "admin",
            "bond_account": "6222000000000001",
            "agent_id": P5,
        },
    ],
    "contracts": [
        {
            "contract_id": "K1",
            "unit_id": U1,
            "credit_code": C1,
            "tender_id": "T1",
            "title": "人民路改造工程施工合同",
            "amount": "980000",
            "signed_date": "2024-02-01",
            "method": "open",
        }
    ],
    "payments": [
        {
            "payment_id": "PAY1",
            "payer_type": "organization",
            "payer_id": U1,
            "payee_type": "company",
            "payee_id": C1,
            "payer_account": "3200100000000001",
            "payee_account": "6222000000000001",
            "amount": "490000",
            "date": "2024-03-01",
            "purpose": "工程进度款",
        }
    ],
    "custody": [{"id_number": P7, "facility_id": U5, "start_date": "2023-01-01", "end_date": "2026-01-01"}],
    "benefits": [
        {
            "benefit_id": "BEN1",
            "id_number": P7,
            "kind": "pension",
            "period": "2024-03",
            "amount": "3200",
            "paying_unit_id": U0,
            "approver_id": "",
        }
    ],
    "hotline": [
        {
            "ticket_id": "H1",
            "caller_phone": "13800000008",
            "community_id": U4,
            "handling_unit_id": U4,
            "created_at": "2024-04-01 08:00:00",
            "category": "环境卫生",
            "status": "resolved",
        }
    ],
    "village_labour": [
        {
            "payment_id": "LAB1",
            "worker_id": P8,
            "village_id": U4,
            "work_start": "2024-04-01",
            "work_end": "2024-04-10",
            "days": "10",
            "amount": "2000",
            "approver_id": P8,
        }
    ],
    "invoices": [
        {
            "invoice_no": "INV1",
            "seller_credit_code": C5,
            "buyer_unit_id": U1,
            "date": "2024-05-01",
            "amount": "3600",
            "category": "餐饮",
        }
    ],
    "receptions": [
        {
            "reception_id": "REC1",
            "unit_id": U1,
            "date": "2024-05-01",
            "amount": "3600",
            "guests": "8",
            "letter_no": "",
            "invoice_no": "INV1",
            "approver_id": P1,
        }
    ],
}


def write_city(folder: Path, tables: dict[str, list[dict]] | None = None) -> Path:
    """Write the fixture tables as CSV files into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (tables or TABLES).items():
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    return folder
