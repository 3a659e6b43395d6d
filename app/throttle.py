"""Fair use of one server by many: who is asking, and how often they may ask (429).

A whole-network analysis is seconds of CPU; one client's burst must not take the server from
everyone else. EC2 throttles its API per account with token buckets (a bucket size and a refill
rate per group of actions) and answers ``RequestLimitExceeded`` when a bucket is empty
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/query-api-troubleshooting.html,
"Query API request rate"); the lab does the same per client, per group of expensive routes.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping

from starlette.requests import HTTPConnection

from app.accounts.actor import actor_of
from app.engine import AwsError
from app.engine.messages import Message, message, text

text(
    "throttle.rate",
    "Too many {group} requests: at most {size} a minute per client. Wait before sending more.",
)


def requester(connection: HTTPConnection) -> str:
    """Who is asking, the key of every per-user limit: in classroom mode the signed-in user
    (students behind one school address each have their own limits), else the client's
    address (personal mode has no login: everyone is the local owner)."""
    actor = actor_of(connection)
    if actor is not None and actor.role != "owner":
        return f"user:{actor.user_id}"
    client = connection.client
    return client.host if client else "unknown"


class TooManyRequests(AwsError):
    """429 ``RequestLimitExceeded``, with ``Retry-After``: wait ``retry_after`` seconds."""

    def __init__(self, said: Message, *, retry_after: float) -> None:
        super().__init__("RequestLimitExceeded", said)
        self.retry_after = max(1, math.ceil(retry_after))


class RateLimits:
    """A token bucket per (group, client): ``per_minute[group]`` requests at once, then one
    every ``60 / per_minute`` seconds. A group missing or at 0 is not limited."""

    # Past this many buckets, the full ones (clients quiet for a while) are forgotten.
    PRUNE_AT = 4096

    def __init__(
        self, per_minute: Mapping[str, int], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.per_minute = dict(per_minute)
        self._clock = clock
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}  # -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, group: str, client: str, *, count: bool = True) -> None:
        """Count one request of ``client`` to ``group``, or refuse it with TooManyRequests.
        ``count=False`` only checks that one more would be allowed (sign-in counts failures
        alone: a class signing in together from one school address is not refused)."""
        size = self.per_minute.get(group, 0)
        if size <= 0:
            return
        rate = size / 60.0
        now = self._clock()
        with self._lock:
            tokens, at = self._buckets.get((group, client), (float(size), now))
            tokens = min(float(size), tokens + (now - at) * rate)
            if not count and tokens >= 1:
                return
            if tokens < 1:
                self._buckets[(group, client)] = (tokens, now)
                raise TooManyRequests(
                    message("throttle.rate", group=group, size=size),
                    retry_after=(1 - tokens) / rate,
                )
            self._buckets[(group, client)] = (tokens - 1, now)
            if len(self._buckets) > self.PRUNE_AT:
                self._prune(now)

    def _prune(self, now: float) -> None:
        for key, (tokens, at) in list(self._buckets.items()):
            size = self.per_minute.get(key[0], 0)
            if size <= 0 or tokens + (now - at) * size / 60.0 >= size:
                del self._buckets[key]
