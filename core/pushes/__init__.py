"""Telling shoppers without being asked: who follows which order, the notification outbox, quiet
hours, and the dispatcher that claims due pushes, paces them and retries.

- following (subscriptions), notifications (the outbox, preferences, staff alerts),
  changes (which tracking change makes which push), quiet_hours.
- dispatch (the Dispatcher), claims (claiming rows safely on several replicas),
  outcomes (what a send's outcome does to the row), pacing, retry, recording (writing
  outcomes as they come), pace (send limits shared by every replica).
"""

from typing import TYPE_CHECKING

from core import lazy_exports

if TYPE_CHECKING:
    from core.pushes.dispatch import Dispatcher
    from core.pushes.pace import LocalPace, SharedPace
    from core.pushes.retry import RetryPolicy
    from core.pushes.stats import DispatchStats, worker_name

__all__ = [
    "DispatchStats",
    "Dispatcher",
    "LocalPace",
    "RetryPolicy",
    "SharedPace",
    "worker_name",
]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "DispatchStats": "core.pushes.stats",
        "Dispatcher": "core.pushes.dispatch",
        "LocalPace": "core.pushes.pace",
        "RetryPolicy": "core.pushes.retry",
        "SharedPace": "core.pushes.pace",
        "worker_name": "core.pushes.stats",
    },
)
