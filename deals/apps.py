from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class DealsConfig(AppConfig):
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
            if model in DERIVED or model in READERS_ADDRESSES:
                continue
            for signal in (post_save, post_delete, m2m_changed):
                signal.connect(record_changed, sender=model, dispatch_uid=f"cache:{model}")
        # Kept figures (deals/models/figures.py): writes mark the deals they touch.
        connect_signals(self)
