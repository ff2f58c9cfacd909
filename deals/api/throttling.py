"""Request rates per client, counted in the default cache.

With CACHE_URL set to a Redis server the counters are shared by every process and
machine serving the API; with the default (process memory) each process counts on
its own. Rates come from API_THROTTLE_ANON and API_THROTTLE_USER.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings


class RateFromCurrentSettings:
    """Read the rate when a request comes in, not when the class is imported (DRF's
    default), so that a change of settings, in tests too, takes effect."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(RateFromCurrentSettings, throttling.AnonRateThrottle):
    """Anonymous clients, told apart by address."""


class UserRateThrottle(RateFromCurrentSettings, throttling.UserRateThrottle):
    """Signed-in clients (token or session), each user counted on their own.

    Only them: DRF's own would count anonymous clients here too, by address, under the
    same key as AnonRateThrottle's scope; they have their own rate (API_THROTTLE_ANON).
    """

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None  # not throttled by this scope
        return super().get_cache_key(request, view)
