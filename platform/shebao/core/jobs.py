"""Background jobs: work that must not hold up a request or be lost when it fails.

``enqueue(function, *args)`` is the one way features hand work to the background. Arguments
must be plain values (strings, numbers, dates): a job may run in another process, later.

Today every job runs inline, in the caller's process, at once; the queue engine on Redis
replaces this body without changing a caller.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def enqueue(function: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run ``function(*args, **kwargs)`` in the background (for now: inline, at once)."""
    function(*args, **kwargs)
