"""What every part of the core runs on and none owns: the clock, the core's settings, time zones
by name, and the metrics the core reports (the composition root installs their sink).

Modules: clock (Clock, SystemClock, ManualClock), config (CoreConfig), zones (zone), metrics.
"""

from typing import TYPE_CHECKING

from core import lazy_exports

if TYPE_CHECKING:
    from core.runtime import metrics
    from core.runtime.clock import Clock, SystemClock
    from core.runtime.config import CoreConfig
    from core.runtime.zones import zone

__all__ = [
    "Clock",
    "CoreConfig",
    "SystemClock",
    "metrics",
    "zone",
]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "Clock": "core.runtime.clock",
        "CoreConfig": "core.runtime.config",
        "SystemClock": "core.runtime.clock",
        "metrics": "core.runtime.metrics",
        "zone": "core.runtime.zones",
    },
)
