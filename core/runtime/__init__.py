"""What every part of the core runs on and none owns: the clock, the core's settings, time zones
by name, and the metrics the core reports (the composition root installs their sink).

Modules: clock (Clock, SystemClock, ManualClock), config (CoreConfig), zones (zone), metrics.
"""

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
