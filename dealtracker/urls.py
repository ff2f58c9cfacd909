from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Deal Tracker"
admin.site.site_title = "Deal Tracker admin"
admin.site.index_title = "Records"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("deals.urls")),
]
