"""Conflict-of-interest, procurement, collusion, reception and hotline models on a hand-drawn fixture graph.

Twelve models (relative wins tender at one and two family ties and as an executive, ex-official joins the
winner, judge's relative lawyer, direct-award share, split contracts, short bid window, single-bid tender,
bid rigging, banquet without letter, hotline manipulation) run on the embedded store against a small graph
built here node by node.  Every scenario is drawn as a hit and, beside it, the look-alikes that must not be
one (the decoys of the synthetic city, and the edge cases of each rule).  Per model:

* the Cypher returns exactly the hand-written hits with their levels, and none of the named non-hits;
* an independent plain-Python reading of the same rule over ``store.subgraph(all ids)`` (a networkx
  MultiDiGraph) returns the same keys and levels, with the defaults and with changed parameters;
* every hit row is well formed: parallel entity/type lists in truth.json's vocabulary, the header's match
  entity present, sources ``file:row`` of records drawn here, a summary that names the people.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from itertools import count

import networkx as nx
import pandas as pd
import pytest
from model_drawing import Drawing, d, nodes_of, whole_graph

from graphkit import rules as models
from graphkit.stores.base import QUERY_DIR

MODELS = [
    "relative_wins_tender_1hop",
    "relative_wins_tender_2hop",
    "relative_wins_tender_executive",
    "ex_official_joins_winner",
    "judge_relative_lawyer",
    "direct_award_share",
    "split_contracts",
    "short_bid_window",
    "single_bid_tender",
    "bid_rigging",
    "banquet_no_letter",
    "hotline_manipulation",
]
VOCABULARY = {
    "person",
    "company",
    "unit",
    "tender",
    "contract",
    "card",
    "txn",
    "vehicle",
    "licence",
    "lot",
    "phone",
    "ticket",
    "benefit",
    "labour",
    "reception",
    "invoice",
}
INVERSE = {"parent": "child", "child": "parent"}


# ------------------------------------------------------------------------------------------------ the fixture
U1, U2, U3, U4 = "U1", "U2", "U3", "U4"  # 城建局, 水务局, 教育局, 接待办
CT0, CT1 = "CT0", "CT1"  # city court (320500), 姑苏区 court (320508)
UA, UB, UC = "UA", "UB", "UC"  # units judged on their direct-award share
CM1, CM2, CM3, CM4 = "CM1", "CM2", "CM3", "CM4"  # communities (hotline)


def draw() -> Drawing:
    g = Drawing()
    for uid, name, kind, juris in (
        (U1, "苏州市城建局", "government", "320500"),
        (U2, "苏州市水务局", "government", "320500"),
        (U3, "苏州市教育局", "government", "320500"),
        (U4, "苏州市机关事务管理局", "government", "320500"),
        (CT0, "苏州市中级人民法院", "court", "320500"),
        (CT1, "苏州市姑苏区人民法院", "court", "320508"),
        (UA, "苏州市园林局", "government", "320500"),
        (UB, "苏州市体育局", "government", "320500"),
        (UC, "苏州市档案馆", "agency", "320500"),
        (CM1, "金新社区居民委员会", "community", "320508"),
        (CM2, "阳湖社区居民委员会", "community", "320508"),
        (CM3, "溪林社区居民委员会", "community", "320508"),
        (CM4, "枫先社区居民委员会", "community", "320508"),
    ):
        g.node("Organization", uid, "units.csv", name=name, kind=kind, jurisdiction=juris)

    def person(pid, name):
        return g.node("Person", pid, "household.csv", name=name)

    def company(cid, name, status="存续"):
        return g.node("Company", cid, "companies.csv", name=name, status=status)

    def post(p, u, role, start, end=None, title="局长"):
        g.edge(
            "EMPLOYED_BY",
            p,
            u,
            "roster.csv",
            post=title,
            role=role,
            start_date=d(start),
            end_date=d(end) if end else None,
        )

    def tie(a, b, rel):  # rel: what b is to a
        g.edge("FAMILY", a, b, "family.csv", relationship=rel)

    def rep(p, c):
        g.edge("LEGAL_REP_OF", p, c, "companies.csv")

    def holds(p, c, pct):
        g.edge("SHAREHOLDER_OF", p, c, "shareholders.csv", percent=float(pct))

    def executive(p, c, title):
        g.edge("EXECUTIVE_OF", p, c, "executives.csv", title=title)

    n_bid, n_fill, n_con = count(1), count(1), count(1)

    def tender(tid, unit, publish, *, method="open", days=30, budget=3_000_000.0, title=None):
        g.node(
            "Tender",
            tid,
            "tenders.csv",
            title=title or f"{tid} 采购项目",
            method=method,
            budget=budget,
            publish_date=d(publish),
            close_date=d(publish) + dt.timedelta(days=days),
            category="工程",
        )
        g.edge("ISSUED_BY", tid, unit, "tenders.csv")
        return tid

    def bid(tid, comp, price, *, winner=False, ip=None, mac=None, author=None, doc_hash=None, bond=None, agent=None):
        bid_id = f"TB{next(n_bid):04d}"
        g.node(
            "Bid",
            bid_id,
            "bids.csv",
            price=float(price),
            is_winner=winner,
            ip=ip or f"10.1.{bid_id[-3:]}",
            mac=mac or f"mac-{bid_id}",
            doc_hash=doc_hash or f"hash-{bid_id}",
            doc_author=author or f"作者{bid_id}",
        )
        g.edge("BID_FOR", bid_id, tid, "bids.csv")
        g.edge("SUBMITTED_BY", bid_id, comp, "bids.csv")
        if bond:
            g.edge("BOND_PAID_FROM", bid_id, bond, "bids.csv")
        if agent:
            g.edge("BID_AGENT", bid_id, agent, "bids.csv")
        if winner:
            g.edge("WON", comp, tid, "bids.csv", price=float(price))
        return bid_id

    def award(tid, unit, comp, *, contract=True, loser=True):
        """``comp`` wins ``tid`` against a one-off competitor, and signs the contract."""
        bid(tid, comp, 1_000_000, winner=True)
        if loser:
            other = company(f"F{next(n_fill):03d}", f"苏州陪标{tid}有限公司")
            bid(tid, other, 1_200_000)
        if contract:
            contract_(unit, comp, 1_000_000, "2024-12-01", method="open", tid=tid)

    def contract_(unit, comp, amount, signed, *, method="direct", tid=None, cid=None):
        cid = cid or f"HT{next(n_con):04d}"
        g.node(
            "Contract",
            cid,
            "contracts.csv",
            title=f"{cid} 合同",
            amount=float(amount),
            signed_date=d(signed),
            method=method,
        )
        g.edge("CONTRACTED_BY", cid, unit, "contracts.csv")
        g.edge("AWARDED_TO", cid, comp, "contracts.csv")
        if tid:
            g.edge("UNDER_TENDER", cid, tid, "contracts.csv")
        return cid

    # ---- conflict of interest ---------------------------------------------------------------------------------
    for pid, name in (
        ("O1", "张伟"),
        ("R1", "李娜"),
        ("R2", "张小伟"),
        ("R4", "张芳"),
        ("S1", "张丽"),
        ("R5", "李强"),
        ("R6", "赵刚"),
        ("O2", "钱明"),
        ("R7", "孙红"),
        ("O3", "王五"),
        ("R3", "周敏"),
        ("Z1", "张三"),
    ):
        person(pid, name)
    post("O1", U1, "official", "2016-01-01")
    post("O2", U2, "staff", "2019-01-01", title="科员")
    post("O3", U1, "official", "2010-01-01", "2022-12-31", title="副局长")
    tie("O1", "R1", "spouse")  # R1 is O1's wife
    tie("R2", "O1", "parent")  # O1 is R2's parent: R2 is O1's child
    tie("R1", "R2", "child")  # and R1's child, so R2 is also two ties away (must stay 1-hop only)
    tie("O1", "S1", "sibling")
    tie("R4", "O1", "sibling")
    tie("R1", "R5", "sibling")  # R5: O1's wife's brother (two ties)
    tie("R6", "S1", "spouse")  # R6: O1's sister's husband (two ties)
    tie("O2", "R7", "spouse")
    tie("O3", "R3", "spouse")
    for cid, name in (
        ("C1", "某某建设有限公司"),
        ("C2", "苏州小伟科技有限公司"),
        ("C3", "苏州张三工程有限公司"),
        ("C4", "苏州周敏装饰有限公司"),
        ("C5", "苏州芳华贸易有限公司"),
        ("C6", "苏州李娜咨询有限公司"),
        ("C7", "苏州李强路桥有限公司"),
        ("C8", "苏州赵刚园林有限公司"),
        ("C9", "苏州孙红物业有限公司"),
        ("C16", "苏州孙红科技有限公司"),
    ):
        company(cid, name)
    rep("R1", "C1"), holds("R1", "C1", 60), executive("R1", "C1", "执行董事兼总经理")
    holds("R2", "C2", 30), executive("R2", "C2", "董事")  # a shareholder who is also a director
    rep("Z1", "C3")  # same surname as 张伟, no family tie
    rep("R3", "C4")
    executive("R4", "C5", "副总经理")
    holds("R1", "C6", 100)
    rep("R5", "C7"), holds("R5", "C7", 100)
    executive("R6", "C8", "监事")
    executive("R7", "C9", "监事")
    rep("R7", "C16"), executive("R7", "C16", "执行董事")  # legal representative and director, no shares
    tender("T1", U1, "2023-05-04"), award("T1", U1, "C1")
    bid("T1", "C6", 1_300_000)  # R1's other company bid in T1 and lost
    tender("T2", U1, "2023-06-01"), award("T2", U1, "C2")
    tender("T3", U2, "2023-06-05"), award("T3", U2, "C1")  # R1's company at another unit
    tender("T4", U1, "2023-06-10"), award("T4", U1, "C3")
    tender("T5", U1, "2023-03-01"), award("T5", U1, "C4")  # O3 had left U1 before T5
    tender("T6", U1, "2023-07-01"), award("T6", U1, "C5")
    tender("T7", U1, "2023-07-15"), award("T7", U1, "C7")
    tender("T8", U1, "2023-08-01"), award("T8", U1, "C8")
    tender("T9", U2, "2023-08-15"), award("T9", U2, "C9")
    tender("T17", U2, "2023-09-01"), award("T17", U2, "C7")  # R5's company at another unit
    tender("T18", U2, "2023-09-15"), award("T18", U2, "C16")

    # ---- ex-officials -----------------------------------------------------------------------------------------
    for pid, name in (("X1", "陈前"), ("X2", "何离"), ("X3", "吕回"), ("X4", "施旧"), ("X5", "孔久")):
        person(pid, name)
    for cid, name in (
        ("C10", "苏州前程建设有限公司"),
        ("C11", "苏州离岸科技有限公司"),
        ("C12", "苏州回归工程有限公司"),
        ("C13", "苏州旧识贸易有限公司"),
        ("C14", "苏州久远水利有限公司"),
    ):
        company(cid, name)
    post("X1", U1, "official", "2012-01-01", "2022-06-30", title="处长")
    holds("X1", "C10", 40)
    tender("T10", U1, "2023-09-01"), award("T10", U1, "C10")  # 428 days after leaving: red
    tender("T12", U2, "2023-10-01"), award("T12", U2, "C10")  # another unit
    tender("T13", U1, "2022-01-10"), award("T13", U1, "C10")  # before X1 left
    post("X2", U2, "official", "2015-01-01", "2021-01-31", title="科长")
    g.edge("EMPLOYED_BY", "X2", "C11", "social_insurance.csv", role="employee", start_date=d("2021-06-01"))
    tender("T11", U2, "2024-03-01"), award("T11", U2, "C11")  # insured employee: orange
    post("X3", U1, "official", "2010-01-01", "2019-12-31", title="科长")
    post("X3", U1, "official", "2020-01-01", title="处长")  # back in post at U1
    executive("X3", "C12", "董事")
    tender("T14", U1, "2023-04-01"), award("T14", U1, "C12")
    post("X4", U1, "staff", "2012-01-01", "2020-01-01", title="科员")
    g.edge(
        "EMPLOYED_BY",
        "X4",
        "C13",
        "social_insurance.csv",
        role="employee",
        start_date=d("2015-01-01"),
        end_date=d("2018-12-31"),
    )  # insured there only while in post
    tender("T15", U1, "2021-05-01"), award("T15", U1, "C13")
    post("X5", U2, "official", "2005-01-01", "2015-01-01", title="处长")
    executive("X5", "C14", "总经理")
    tender("T16", U2, "2023-02-01"), award("T16", U2, "C14")  # eight years after leaving

    # ---- judges -----------------------------------------------------------------------------------------------
    for pid, name in (
        ("J1", "王强"),
        ("J2", "刘法"),
        ("J3", "邓退"),
        ("J4", "冯员"),
        ("L1", "赵敏"),
        ("L2", "刘律"),
        ("L3", "王辩"),
        ("L4", "王小强"),
        ("L5", "邓妻"),
        ("L6", "马亲"),
        ("L7", "刘外"),
        ("L8", "冯妻"),
    ):
        person(pid, name)
    company("F1", "江苏明理律师事务所")
    post("J1", CT1, "judge", "2010-01-01", title="审判员")
    post("J2", CT0, "judge", "2012-01-01", title="副庭长")
    post("J3", CT1, "judge", "2000-01-01", "2022-01-01", title="审判员")
    post("J4", CT1, "staff", "2015-01-01", title="书记员")
    n_lic = count(1)

    def licence(p, kind, region, firm=None):
        lic = g.node(
            "Licence",
            f"1320{next(n_lic):010d}",
            "licences.csv",
            kind=kind,
            region=region,
            issued_date=d("2010-01-01"),
            expiry_date=d("2028-01-01"),
        )
        g.edge("HOLDS_LICENCE", p, lic, "licences.csv")
        if firm:
            g.edge("LICENCE_AT", lic, firm, "licences.csv")
        return lic

    tie("J1", "L1", "spouse")
    LIC1 = licence("L1", "lawyer", "320508", "F1")  # red
    tie("L2", "J2", "sibling")
    LIC2 = licence("L2", "legal_agent", "320505")  # city court covers the districts: orange
    tie("J1", "L3", "sibling")
    LIC3 = licence("L3", "lawyer", "320506")  # another district
    tie("L4", "J1", "parent")
    LIC4 = licence("L4", "bid_agent", "320508")  # not a licence to plead
    tie("J3", "L5", "spouse")
    LIC5 = licence("L5", "lawyer", "320508")  # the judge has left
    tie("J1", "L6", "in_law")
    LIC6 = licence("L6", "lawyer", "320508")  # an in-law: not a close relative by default
    tie("J2", "L7", "spouse")
    LIC7 = licence("L7", "lawyer", "320102")  # another city
    tie("J4", "L8", "spouse")
    LIC8 = licence("L8", "lawyer", "320508")  # a clerk, not a judge
    g.licences = dict(LIC1=LIC1, LIC2=LIC2, LIC3=LIC3, LIC4=LIC4, LIC5=LIC5, LIC6=LIC6, LIC7=LIC7, LIC8=LIC8)

    # ---- direct-award share -------------------------------------------------------------------------------------
    company("C15", "苏州直供商贸有限公司")
    for i in range(16):  # UA: 14 of 16 direct (87.5%)
        contract_(UA, "C15", 200_000, "2023-02-01", method="direct" if i < 14 else "open")
    for i in range(20):  # UB: 10 of 20 direct
        contract_(UB, "C15", 200_000, "2023-02-01", method="direct" if i < 10 else "open")
    for _ in range(5):  # UC: all 5 direct, too few to judge
        contract_(UC, "C15", 200_000, "2023-02-01")

    # ---- split contracts ----------------------------------------------------------------------------------------
    for cid, name in (
        ("C20", "苏州拆分工程有限公司"),
        ("C21", "苏州间隔工程有限公司"),
        ("C22", "苏州低额工程有限公司"),
        ("C23", "苏州公开工程有限公司"),
        ("C24", "苏州四连工程有限公司"),
    ):
        company(cid, name)
    for i, (amount, day) in enumerate(
        ((950_000, "2023-03-01"), (960_000, "2023-03-15"), (990_000, "2023-03-29"), (970_000, "2023-05-20"))
    ):
        contract_(U1, "C20", amount, day, cid=f"HTS20{i}")  # three within 28 days, a fourth later
    for i, (amount, day) in enumerate(((950_000, "2023-01-01"), (955_000, "2023-02-15"), (960_000, "2023-04-01"))):
        contract_(U1, "C21", amount, day, cid=f"HTS21{i}")  # 45 days apart
    for i, (amount, day) in enumerate(((920_000, "2023-07-01"), (930_000, "2023-07-10"), (850_000, "2023-07-20"))):
        contract_(U2, "C22", amount, day, cid=f"HTS22{i}")  # one of three is not just under
    for i, day in enumerate(("2023-08-01", "2023-08-05", "2023-08-10")):
        contract_(U2, "C23", 950_000, day, method="open", cid=f"HTS23{i}")  # tendered
    for i, (amount, day) in enumerate(
        ((910_000, "2023-09-01"), (920_000, "2023-09-08"), (930_000, "2023-09-14"), (940_000, "2023-09-20"))
    ):
        contract_(U2, "C24", amount, day, cid=f"HTS24{i}")  # four within 19 days: red

    # ---- short windows and single bids (issued by U3) ----------------------------------------------------------
    tender("T20", U3, "2023-06-01", days=5)  # red
    tender("T21", U3, "2023-06-01", days=14)  # orange
    tender("T22", U3, "2023-06-01", days=20)  # exactly the minimum
    tender("T23", U3, "2023-06-01", days=6, method="invited")  # the minimum is for open tenders
    for cid, name in (
        ("C40", "苏州独标一有限公司"),
        ("C41", "苏州独标二有限公司"),
        ("C42", "苏州流标有限公司"),
        ("C43", "苏州邀请有限公司"),
        ("C44", "苏州三家甲有限公司"),
        ("C45", "苏州三家乙有限公司"),
        ("C46", "苏州三家丙有限公司"),
    ):
        company(cid, name)
    tender("T30", U3, "2023-07-01", budget=2_000_000), award("T30", U3, "C40", loser=False)  # red
    tender("T31", U3, "2023-07-02", budget=500_000), award("T31", U3, "C41", loser=False)  # orange
    tender("T32", U3, "2023-07-03"), bid("T32", "C42", 900_000)  # failed (流标)
    tender("T33", U3, "2023-07-04", method="invited"), award("T33", U3, "C43", loser=False)
    tender("T34", U3, "2023-07-05"), award("T34", U3, "C44"), bid("T34", "C45", 1_100_000), bid("T34", "C46", 1_150_000)

    # ---- bid rigging (tenders issued by U3, no contracts needed) ----------------------------------------------
    for cid, name in (
        ("C30", "苏州围标甲有限公司"),
        ("C31", "苏州围标乙有限公司"),
        ("C32", "苏州围标丙有限公司"),
        ("C33", "苏州园区甲有限公司"),
        ("C34", "苏州园区乙有限公司"),
        ("C35", "苏州常客甲有限公司"),
        ("C36", "苏州常客乙有限公司"),
        ("C37", "苏州独赢甲有限公司"),
        ("C38", "苏州独赢乙有限公司"),
        ("C39", "苏州三次甲有限公司"),
        ("C3A", "苏州三次乙有限公司"),
        ("C3X", "苏州局外有限公司"),
    ):
        company(cid, name)
    g.node("Phone", "0512-65000001", "companies.csv")
    for c in ("C30", "C31", "C32"):
        g.edge("HAS_PHONE", c, "0512-65000001", "companies.csv")
    g.node("Address", "苏州工业园区星湖街328号", "companies.csv", full="苏州工业园区星湖街328号", city="苏州市")
    for c in ("C33", "C34"):
        g.edge("HAS_ADDRESS", c, "苏州工业园区星湖街328号", "companies.csv")
    person("B1", "卢老板")
    rep("B1", "C37"), rep("B1", "C38")
    g.node("BankAccount", "6222000011112222", "bids.csv", bank="工商银行")
    ring = ["C30", "C31", "C32"]
    for j in range(4):  # winners rotate, covers 1-2% above, one IP
        t = tender(f"T4{j}", U3, f"2023-0{j + 2}-01")
        win = ring[j % 3]
        for k, c in enumerate([win] + [x for x in ring if x != win]):
            bid(t, c, 1_000_000 * (1 + 0.01 * k), winner=c == win, ip="10.9.9.9")
        if j == 0:
            bid(t, "C3X", 1_100_000)  # an outsider bidding high
    for j in range(4):  # a business park: shared address, normal price spread
        t = tender(f"T5{j}", U3, f"2023-0{j + 2}-10")
        bid(t, "C33", 1_000_000, winner=j % 2 == 0)
        bid(t, "C34", 1_000_000 * (1.10 if j % 2 == 0 else 0.90), winner=j % 2 == 1)
    for j in range(4):  # frequent co-bidders, close prices, nothing shared
        t = tender(f"T6{j}", U3, f"2023-0{j + 2}-15")
        bid(t, "C35", 1_000_000, winner=j % 2 == 0)
        bid(t, "C36", 1_000_000 * (1.015 if j % 2 == 0 else 0.985), winner=j % 2 == 1)
    for j in range(4):  # one legal representative, but the same winner every time
        t = tender(f"T7{j}", U3, f"2023-0{j + 2}-20")
        bid(t, "C37", 1_000_000, winner=True)
        bid(t, "C38", 1_010_000)
    for j in range(3):  # one bond account, rotating, but only three tenders
        t = tender(f"T8{j}", U3, f"2023-0{j + 2}-25")
        bid(t, "C39", 1_000_000, winner=j % 2 == 0, bond="6222000011112222")
        bid(t, "C3A", 1_000_000 * (1.02 if j % 2 == 0 else 0.98), winner=j % 2 == 1, bond="6222000011112222")

    # ---- receptions ---------------------------------------------------------------------------------------------
    company("C50", "苏州味道餐饮有限公司")
    person("A1", "黄审批")
    n_inv = count(1)

    def reception(rid, amount, guests, letter, approver="A1"):
        g.node(
            "ReceptionExpense",
            rid,
            "receptions.csv",
            date=d("2023-10-10"),
            amount=float(amount),
            guests=guests,
            letter_no=letter,
        )
        g.edge("CLAIMED_BY", rid, U4, "receptions.csv")
        inv = g.node(
            "Invoice",
            f"0441{next(n_inv):04d}",
            "invoices.csv",
            date=d("2023-10-10"),
            amount=float(amount),
            category="餐饮",
        )
        g.edge("SUPPORTED_BY", rid, inv, "receptions.csv")
        g.edge("SOLD_BY", inv, "C50", "invoices.csv")
        g.edge("BILLED_TO", inv, U4, "invoices.csv")
        if approver:
            g.edge("APPROVED_BY", rid, approver, "receptions.csv")

    reception("RX1", 2400, 6, None)  # no letter, 400 per guest: red
    reception("RX2", 1300, 10, None, approver=None)  # no letter, 130 per guest: orange
    reception("RX3", 1500, 5, "苏建函〔2023〕12号")  # 300 per guest: yellow
    reception("RX4", 2800, 20, "苏水函〔2023〕3号")  # 140 per guest
    reception("RX5", 5000, None, "苏教函〔2023〕7号")  # guests not recorded: cannot be judged over standard

    # ---- hotline ------------------------------------------------------------------------------------------------
    n_t = count(1)

    def tickets(community, phone, statuses):
        if phone not in g.label:
            g.node("Phone", phone, "hotline.csv")
        for s in statuses:
            tid = g.node(
                "HotlineTicket",
                f"GD{next(n_t):05d}",
                "hotline.csv",
                created_at=dt.datetime(2023, 5, 1, 9, 30),
                category="噪音扰民",
                status=s,
            )
            g.edge("FILED_FROM", tid, phone, "hotline.csv")
            g.edge("CONCERNS", tid, community, "hotline.csv")

    n_ph = count(1)

    def one_offs(community, n):
        for _ in range(n):
            tickets(community, f"1390000{next(n_ph):04d}", ["resolved"])

    tickets(CM1, "17600000001", ["resolved"] * 5)  # 9 of 39 tickets (23%): red
    tickets(CM1, "17600000002", ["resolved"] * 4)
    one_offs(CM1, 30)
    tickets(
        CM2,
        "17600000003",
        ["resolved", "open", "unresolved", "resolved", "resolved", "resolved", "resolved", "resolved"],
    )  # a genuine frequent caller
    tickets(CM2, "17600000004", ["resolved"] * 4)  # a single number
    one_offs(CM2, 20)
    tickets(CM3, "17600000005", ["resolved"] * 4)  # two numbers, 8 of 100 tickets (8%)
    tickets(CM3, "17600000006", ["resolved"] * 4)
    one_offs(CM3, 92)
    tickets(CM4, "17600000007", ["resolved"] * 5)  # one of the two left a ticket open
    tickets(CM4, "17600000008", ["resolved"] * 3 + ["open"])
    one_offs(CM4, 10)
    return g


DRAWING = draw()
LIC = DRAWING.licences

#: hand-written answers: key → level
EXPECTED = {
    "relative_wins_tender_1hop": {"T1|O1|R1": "red", "T2|O1|R2": "orange", "T18|O2|R7": "red"},
    "relative_wins_tender_2hop": {"T7|O1|R5": "orange", "T8|O1|R6": "yellow"},
    "relative_wins_tender_executive": {"T6|O1|R4": "orange", "T9|O2|R7": "yellow"},
    "ex_official_joins_winner": {"T10|X1": "red", "T11|X2": "orange"},
    "judge_relative_lawyer": {f"{LIC['LIC1']}|J1": "red", f"{LIC['LIC2']}|J2": "orange"},
    "direct_award_share": {UA: "orange"},
    "split_contracts": {"U1|C20|HTS200": "orange", "U2|C24|HTS240": "red"},
    "short_bid_window": {"T20": "red", "T21": "orange"},
    "single_bid_tender": {"T30": "red", "T31": "orange"},
    "bid_rigging": {"C30": "red"},
    "banquet_no_letter": {"RX1": "red", "RX2": "orange", "RX3": "yellow"},
    "hotline_manipulation": {CM1: "red"},
}
#: look-alikes that must not be hits (entity ids that must appear in no hit of the model)
NON_HITS = {
    "relative_wins_tender_1hop": ["T3", "T4", "T5", "T6", "T7", "T17", "C6", "Z1", "O3"],
    "relative_wins_tender_2hop": ["T1", "T2", "T17", "R2"],
    "relative_wins_tender_executive": ["T1", "T2", "T8", "T18", "R1", "R2"],
    "ex_official_joins_winner": ["T12", "T13", "T14", "T15", "T16", "X3", "X4", "X5"],
    "judge_relative_lawyer": [LIC[k] for k in ("LIC3", "LIC4", "LIC5", "LIC6", "LIC7", "LIC8")],
    "direct_award_share": [UB, UC, U1, U2],
    "split_contracts": ["C21", "C22", "C23", "HTS203"],
    "short_bid_window": ["T22", "T23", "T1"],
    "single_bid_tender": ["T32", "T33", "T34"],
    "bid_rigging": ["C33", "C34", "C35", "C36", "C37", "C38", "C39", "C3A", "C3X"],
    "banquet_no_letter": ["RX4", "RX5"],
    "hotline_manipulation": [CM2, CM3, CM4],
}
#: changed parameters and their hand-written answers
WITH_PARAMS = [
    ("relative_wins_tender_1hop", {"relationships": ["spouse"]}, {"T1|O1|R1": "red", "T18|O2|R7": "red"}),
    (
        "relative_wins_tender_1hop",
        {"major_share": 20, "roster_roles": ["official"]},
        {"T1|O1|R1": "red", "T2|O1|R2": "red"},
    ),
    (
        "relative_wins_tender_2hop",
        {"relationships": ["spouse", "sibling"]},
        {"T7|O1|R5": "orange", "T8|O1|R6": "yellow"},
    ),
    ("relative_wins_tender_2hop", {"relationships": ["sibling"]}, {}),
    ("relative_wins_tender_executive", {"roster_roles": ["official"], "senior_titles": []}, {"T6|O1|R4": "yellow"}),
    (
        "ex_official_joins_winner",
        {"window_days": 4000, "strict_days": 1200},
        {"T10|X1": "red", "T11|X2": "orange", "T16|X5": "orange"},
    ),
    (
        "judge_relative_lawyer",
        {"relationships": ["spouse", "sibling", "in_law"]},
        {f"{LIC['LIC1']}|J1": "red", f"{LIC['LIC2']}|J2": "orange", f"{LIC['LIC6']}|J1": "orange"},
    ),
    (
        "judge_relative_lawyer",
        {"judge_roles": ["judge", "staff"], "licence_kinds": ["lawyer", "bid_agent"]},
        {f"{LIC['LIC1']}|J1": "red", f"{LIC['LIC4']}|J1": "red", f"{LIC['LIC8']}|J4": "red"},
    ),
    ("direct_award_share", {"min_contracts": 5}, {UA: "orange", UC: "red"}),
    ("direct_award_share", {"min_share": 0.5, "orange_share": 0.9}, {UA: "yellow", UB: "yellow"}),
    (
        "split_contracts",
        {"window_days": 90},
        {"U1|C20|HTS200": "red", "U1|C21|HTS210": "orange", "U2|C24|HTS240": "red"},
    ),
    ("split_contracts", {"band": 0.2, "min_count": 4}, {"U2|C24|HTS240": "red"}),
    ("split_contracts", {"band": 0.2}, {"U1|C20|HTS200": "orange", "U2|C22|HTS220": "orange", "U2|C24|HTS240": "red"}),
    (
        "short_bid_window",
        {"methods": ["open", "invited"], "min_days": 15},
        {"T20": "red", "T21": "orange", "T23": "red"},
    ),
    (
        "single_bid_tender",
        {"methods": ["open", "invited"], "big_budget": 100_000_000},
        {"T30": "orange", "T31": "orange", "T33": "orange"},
    ),
    ("bid_rigging", {"min_signals": 0}, {"C30": "red", "C35": "orange"}),
    ("bid_rigging", {"min_winners": 1}, {"C30": "red", "C37": "orange"}),
    ("bid_rigging", {"min_tenders": 3}, {"C30": "red", "C39": "orange"}),
    ("bid_rigging", {"cover_margin": 0.25}, {"C30": "red", "C33": "orange"}),
    ("banquet_no_letter", {"max_per_guest": 135}, {"RX1": "red", "RX2": "orange", "RX3": "yellow", "RX4": "yellow"}),
    ("hotline_manipulation", {"min_share": 0.05}, {CM1: "red", CM3: "orange"}),
    ("hotline_manipulation", {"min_phones": 1, "red_share": 0.5}, {CM1: "orange", CM2: "orange", CM4: "orange"}),
]


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory):
    store = DRAWING.store(tmp_path_factory.mktemp("procurement") / "g.db")
    yield store
    store.close()


@pytest.fixture(scope="module")
def graph(fixture_store) -> nx.MultiDiGraph:
    return whole_graph(fixture_store)


# ------------------------------------------------------------------ an independent reading of each rule
def _out(g, n, rtype, label=None):
    return [
        (b, a)
        for _, b, a in g.out_edges(n, data=True)
        if a["type"] == rtype and (label is None or g.nodes[b]["label"] == label)
    ]


def _in(g, n, rtype, label=None):
    return [
        (b, a)
        for b, _, a in g.in_edges(n, data=True)
        if a["type"] == rtype and (label is None or g.nodes[b]["label"] == label)
    ]


def _family(g, p) -> dict[str, set[str]]:
    """relative → what the relative is to ``p`` (a tie stored either way round)."""
    out: dict[str, set[str]] = defaultdict(set)
    for r, a in _out(g, p, "FAMILY"):
        out[r].add(a["relationship"])
    for r, a in _in(g, p, "FAMILY"):
        out[r].add(INVERSE.get(a["relationship"], a["relationship"]))
    out.pop(p, None)
    return out


def _won(g):
    """(tender, attributes, issuing unit, winning company) for every WON link."""
    for t, a in nodes_of(g, "Tender"):
        units = _out(g, t, "ISSUED_BY")
        for c, _ in _in(g, t, "WON"):
            for u, _ in units:
                yield t, a, u, c


def _in_post(g, u, day, roles):
    """People on ``u``'s roster in one of ``roles`` whose post had not ended by ``day``."""
    return {
        o
        for o, e in _in(g, u, "EMPLOYED_BY", "Person")
        if e.get("role") in roles and (e.get("end_date") is None or e["end_date"] >= day)
    }


def _role(g, r, c):
    rep = bool([1 for x, _ in _out(g, r, "LEGAL_REP_OF") if x == c])
    pct = [a.get("percent") or 0.0 for x, a in _out(g, r, "SHAREHOLDER_OF") if x == c]
    titles = [a.get("title") for x, a in _out(g, r, "EXECUTIVE_OF") if x == c]
    return rep, pct, titles


def ref_relative_1hop(g, relationships, roster_roles, major_share):
    hits = {}
    for t, a, u, c in _won(g):
        for o in _in_post(g, u, a["publish_date"], roster_roles):
            for r, rels in _family(g, o).items():
                rep, pct, _ = _role(g, r, c)
                if rels & set(relationships) and (rep or pct):
                    hits[f"{t}|{o}|{r}"] = "red" if rep or sum(pct) >= major_share else "orange"
    return hits


def ref_relative_2hop(g, relationships, roster_roles, major_share):
    hits = {}
    for t, a, u, c in _won(g):
        for o in _in_post(g, u, a["publish_date"], roster_roles):
            near = _family(g, o)
            for x, rels1 in near.items():
                for r, rels2 in _family(g, x).items():
                    if r == o or r in near or not (rels1 & set(relationships) and rels2 & set(relationships)):
                        continue
                    rep, pct, titles = _role(g, r, c)
                    if rep or pct or titles:
                        hits[f"{t}|{o}|{r}"] = "orange" if rep or sum(pct) >= major_share else "yellow"
    return hits


def ref_relative_exec(g, relationships, roster_roles, senior_titles):
    hits = {}
    for t, a, u, c in _won(g):
        for o in _in_post(g, u, a["publish_date"], roster_roles):
            for r, rels in _family(g, o).items():
                rep, pct, titles = _role(g, r, c)
                if titles and not rep and not pct and rels & set(relationships):
                    hits[f"{t}|{o}|{r}"] = "orange" if set(titles) & set(senior_titles) else "yellow"
    return hits


def ref_ex_official(g, window_days, strict_days):
    hits = {}
    for t, a, u, c in _won(g):
        pub = a["publish_date"]
        for p, e in _in(g, u, "EMPLOYED_BY", "Person"):
            left = e.get("end_date")
            if left is None or not left < pub <= left + dt.timedelta(days=window_days):
                continue
            back = any(
                x.get("start_date") <= pub and (x.get("end_date") is None or x["end_date"] >= pub)
                for q, x in _in(g, u, "EMPLOYED_BY", "Person")
                if q == p
            )
            rep, pct, titles = _role(g, p, c)
            insured = any(
                x == c and (j.get("end_date") is None or j["end_date"] >= left)
                for x, j in _out(g, p, "EMPLOYED_BY", "Company")
            )
            if back or not (rep or pct or titles or insured):
                continue
            soon = pub <= left + dt.timedelta(days=strict_days)
            hits[f"{t}|{p}"] = "red" if soon and (rep or pct or titles) else "orange"
    return hits


def ref_judge(g, relationships, licence_kinds, judge_roles, red_relationships):
    hits = {}
    for ct, ua in nodes_of(g, "Organization"):
        if ua.get("kind") != "court":
            continue
        juris = ua["jurisdiction"]
        for j, e in _in(g, ct, "EMPLOYED_BY", "Person"):
            if e.get("role") not in judge_roles or e.get("end_date") is not None:
                continue
            for r, rels in _family(g, j).items():
                rels = rels & set(relationships)
                for lic, _ in _out(g, r, "HOLDS_LICENCE"):
                    la = g.nodes[lic]
                    region = la["region"]
                    covered = region == juris or (juris.endswith("00") and region[:4] == juris[:4])
                    if rels and la["kind"] in licence_kinds and covered:
                        hits[f"{lic}|{j}"] = "red" if rels & set(red_relationships) else "orange"
    return hits


def ref_direct_share(g, min_contracts, min_share, direct_methods, red_share, orange_share):
    hits = {}
    for u, _ in nodes_of(g, "Organization"):
        ks = [g.nodes[k] for k, _ in _in(g, u, "CONTRACTED_BY")]
        share = sum(k.get("method") in direct_methods for k in ks) / len(ks) if ks else 0
        if len(ks) >= min_contracts and share >= min_share:
            hits[u] = "red" if share >= red_share else "orange" if share >= orange_share else "yellow"
    return hits


def ref_split(g, threshold, band, window_days, min_count, direct_methods):
    groups = defaultdict(list)
    for k, a in nodes_of(g, "Contract"):
        if a.get("method") in direct_methods and threshold * (1 - band) <= a["amount"] < threshold:
            for u, _ in _out(g, k, "CONTRACTED_BY"):
                for c, _ in _out(g, k, "AWARDED_TO"):
                    groups[(u, c)].append((a["signed_date"], k))
    hits = {}
    for (u, c), ks in groups.items():
        inside = set()
        for day, _ in ks:
            window = {k for d2, k in ks if day <= d2 <= day + dt.timedelta(days=window_days)}
            if len(window) >= min_count:
                inside |= window
        if inside:
            hits[f"{u}|{c}|{min(inside)}"] = "red" if len(inside) >= 4 else "orange"
    return hits


def ref_short_window(g, min_days, red_days, methods):
    hits = {}
    for t, a in nodes_of(g, "Tender"):
        days = (a["close_date"] - a["publish_date"]).days
        if a["method"] in methods and days < min_days and _out(g, t, "ISSUED_BY"):
            hits[t] = "red" if days < red_days else "orange"
    return hits


def ref_single_bid(g, methods, big_budget):
    return {
        t: "red" if a["budget"] >= big_budget else "orange"
        for t, a in nodes_of(g, "Tender")
        if a["method"] in methods and len(_in(g, t, "BID_FOR")) == 1 and _in(g, t, "WON") and _out(g, t, "ISSUED_BY")
    }


def ref_bid_rigging(g, min_tenders, cover_margin, min_close_share, min_signals, min_winners):
    by_tender = defaultdict(list)  # tender → [(company, bid attributes, bid id)]
    for b, a in nodes_of(g, "Bid"):
        for t, _ in _out(g, b, "BID_FOR"):
            for c, _ in _out(g, b, "SUBMITTED_BY"):
                by_tender[t].append((c, a, b))
    pairs = defaultdict(list)
    for t, bids in by_tender.items():
        for ca, ba, ida in bids:
            for cb, bb, idb in bids:
                if ca != cb and ida != idb:  # two BID_FOR links, as Neo4j binds them (one bid, one link per tender)
                    pairs[(ca, cb)].append((t, ba, bb, ida, idb))

    def shared(a, b, rtype):
        return bool({x for x, _ in _out(g, a, rtype)} & {x for x, _ in _out(g, b, rtype)})

    def owners(c):
        return {p for rt in ("LEGAL_REP_OF", "SHAREHOLDER_OF") for p, _ in _in(g, c, rt, "Person")}

    def same_tender(rows, rtype):
        return any(
            {x for x, _ in _out(g, ida, rtype)} & {x for x, _ in _out(g, idb, rtype)} for _, _, _, ida, idb in rows
        )

    partners = defaultdict(dict)  # a → {b: signal count}
    for (a, b), rows in pairs.items():
        n = len(rows)
        close = sum(
            abs(x["price"] - y["price"]) <= cover_margin * min(x["price"], y["price"]) for _, x, y, _, _ in rows
        )
        if n < min_tenders or close < min_close_share * n:
            continue
        bid_doc = any(x[f] == y[f] for _, x, y, _, _ in rows for f in ("ip", "mac", "doc_author", "doc_hash"))
        signals = sum(
            [
                shared(a, b, "HAS_PHONE"),
                shared(a, b, "HAS_ADDRESS"),
                bool(owners(a) & owners(b)),
                bid_doc,
                same_tender(rows, "BOND_PAID_FROM"),
                same_tender(rows, "BID_AGENT"),
            ]
        )
        if signals >= min_signals:
            partners[a][b] = signals
    hits = {}
    for a, ps in partners.items():
        if a >= min(ps):
            continue
        group = {a} | set(ps)
        tenders = {t for b in ps for t, *_ in pairs[(a, b)]}
        winners = {c for t in tenders for c, _ in _in(g, t, "WON") if c in group}
        if len(winners) >= min_winners:
            hits[a] = "red" if max(ps.values()) >= 2 else "orange"
    return hits


def ref_banquet(g, max_per_guest):
    hits = {}
    for x, a in nodes_of(g, "ReceptionExpense"):
        no_letter = not (a.get("letter_no") or "").strip()
        over = bool(a.get("guests")) and a["amount"] / a["guests"] > max_per_guest
        if (no_letter or over) and _out(g, x, "CLAIMED_BY"):
            hits[x] = "red" if no_letter and over else "orange" if no_letter else "yellow"
    return hits


def ref_hotline(g, min_tickets, statuses, min_phones, min_share, red_share):
    hits = {}
    for u, _ in nodes_of(g, "Organization"):
        by_phone = defaultdict(list)
        ticks = [t for t, _ in _in(g, u, "CONCERNS")]
        for t in ticks:
            for ph, _ in _out(g, t, "FILED_FROM"):
                by_phone[ph].append(g.nodes[t]["status"])
        flagged = [len(s) for s in by_phone.values() if len(s) >= min_tickets and all(x in statuses for x in s)]
        if len(flagged) >= min_phones and sum(flagged) / len(ticks) >= min_share:
            hits[u] = "red" if sum(flagged) / len(ticks) >= red_share else "orange"
    return hits


REFERENCE = {
    "relative_wins_tender_1hop": ref_relative_1hop,
    "relative_wins_tender_2hop": ref_relative_2hop,
    "relative_wins_tender_executive": ref_relative_exec,
    "ex_official_joins_winner": ref_ex_official,
    "judge_relative_lawyer": ref_judge,
    "direct_award_share": ref_direct_share,
    "split_contracts": ref_split,
    "short_bid_window": ref_short_window,
    "single_bid_tender": ref_single_bid,
    "bid_rigging": ref_bid_rigging,
    "banquet_no_letter": ref_banquet,
    "hotline_manipulation": ref_hotline,
}


def edge_src(rtype: str, a: str, b: str) -> str:
    """``file:row`` of the drawn relationship a -[rtype]-> b."""
    e = next(e for e in DRAWING.edges[(rtype, DRAWING.label[a], DRAWING.label[b])] if (e["from"], e["to"]) == (a, b))
    return f"{e['src_file']}:{e['src_row']}"


def node_src(id_: str) -> str:
    n = next(n for n in DRAWING.nodes[DRAWING.label[id_]] if n["id"] == id_)
    return f"{n['src_file']}:{n['src_row']}"


def run(store, model_id, params=None) -> pd.DataFrame:
    return models.run(store, model_id, params)


def levels(hits: pd.DataFrame) -> dict[str, str]:
    assert hits["key"].is_unique
    return dict(zip(hits["key"], hits["level"], strict=True))


def reference(model_id, g, params=None) -> dict[str, str]:
    return REFERENCE[model_id](g, **{**models.get(model_id).defaults(), **(params or {})})


# ------------------------------------------------------------------------------------------------ the tests
@pytest.mark.parametrize("model_id", MODELS)
def test_hand_written_hits_and_non_hits(fixture_store, model_id):
    hits = run(fixture_store, model_id)
    assert levels(hits) == EXPECTED[model_id]
    named = {e for ents in hits["entities"] for e in ents}
    assert named & set(NON_HITS[model_id]) == set(), "a look-alike was flagged"


@pytest.mark.parametrize("model_id", MODELS)
def test_cypher_agrees_with_an_independent_reading(fixture_store, graph, model_id):
    assert levels(run(fixture_store, model_id)) == reference(model_id, graph)


@pytest.mark.parametrize("model_id,params,expected", WITH_PARAMS, ids=[f"{m}-{'-'.join(p)}" for m, p, _ in WITH_PARAMS])
def test_parameters_change_the_answer_as_the_rule_says(fixture_store, graph, model_id, params, expected):
    got = levels(run(fixture_store, model_id, params))
    assert got == expected
    assert reference(model_id, graph, params) == expected


@pytest.mark.parametrize("model_id", MODELS)
def test_hit_rows_are_well_formed(fixture_store, model_id):
    spec = models.get(model_id)
    hits = run(fixture_store, model_id)
    drawn = DRAWING.sources()
    assert len(hits) == len(EXPECTED[model_id])
    for _, h in hits.iterrows():
        assert len(h["entities"]) == len(h["types"]) and set(h["types"]) <= VOCABULARY
        assert all(e in DRAWING.label for e in h["entities"]), h["entities"]
        assert spec.match in h["types"]
        assert h["sources"] and all(re.fullmatch(r"[a-z_]+\.csv:\d+", s) for s in h["sources"]), h["sources"]
        assert set(h["sources"]) <= drawn
        assert h["summary"] and "None" not in h["summary"] and not re.search(r"\d\.\d{6}", h["summary"])
        zh = h["summary_zh"]  # the Chinese summary every face shows first: as whole, and Chinese
        assert zh and "None" not in zh and not re.search(r"\d\.\d{6}", zh) and re.search(r"[\u4e00-\u9fff]{4}", zh)
        assert not re.search(r"\b(?:of|and|by|won|tender|shareholder)\b", re.sub(r"（[^）]*）", "", zh)), zh


def test_entities_name_everyone_behind_a_conflict_of_interest(fixture_store):
    """The entity list of a conflict-of-interest hit is the chain an investigator follows, with its contract."""
    hits = run(fixture_store, "relative_wins_tender_2hop").set_index("key")
    assert list(hits.loc["T7|O1|R5", "entities"]) == ["O1", "R1", "R5", "C7", "U1", "T7", "HT0007"]
    assert list(hits.loc["T7|O1|R5", "types"]) == [
        "person",
        "person",
        "person",
        "company",
        "unit",
        "tender",
        "contract",
    ]
    one = run(fixture_store, "relative_wins_tender_1hop").set_index("key")
    assert sorted(one.loc["T1|O1|R1", "sources"]) == sorted(
        [
            edge_src("EMPLOYED_BY", "O1", U1),
            edge_src("FAMILY", "O1", "R1"),
            edge_src("LEGAL_REP_OF", "R1", "C1"),
            edge_src("SHAREHOLDER_OF", "R1", "C1"),
            edge_src("WON", "C1", "T1"),
            node_src("T1"),
            node_src("HT0001"),
        ]
    )


def test_summaries_say_who_what_and_where(fixture_store):
    one = run(fixture_store, "relative_wins_tender_1hop").set_index("key")["summary"]
    assert one["T1|O1|R1"].startswith(
        "张伟 (局长, 苏州市城建局) — spouse 李娜 — legal representative and 60% "
        "shareholder of 某某建设有限公司 — won tender T1"
    )
    assert "— child 张小伟 — 30% shareholder of 苏州小伟科技有限公司" in one["T2|O1|R2"]
    two = run(fixture_store, "relative_wins_tender_2hop").set_index("key")["summary"]
    assert "— spouse 李娜, whose sibling 李强 — legal representative and 100% shareholder of" in two["T7|O1|R5"]
    assert "— sibling 张丽, whose spouse 赵刚 — 监事 of" in two["T8|O1|R6"]
    ex = run(fixture_store, "ex_official_joins_winner").set_index("key")["summary"]
    assert ex["T10|X1"].startswith(
        "陈前 left 处长 at 苏州市城建局 on 2022-06-30; now 40% shareholder of 苏州前程建设有限公司"
    )
    assert "now insured employee of 苏州离岸科技有限公司" in ex["T11|X2"]
    judge = run(fixture_store, "judge_relative_lawyer").set_index("key")["summary"]
    assert judge[f"{LIC['LIC1']}|J1"].endswith(
        f"spouse 赵敏 holds lawyer licence {LIC['LIC1']} for region 320508 at 江苏明理律师事务所"
    )
    split = run(fixture_store, "split_contracts").set_index("key")["summary"]
    assert split["U1|C20|HTS200"] == (
        "苏州市城建局 awarded 3 direct contracts to 苏州拆分工程有限公司 between 2023-03-01 "
        "and 2023-03-29, each just under ¥1,000,000, together ¥2,900,000"
    )
    rig = run(fixture_store, "bid_rigging").set_index("key")["summary"]
    assert rig["C30"] == (
        "苏州围标甲有限公司 and 2 other companies bid together in 4 tenders with prices within 3.5% "
        "of each other, 3 of them winning in turn; shared phone, bid-document author/IP/MAC/hash"
    )
    banquet = run(fixture_store, "banquet_no_letter").set_index("key")["summary"]
    assert banquet["RX1"] == (
        "苏州市机关事务管理局 reception RX1 on 2023-10-10: ¥2,400 for 6 guests (¥400 per guest), "
        "no official letter, over the ¥150 standard; invoiced by 苏州味道餐饮有限公司; "
        "approved by 黄审批"
    )
    hotline = run(fixture_store, "hotline_manipulation").set_index("key")["summary"]
    assert (
        hotline[CM1]
        == "2 numbers filed 9 of the 39 hotline tickets about 金新社区居民委员会 (23.08%), every ticket closed"
    )


def test_chinese_summaries_say_who_what_and_where(fixture_store):
    """Each hit's summary as an investigator writes it (every face shows it first; the English stays beside it)."""

    def zh(model_id):
        return run(fixture_store, model_id).set_index("key")["summary_zh"]

    assert zh("relative_wins_tender_1hop")["T1|O1|R1"] == (
        "苏州市城建局局长张伟的配偶李娜系某某建设有限公司法定代表人兼股东（持股60%），"
        "该公司中标该单位发布的招标项目T1（T1 采购项目）"
    )
    assert "局长张伟的子女张小伟系苏州小伟科技有限公司股东（持股30%）" in zh("relative_wins_tender_1hop")["T2|O1|R2"]
    two = zh("relative_wins_tender_2hop")
    assert "张伟的配偶李娜的兄弟姐妹李强系苏州李强路桥有限公司法定代表人兼股东（持股100%）" in two["T7|O1|R5"]
    assert "张伟的兄弟姐妹张丽的配偶赵刚系苏州赵刚园林有限公司监事，" in two["T8|O1|R6"]
    executive = zh("relative_wins_tender_executive")["T6|O1|R4"]
    assert "的兄弟姐妹张芳任苏州芳华贸易有限公司副总经理（非法定代表人、非股东）" in executive
    ex = zh("ex_official_joins_winner")
    assert ex["T10|X1"].startswith("陈前于2022-06-30离任苏州市城建局处长，现为苏州前程建设有限公司股东（持股40%）；")
    assert "现为苏州离岸科技有限公司参保职工；" in ex["T11|X2"]
    assert zh("judge_relative_lawyer")[f"{LIC['LIC1']}|J1"].endswith(
        f"的配偶赵敏持有律师执业证，执业证号 {LIC['LIC1']}，执业地区320508，执业机构江苏明理律师事务所"
    )
    assert zh("split_contracts")["U1|C20|HTS200"] == (
        "苏州市城建局于2023-03-01至2023-03-29间向苏州拆分工程有限公司直接发包合同3份，"
        "每份均略低于100.0 万元，合计290.0 万元"
    )
    assert zh("bid_rigging")["C30"] == (
        "苏州围标甲有限公司等3家公司在4个标段中共同投标，报价相差不超过3.5%，其中3家轮流中标；"
        "共用电话、投标文件制作人/IP/MAC/文件哈希"
    )
    assert zh("banquet_no_letter")["RX1"] == (
        "苏州市机关事务管理局2023-10-10公务接待RX1，花费2,400 元，接待6人（人均400 元），无公函，"
        "超过人均150 元的接待标准；开票方苏州味道餐饮有限公司；审批人黄审批"
    )
    assert zh("hotline_manipulation")[CM1] == (
        "2个号码拨打了涉及金新社区居民委员会的39件12345热线工单中的9件（占23.08%），且均已办结"
    )
    assert zh("single_bid_tender")["T30"] == (
        "苏州市教育局公开招标项目T30（T30 采购项目）仅苏州独标一有限公司一家投标，仍授予其中标"
    )
    assert "2023-06-06即截止投标，等标期不足20天" in zh("short_bid_window")["T20"]
    assert zh("direct_award_share")["UA"] == (
        "苏州市园林局签订合同16份，其中直接发包14份，数量占87.5%，金额占87.5%（合同总额320.0 万元）"
    )


def test_split_hit_lists_only_the_contracts_inside_a_window(fixture_store):
    hits = run(fixture_store, "split_contracts").set_index("key")
    contracts = [
        e
        for e, t in zip(hits.loc["U1|C20|HTS200", "entities"], hits.loc["U1|C20|HTS200", "types"], strict=True)
        if t == "contract"
    ]
    assert sorted(contracts) == ["HTS200", "HTS201", "HTS202"]


def test_bid_rigging_hit_is_the_ring_and_its_tenders(fixture_store):
    hit = run(fixture_store, "bid_rigging").set_index("key").loc["C30"]
    pairs = sorted(zip(hit["types"], hit["entities"], strict=True))
    assert pairs == [
        ("company", "C30"),
        ("company", "C31"),
        ("company", "C32"),
        ("tender", "T40"),
        ("tender", "T41"),
        ("tender", "T42"),
        ("tender", "T43"),
    ]
    assert len(hit["sources"]) == 12  # the ring's twelve bids, not the outsider's


def test_models_run_on_an_empty_store(store):
    for model_id in MODELS:
        hits = models.run(store, model_id)
        assert hits.empty and list(hits.columns) == ["model", *models.HIT_COLUMNS]


@pytest.mark.parametrize("model_id", ["direct_award_share", "hotline_manipulation"])
def test_a_warnings_evidence_holds_the_links_it_counts(fixture_store, model_id):
    """A direct-award or hotline warning named only its unit (and the phones): its evidence had no link, so a
    warning opened in the workbench drew one node beside '签订合同15份，其中直接发包15份'. It names the direct
    contracts, or the flagged numbers' tickets, so the evidence holds each counted link with its source row."""
    from graphkit.rules.ledger import evidence_links

    hits = run(fixture_store, model_id)
    links = evidence_links(fixture_store, hits)
    assert len(hits) >= 1
    for pos, (entities, types) in enumerate(zip(hits["entities"], hits["types"], strict=True)):
        counted = {"direct_award_share": "contract", "hotline_manipulation": "ticket"}[model_id]
        mine = [e for e, t in zip(entities, types, strict=True) if t == counted]
        assert mine, (model_id, entities)
        kinds = {lk["type"] for lk in links[pos]}
        assert kinds >= ({"CONTRACTED_BY"} if counted == "contract" else {"CONCERNS", "FILED_FROM"}), links[pos]
        touched = {lk["start"] for lk in links[pos]} | {lk["end"] for lk in links[pos]}
        assert set(mine) <= touched and all(lk["source"] for lk in links[pos])


def test_no_model_writes_money_itself_and_every_mark_is_worded(fixture_store):
    """A model puts an amount in a summary as ``{money:…}`` and :func:`graphkit.model.figure_marks` words it, as every
    face writes money (``2,248.20 元``, ``806.4 万元``): no query rounds an amount and appends 元 (``花费2248元``), and
    no mark is left in what the ledger keeps."""
    from graphkit.model import figure_marks

    assert figure_marks("花费{money:2248.2}，合计{money:2.9E6}", "zh") == "花费2,248.20 元，合计290.0 万元"
    assert figure_marks("paid {money:6000}", "en") == "paid ¥6,000"
    assert figure_marks(None, "zh") is None
    yuan = re.compile(r"'[^'\n]*元[^'\n]*'")
    for spec in models.catalog():
        body = "\n".join(ln for ln in spec.path.read_text(encoding="utf-8").splitlines() if not ln.startswith("//"))
        assert not yuan.findall(body), f"{spec.id} writes 元 itself: {yuan.findall(body)}"
    hits, _ = models.run_all(fixture_store)
    for col in ("summary", "summary_zh"):
        left = hits[hits[col].str.contains("{money:", regex=False)]
        assert left.empty, left[["model", col]].to_string()


def test_no_model_scans_a_label_for_the_keys_it_holds():
    """``bid_rigging`` looked its partners up again at the end (``MATCH (m:Company) WHERE m.id IN partners``) for a
    list of their keys it held already: Ladybug scanned every company and tested it against each group's list, a
    sixth of the model's time at a million persons (``PROFILE``: the filter ``LIST_CONTAINS(partners)``)."""
    scan = re.compile(r"MATCH \((\w+):\w+\)\s*WHERE \1\.id IN ")
    for spec in models.catalog():
        body = "\n".join(ln for ln in spec.path.read_text(encoding="utf-8").splitlines() if not ln.startswith("//"))
        assert not scan.search(body), f"{spec.id}: {scan.search(body)[0]!r}"


def test_bid_rigging_compares_documents_and_finds_partners_after_its_screen():
    """At a million persons ``bid_rigging``'s first aggregation runs over 1.2 million pairs of bids in a tender;
    it compared the pairs' four bid-document strings (IP, MAC, author, file hash) in it, and its last MATCH tested
    every such pair's company against ``partners``: Ladybug held both (2,757 MiB peak, ``bench/models_steps.py``).
    The documents are compared for the pairs the screen keeps, and a group's tenders are read from its own bids,
    each partner looked up by key."""
    spec = models.get("bid_rigging")
    texts = [*(QUERY_DIR / f"{n}.cypher" for n in spec.steps), spec.path]  # its steps', then its own, in order
    body = "\n".join(ln for p in texts for ln in p.read_text(encoding="utf-8").splitlines() if not ln.startswith("//"))
    screen = body.index("WHERE n >= $min_tenders")
    documents = [body.index(f".{p} = ") for p in ("ip", "mac", "doc_author", "doc_hash")]
    assert min(documents) > screen, "bid documents compared before the screen"
    assert "IN partners AND" not in body and "MATCH (m:Company {id: pid})" in body
    # the groups' tenders are read from the group's own bids, not from every pair of bids built again
    pairs = re.findall(r"MATCH \(a(?::Company)?\)<-\[sa:SUBMITTED_BY\]-\(ba:Bid\)-\[fa:BID_FOR\]->\(t:Tender\)<-", body)
    assert len(pairs) == 1, pairs


def test_bid_rigging_screens_compares_and_groups_in_queries_of_their_own():
    """In one query ``bid_rigging`` held its screen's 1.2 million pairs of bids under the comparison of every kept
    pair's identifiers, and both under the grouping: 2,220 MiB peak at a million persons (``bench/models_steps.py``).
    The screen and the comparison are steps of their own, each given back before the next (1,598 MiB)."""
    spec = models.get("bid_rigging")
    pairs, signals = (QUERY_DIR / f"{n}.cypher" for n in spec.steps)
    pairs, signals = pairs.read_text(encoding="utf-8"), signals.read_text(encoding="utf-8")
    own = spec.path.read_text(encoding="utf-8")
    assert "WHERE n >= $min_tenders" in pairs and ":HAS_PHONE]" not in pairs and "UNWIND $rows" not in pairs
    assert signals.count("EXISTS {") == 6 and "WHERE n >= $min_tenders" not in signals
    assert "EXISTS" not in own and ":HAS_PHONE]" not in own and own.count(":SUBMITTED_BY]") == 2


@pytest.mark.parametrize(
    "model_id", ["relative_wins_tender_1hop", "relative_wins_tender_2hop", "relative_wins_tender_executive"]
)
def test_relative_models_reach_the_tenders_from_the_relatives(model_id):
    """Led by the tenders, ``relative_wins_tender_1hop`` and ``_executive`` paired every tender with every person
    on the issuing unit's roster and expanded each pair's family ties (515,398 rows at 300,000 persons; 1,443 and
    1,019 MiB peak at a million, ``bench/models_steps.py``). The roster's persons are taken once, then their
    relatives and the companies those relatives are tied to, and only then the tenders those companies won. A
    tender's roster is matched apart from the tender (after a WITH): in one pattern Ladybug built every (tender,
    roster person) pair of the city again to join the few companies to it (195,109 rows at 300,000 persons)."""
    spec = models.get(model_id)
    body = "\n".join(ln for ln in spec.path.read_text(encoding="utf-8").splitlines() if not ln.startswith("//"))
    assert body.index(":FAMILY]") < body.index(":WON]"), "the tenders are matched before the family ties"
    both = [ln for ln in body.splitlines() if ":WON]" in ln and ":EMPLOYED_BY]" in ln]
    assert not both, both


# what a plan names of a variable (``x.name``) and what a query names of it (``x.name``, ``(x:Label {id: …})``)
_PROPERTY = re.compile(r"\b([a-z]\w*)\.([a-z_]\w*)")
_INLINE_KEY = re.compile(r"[(\[]([a-z]\w*):\w+ \{(\w+):")


@pytest.mark.parametrize("model_id", [m.id for m in models.catalog()])
def test_no_model_reads_a_node_or_link_whole_to_test_it_for_null(fixture_store, model_id):
    """``CASE WHEN i IS NULL`` (``WHERE pump IS NULL``, ``e1 IS NOT NULL``…) on an optional node or link had Ladybug
    read every one of its properties (a person's FtM columns, a company's capital, a posting's rank) wherever the
    optional match found one; the models test its key (``i.id IS NULL``), as the tender models test a contract's.
    Read from each query's plan (``EXPLAIN``): no variable has a property read that the query does not name.
    ``split_contracts`` collected its window's contracts whole (``collect(k2)``: each one's title, currency, FtM
    columns read for a list whose keys were all it used); it collects their keys."""
    from graphkit.stores.dialect import to_ladybug

    spec = next(m for m in models.catalog() if m.id == model_id)
    rows = None  # a model in steps: each step's plan, given the rows the step before gives on the fixture
    for name in [*spec.steps, f"models/{model_id}"]:
        text = to_ladybug(fixture_store.query_text(name))
        params = spec.defaults() if rows is None else {**spec.defaults(), "rows": rows}
        params = {k: v for k, v in params.items() if k in models.body_params(text)}
        res = fixture_store._conn.execute("EXPLAIN " + text, params)
        try:
            plan = res.get_as_df().iloc[0, 0]
        finally:
            res.close()
        named = set(_PROPERTY.findall(text)) | set(_INLINE_KEY.findall(text))
        read = {(v, p) for v, p in _PROPERTY.findall(plan) if p != "_ID"}
        assert read, "the plan names no property: its format changed"
        assert read <= named, (name, sorted(read - named))
        rows = fixture_store.run(text, params).to_dict("records")
