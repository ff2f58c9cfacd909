"""The project's URLs plus /bench/ceiling/, a bare Django JSON view with no query.

Its throughput through the same gunicorn and middleware is the ceiling every other
endpoint is compared with (the "ratio" in bench/results.json). Used only by
bench/wsgi.py; the project's own URLconf is untouched.
"""

from django.http import JsonResponse
from django.urls import path

from dealtracker import urls as project_urls


def ceiling(request):
    return JsonResponse({"status": "ok"})


handler404 = project_urls.handler404
handler500 = project_urls.handler500

urlpatterns = [path("bench/ceiling/", ceiling, name="bench-ceiling"), *project_urls.urlpatterns]
