"""Telling shoppers without being asked: who follows which order, the notification outbox, quiet
hours, and the dispatcher that claims due pushes, paces them and retries.

- following (subscriptions), notifications (the outbox, preferences, staff alerts),
  changes (which tracking change makes which push), quiet_hours.
- home_refresh (staff Home tabs to redraw when the support queue changes, debounced).
- dispatch (the Dispatcher), claims (claiming rows safely on several replicas),
  outcomes (what a send's outcome does to the row), pacing, retry, recording (writing
  outcomes as they come), pace (send limits shared by every replica), stats.
- live (one live status message per followed order, edited in place as scans arrive),
  live_updater (the job that claims due live messages and edits them).
"""

from typing import TYPE_CHECKING

from core import lazy_exports

if TYPE_CHECKING:
    from core.pushes.dispatch import Dispatcher
    from core.pushes.home_refresh import HOME_CHANNEL, home_viewed, queue_changed
    from core.pushes.live_updater import LiveStats, LiveStatusUpdater
    from core.pushes.pace import LocalPace, SharedPace
    from core.pushes.retry import RetryPolicy
    from core.pushes.stats import DispatchStats, worker_name

__all__ = [
    "HOME_CHANNEL",
    "DispatchStats",
    "Dispatcher",
    "LiveStats",
    "LiveStatusUpdater",
    "LocalPace",
    "RetryPolicy",
    "SharedPace",
    "home_viewed",
    "queue_changed",
    "worker_name",
]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "HOME_CHANNEL": "core.pushes.home_refresh",
        "DispatchStats": "core.pushes.stats",
        "Dispatcher": "core.pushes.dispatch",
        "LiveStats": "core.pushes.live_updater",
        "LiveStatusUpdater": "core.pushes.live_updater",
        "LocalPace": "core.pushes.pace",
        "RetryPolicy": "core.pushes.retry",
        "SharedPace": "core.pushes.pace",
        "home_viewed": "core.pushes.home_refresh",
        "queue_changed": "core.pushes.home_refresh",
        "worker_name": "core.pushes.stats",
    },
)
