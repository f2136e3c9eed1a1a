from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "openveiligheid.areas"
    label = "areas"
    verbose_name = _("Gebieden")

    def ready(self):
        from openveiligheid.areas.matching import forget_cached_matcher
        from openveiligheid.areas.models import Area

        # A cached matcher must not outlive a change made through the ORM in this process (ids
        # can be reused after a rollback, so count and max id alone do not always notice).
        post_save.connect(forget_cached_matcher, sender=Area, dispatch_uid="areas-matcher-save")
        post_delete.connect(forget_cached_matcher, sender=Area, dispatch_uid="areas-matcher-delete")
