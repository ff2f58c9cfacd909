"""The project's URLs plus /bench/ceiling/, a bare Django JSON view with no query, and
/bench/peer/deals/, a plain DRF ModelViewSet over the same deals (bench/peer.py).

The ceiling's throughput through the same gunicorn and middleware is what every other
endpoint is compared with (the "ratio" in bench/results.json); the peer's is what the
API's deal list is compared with (the "multiple of the peer" in docs/performance.md).
Used only by bench/wsgi.py; the project's own URLconf is untouched.
"""

from django.http import JsonResponse
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from bench.peer import PeerDealViewSet
from dealtracker import urls as project_urls

peer = SimpleRouter()
peer.register("deals", PeerDealViewSet, basename="peer-deal")


def ceiling(request):
    return JsonResponse({"status": "ok"})


handler404 = project_urls.handler404
handler500 = project_urls.handler500

urlpatterns = [
    path("bench/ceiling/", ceiling, name="bench-ceiling"),
    path("bench/peer/", include(peer.urls)),
    *project_urls.urlpatterns,
]
