"""Who may do what through the API: the same roles as in the admin.

Reading needs nothing (drafts are left out for those who may not see them: see the
views' querysets). Writing needs the model permission a Django admin user would need,
add, change or delete (DjangoModelPermissions): Editors hold them all, Contributors
add and change deals, parties and sources (migration 0003). A published deal is
changed or deleted only by those who may publish, as in the admin.
"""

from django.utils.translation import gettext as _
from rest_framework import permissions


class ModelPermissions(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """GET for everyone; POST, PUT, PATCH and DELETE need the add, change or delete
    permission on the model."""


class DealPermissions(ModelPermissions):
    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS or obj.can_be_changed_by(request.user):
            return True
        # Read by DRF for the 403's message (an instance per request, so no leak).
        self.message = _("This deal is published: only an editor, who may publish, changes it.")
        return False
