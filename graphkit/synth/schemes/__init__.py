"""The planted schemes, one module per family (like the models in ``queries/models/``): procurement,
vehicles and fuel, welfare, conduct. :data:`SCHEMES` names them in planting order.
"""

from __future__ import annotations

from collections.abc import Callable

from ..plant import Planter
from .conduct import s_banquet_no_letter, s_hotline_manipulation, s_judge_relative_lawyer
from .procurement import (
    s_bid_rigging,
    s_direct_award_share,
    s_ex_official_joins_winner,
    s_relative_wins_tender_1hop,
    s_relative_wins_tender_2hop,
    s_relative_wins_tender_executive,
    s_short_bid_window,
    s_single_bid_tender,
    s_split_contracts,
)
from .vehicles import (
    s_fuel_gps_mismatch,
    s_fuel_holiday,
    s_fuel_non_fuel_goods,
    s_fuel_out_of_city,
    s_fuel_over_capacity,
    s_fuel_private_plate,
    s_privileged_vehicle,
    s_vehicle_sensitive_place,
)
from .welfare import s_prisoner_paid, s_subsidy_ineligible, s_village_labour_overpay

__all__ = ["SCHEMES"]

SCHEMES: dict[str, Callable[[Planter, bool], None]] = {
    "bid_rigging": s_bid_rigging,  # first: it needs the most unconnected people
    "relative_wins_tender_1hop": s_relative_wins_tender_1hop,
    "relative_wins_tender_2hop": s_relative_wins_tender_2hop,
    "relative_wins_tender_executive": s_relative_wins_tender_executive,
    "ex_official_joins_winner": s_ex_official_joins_winner,
    "judge_relative_lawyer": s_judge_relative_lawyer,
    "fuel_over_capacity": s_fuel_over_capacity,
    "fuel_gps_mismatch": s_fuel_gps_mismatch,
    "fuel_holiday": s_fuel_holiday,
    "fuel_out_of_city": s_fuel_out_of_city,
    "fuel_non_fuel_goods": s_fuel_non_fuel_goods,
    "fuel_private_plate": s_fuel_private_plate,
    "privileged_vehicle": s_privileged_vehicle,
    "prisoner_paid": s_prisoner_paid,
    "subsidy_ineligible": s_subsidy_ineligible,
    "village_labour_overpay": s_village_labour_overpay,
    "vehicle_sensitive_place": s_vehicle_sensitive_place,
    "banquet_no_letter": s_banquet_no_letter,
    "hotline_manipulation": s_hotline_manipulation,
    "split_contracts": s_split_contracts,
    "single_bid_tender": s_single_bid_tender,
    "short_bid_window": s_short_bid_window,
    "direct_award_share": s_direct_award_share,  # last: later awards would dilute the share
}
