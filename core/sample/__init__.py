"""The demo shop: realistic customers, orders, parcels and journeys for `wismo demo`, `wismo
seed` and the benchmarks, and the scans the simulated carrier plays.

- demo_shop (`seed`, the demo shopper), generator, scenarios (the stories), journeys (routes and
  scans), people, rows (bulk inserts).
"""

from typing import TYPE_CHECKING

from core import lazy_exports

if TYPE_CHECKING:
    from core.sample.demo_shop import NumbersTaken, add_verified_identity, seed
    from core.sample.generator import FIRST_ORDER_NUMBER
    from core.sample.journeys import CARRIER_BY_CODE, CARRIERS, next_scan, place_of
    from core.sample.people import (
        DEMO_ORDER_COUNT,
        DEMO_SEED,
        DEMO_SHOPPER_EMAIL,
        DEMO_SHOPPER_NAME,
    )
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
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "CARRIERS": "core.sample.journeys",
        "CARRIER_BY_CODE": "core.sample.journeys",
        "DEMO_ORDER_COUNT": "core.sample.people",
        "DEMO_SEED": "core.sample.people",
        "DEMO_SHOPPER_EMAIL": "core.sample.people",
        "DEMO_SHOPPER_NAME": "core.sample.people",
        "FIRST_ORDER_NUMBER": "core.sample.generator",
        "NumbersTaken": "core.sample.demo_shop",
        "SampleOrder": "core.sample.rows",
        "add_verified_identity": "core.sample.demo_shop",
        "next_scan": "core.sample.journeys",
        "place_of": "core.sample.journeys",
        "seed": "core.sample.demo_shop",
    },
)
