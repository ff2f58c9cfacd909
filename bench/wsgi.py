"""The project's WSGI application with bench/urls.py as its URLconf (benchmarks only).

gunicorn -c gunicorn.conf.py bench.wsgi:application
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealtracker.settings")
settings.ROOT_URLCONF = "bench.urls"
# BENCH_PAGE_CACHE=0 measures every page computed from the database for each request
# (figures such as counts and totals are still remembered between changes).
if os.environ.get("BENCH_PAGE_CACHE") == "0":
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "deals.caching.PublicCacheMiddleware"
    ]
application = get_wsgi_application()
