"""The project's WSGI application with bench/urls.py as its URLconf (benchmarks only).

gunicorn -c gunicorn.conf.py bench.wsgi:application
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealtracker.settings")
settings.ROOT_URLCONF = "bench.urls"
application = get_wsgi_application()
