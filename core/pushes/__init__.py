"""Telling shoppers without being asked: who follows which order, the notification outbox, quiet
hours, and the dispatcher that claims due pushes, paces them and retries.

- following (subscriptions), notifications (the outbox, preferences, staff alerts),
  changes (which tracking change makes which push), quiet_hours.
- dispatch (the Dispatcher), claims (claiming rows safely on several replicas),
  outcomes (what a send's outcome does to the row), pacing, retry.
"""

from typing import TYPE_CHECKING

from core import lazy_exports

if TYPE_CHECKING:
    from core.pushes.dispatch import Dispatcher
    from core.pushes.retry import RetryPolicy
    from core.pushes.stats import DispatchStats, worker_name

__all__ = [
    "DispatchStats",
    "Dispatcher",
    "RetryPolicy",
    "worker_name",
]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "DispatchStats": "core.pushes.stats",
        "Dispatcher": "core.pushes.dispatch",
        "RetryPolicy": "core.pushes.retry",
        "worker_name": "core.pushes.stats",
    },
)
