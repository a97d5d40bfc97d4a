"""Anti-abuse limits on public forms: at most `limit` attempts per `period` seconds for one key
(a client address, an e-mail). Counters live in the shared cache; the client address is read as
the sign-in limits read it (X-Forwarded-For only from the declared proxies)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    from allauth.account.adapter import get_adapter

    return get_adapter(request).get_client_ip(request)


def rate_consume(*, scope: str, key: str, limit: int, period: int) -> bool:
    """Count one attempt; False when the key already used its `limit` within `period`."""
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    name = f"rate:{scope}:{digest}"
    cache.add(name, 0, timeout=period)
    try:
        used = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=period)
        used = 1
    return used <= limit
