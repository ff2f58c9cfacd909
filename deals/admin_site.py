"""The admin site: the editors' record first, who may sign in grouped apart under "Access".

Django lists one section per installed app, alphabetically, so the sign-in records of
contrib.auth, DRF's tokens and django-axes's lockouts came before the deal record. The
editors' record comes first here; the access apps follow as one "Access" section, on the
index and in the navigation sidebar alike. An app's own page (/admin/axes/) is unchanged.

Outside the deals.admin package on purpose: Django imports this class on first use of
`admin.site`, and importing deals.admin registers our admins on `admin.site`, so from
inside that package the site would be made twice and the record registered on the one
thrown away.
"""

from django.contrib import admin
from django.urls import reverse

# Apps whose records say who may sign in and how, not what was signed.
ACCESS_APPS = ("auth", "authtoken", "axes")
RECORD_APP = "deals"


class DealTrackerAdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        if app_label is not None:
            return app_list
        return grouped_for_editors(app_list)


def grouped_for_editors(app_list):
    """The record first, other apps as Django orders them, then one "Access" section."""
    record = [app for app in app_list if app["app_label"] == RECORD_APP]
    access = [app for app in app_list if app["app_label"] in ACCESS_APPS]
    others = [app for app in app_list if app not in record and app not in access]
    if not access:
        return [*record, *others]
    models = [model for app in access for model in app["models"]]
    group = {
        "name": "Access",
        "app_label": "access",
        # No page of its own: the caption leads to the index, where the section is.
        "app_url": reverse("admin:index") + "#access",
        "has_module_perms": True,
        "models": sorted(models, key=lambda model: str(model["name"])),
    }
    return [*record, *others, group]
