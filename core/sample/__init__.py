"""The demo shop: realistic customers, orders, parcels and journeys for `wismo demo`, `wismo
seed` and the benchmarks, and the scans the simulated carrier plays.

- demo_shop (`seed`, the demo shopper), generator, scenarios (the stories), journeys (routes and
  scans), people, rows (bulk inserts).
"""

from core.sample.demo_shop import (
    DEMO_ORDER_COUNT,
    DEMO_SEED,
    NumbersTaken,
    add_verified_identity,
    seed,
)
from core.sample.generator import FIRST_ORDER_NUMBER
from core.sample.journeys import CARRIER_BY_CODE, CARRIERS, next_scan, place_of
from core.sample.people import DEMO_SHOPPER_EMAIL, DEMO_SHOPPER_NAME
from core.sample.rows import SampleOrder

__all__ = [
    "CARRIERS",
    "CARRIER_BY_CODE",
    "DEMO_ORDER_COUNT",
    "DEMO_SEED",
    "DEMO_SHOPPER_EMAIL",
    "DEMO_SHOPPER_NAME",
    "FIRST_ORDER_NUMBER",
    "NumbersTaken",
    "SampleOrder",
    "add_verified_identity",
    "next_scan",
    "place_of",
    "seed",
]
