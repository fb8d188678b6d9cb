"""Editors manage the assessment and see every county; correspondents see
their own county's ranking."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "编辑"
CORRESPONDENT = "通讯员"
MANAGED = ["pointsrule", "target", "takeup", "headline"]


def grant(apps, schema_editor):
    # Permissions are normally made after migrate; the groups need them now.
    app_config = apps.get_app_config("assessment")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="assessment")
    editor, _ = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.add(
        *ours.filter(
            codename__in=[
                *(
                    f"{verb}_{model}"
                    for verb in ["add", "change", "delete", "view"]
                    for model in MANAGED
                ),
                "view_ranking",
                "view_all_rankings",
            ]
        )
    )
    correspondent, _ = Group.objects.get_or_create(name=CORRESPONDENT)
    correspondent.permissions.add(*ours.filter(codename="view_ranking"))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    ours = Permission.objects.filter(content_type__app_label="assessment")
    for group in Group.objects.filter(name__in=[EDITOR, CORRESPONDENT]):
        group.permissions.remove(*ours)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0001_initial"),
        ("articles", "0004_editorial_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
