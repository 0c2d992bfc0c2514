"""Login throttle: too many failed sign-ins for a name or from an address are refused."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


class LoginThrottle:
    """Counts failed logins per key ("name:ana", "addr:10.0.0.7") over a sliding window.

    A key with `max_failures` failures in the last `window` seconds is refused until the
    oldest of them is older than the window. Counts live in this process only: a
    restart forgets them, which is acceptable for a page run by one small team.
    """

    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            self._failures.pop(key, None)
        return times

    def retry_after(self, keys: list[str]) -> float:
        """Seconds until every key may try again; 0 when none is blocked."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for key in keys:
                times = self._recent(key, now)
                if len(times) >= self.max_failures:
                    oldest = times[len(times) - self.max_failures]
                    wait = max(wait, oldest + self.window - now)
        return wait

    def fail(self, keys: list[str]) -> None:
        """Record one failed login against each key."""
        now = self.clock()
        with self._lock:
            for key in keys:
                times = self._recent(key, now)
                times.append(now)
                self._failures[key] = times
            if len(self._failures) > 10_000:  # many names sprayed: drop expired keys
                for stale in list(self._failures):
                    self._recent(stale, now)

    def succeed(self, key: str) -> None:
        """Forget the failures of a key (the name just signed in)."""
        with self._lock:
            self._failures.pop(key, None)
