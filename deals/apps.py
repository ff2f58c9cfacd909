from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import m2m_changed, post_delete, post_save


class DealsConfig(AppConfig):
    default = True  # "deals" in INSTALLED_APPS; the admin's config below is named there
    default_auto_field = "django.db.models.BigAutoField"
    name = "deals"
    verbose_name = "Deal records"

    def ready(self):
        from deals.caching import record_changed
        from deals.models.figures import DERIVED, connect_signals
        from deals.models.follows import READERS_ADDRESSES

        # Any change to the record puts the public cache out of use (deals/caching.py);
        # kept figures are derived from the record, and readers' follows are no part of
        # it (no page shows them), so their writes change nothing.
        for model in self.get_models():
            if (
                model in DERIVED
                or model in READERS_ADDRESSES
                or not getattr(model, "is_record", True)
            ):
                continue  # derived figures, readers' addresses, staff work (correction reports)
            for signal in (post_save, post_delete, m2m_changed):
                signal.connect(record_changed, sender=model, dispatch_uid=f"cache:{model}")
        # Kept figures (deals/models/figures.py): writes mark the deals they touch.
        connect_signals(self)


class DealTrackerAdminConfig(admin_apps.AdminConfig):
    """Django's admin on our site (deals/admin_site.py), which groups the index for editors.
    Here, not beside the site, because INSTALLED_APPS imports it before the models exist."""

    default = False  # only where INSTALLED_APPS names it
    default_site = "deals.admin_site.DealTrackerAdminSite"
