"""主编 and 总编 groups, and the 三审 and term permissions of every desk role."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "编辑"
CHIEF = "主编"
DIRECTOR = "总编"

TERMS = ["add_term", "change_term", "delete_term", "view_term"]
SIGN = {EDITOR: "sign_first", CHIEF: "sign_second", DIRECTOR: "sign_third"}


def create_groups(apps, schema_editor):
    # Permissions are normally made after migrate; these groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    # 主编 and 总编 are senior editors: everything an editor does on stories.
    editor, _ = Group.objects.get_or_create(name=EDITOR)
    editor_permissions = list(editor.permissions.all())
    for name, sign in SIGN.items():
        group, _ = Group.objects.get_or_create(name=name)
        if name != EDITOR:
            group.permissions.add(*editor_permissions)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="review",
                codename__in=[
                    sign,
                    *TERMS,
                    "view_publicationrecord",
                    "view_sectionreview",
                    "change_sectionreview",
                    "add_sectionreview",
                    "view_signoff",
                ],
            )
        )


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[CHIEF, DIRECTOR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("articles", "0004_editorial_groups"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
