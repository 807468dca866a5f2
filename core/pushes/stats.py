"""What a dispatch round did, counted per outcome, and the name a dispatcher claims under."""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass, fields


@dataclass
class DispatchStats:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    blocked: int = 0
    rate_limited: int = 0
    released: int = 0  # handed back unsent because the channel paused mid-batch
    reaped: int = 0  # expired claims of a dead dispatcher made pending again

    def __add__(self, other: DispatchStats) -> DispatchStats:
        return DispatchStats(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


def worker_name() -> str:
    """A name for this dispatcher process, unique enough to tell claimers apart."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{secrets.token_hex(3)}"
