"""Let Editors see sign-in attempts and unlock a locked-out account (django-axes):
deleting an account's access attempt lifts its lockout."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
CODENAMES = [
    "view_accessattempt",
    "delete_accessattempt",
    "view_accesslog",
    "view_accessfailurelog",
]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; make axes' now.
    axes = apps.get_app_config("axes")
    axes.models_module = True
    create_permissions(axes, apps=apps, verbosity=0)
    axes.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="axes", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for editors in Group.objects.filter(name=EDITORS):
        editors.permissions.remove(
            *Permission.objects.filter(content_type__app_label="axes", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("deals", "0006_ceremony_plural_and_amount_ceiling"),
        ("axes", "0010_accessattemptexpiration"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
