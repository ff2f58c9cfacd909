from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class DealsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "deals"
    verbose_name = "Deal records"

    def ready(self):
        from deals.caching import record_changed

        # Any change to the record puts the public cache out of use (deals/caching.py).
        for model in self.get_models():
            for signal in (post_save, post_delete, m2m_changed):
                signal.connect(record_changed, sender=model, dispatch_uid=f"cache:{model}")
