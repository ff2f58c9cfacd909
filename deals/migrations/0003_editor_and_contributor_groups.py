"""Create the two staff roles.

Editors may do everything with the records, publishing included. Contributors may
add and change drafts but not publish, unpublish or delete; the admin also refuses
them changes to published deals (see deals.admin).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
CONTRIBUTORS = "Contributors"

CONTRIBUTOR_MODELS = {
    # model: the actions contributors may take on it
    "deal": ("add", "change", "view"),
    "dealparty": ("add", "change", "delete", "view"),
    "dealsource": ("add", "change", "delete", "view"),
    "statusupdate": ("add", "change", "delete", "view"),
    "party": ("add", "change", "view"),
    "source": ("add", "change", "view"),
    "person": ("add", "change", "view"),
    "ceremony": ("view",),
    "dignitary": ("view",),
    "ceremonysource": ("view",),
    "occasion": ("view",),
    "venue": ("view",),
    "sector": ("view",),
    "exchangerate": ("view",),
}


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the
    # groups can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    deal_permissions = Permission.objects.filter(content_type__app_label="deals")

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.set(deal_permissions)

    contributors, _ = Group.objects.get_or_create(name=CONTRIBUTORS)
    codenames = [
        f"{action}_{model}" for model, actions in CONTRIBUTOR_MODELS.items() for action in actions
    ]
    contributors.permissions.set(deal_permissions.filter(codename__in=codenames))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORS, CONTRIBUTORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("deals", "0002_seed_isic_sectors"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
