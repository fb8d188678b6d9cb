"""The three staff roles as groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "编辑"
CORRESPONDENT = "通讯员"
PHOTOGRAPHER = "摄影"

CRUD = ["add", "change", "delete", "view"]

ROLE_PERMISSIONS = {
    CORRESPONDENT: {
        "articles": [
            "add_article",
            "change_article",
            "view_article",
            "submit_article",
            *[f"{verb}_articleauthor" for verb in CRUD],
            *[f"{verb}_articlephoto" for verb in CRUD],
            "view_author",
            "view_photo",
            "view_section",
        ],
        "counties": ["view_countyunion"],
    },
    PHOTOGRAPHER: {
        "articles": [
            "add_photo",
            "change_photo",
            "view_photo",
            *[f"{verb}_photocredit" for verb in CRUD],
            "add_author",
            "view_author",
        ],
        "counties": ["view_countyunion"],
    },
}


def create_groups(apps, schema_editor):
    # Permissions are normally made after migrate; these groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    editor, _ = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["articles", "taggit"]),
        *Permission.objects.filter(
            content_type__app_label="counties",
            codename__in=["view_countyunion", "change_countyunion"],
        ),
    )
    for name, by_app in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codenames in by_app.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[EDITOR, CORRESPONDENT, PHOTOGRAPHER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_workflow"),
        ("counties", "0002_nine_county_unions"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
