from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import index
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView, TemplateView
from drf_spectacular.views import SpectacularAPIView

from deals.api.views import ApiDocsView
from deals.sitemaps import SITEMAPS
from deals.sitemaps import section as sitemap_section
from dealtracker.health import healthz

admin.site.site_header = "Deal Tracker"
admin.site.site_title = "Deal Tracker admin"
admin.site.index_title = "Records"

# JSON errors under /api/, the site's own pages elsewhere.
handler400 = "deals.api.exceptions.bad_request"
handler404 = "deals.api.exceptions.page_not_found"
handler500 = "deals.api.exceptions.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("deals.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    # An index of the sections, each paged (deals/sitemaps.py): past 50,000 addresses a
    # single sitemap would be refused by search engines.
    path(
        "sitemap.xml",
        index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_section, name="sitemap-section"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots",
    ),
    # Browsers ask for /favicon.ico whatever the page says. The static URL is looked up
    # per request (lazily): in production it carries a hash of the file's content.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg")), name="favicon"),
]

# The public pages (and their feeds and CSV) in every language of settings.LANGUAGES:
# English at /, Simplified Chinese at /zh-hans/…. The API, the admin, health, the
# sitemap and robots.txt above stay unprefixed (the API's language: Accept-Language).
urlpatterns += i18n_patterns(path("", include("deals.urls")), prefix_default_language=False)
