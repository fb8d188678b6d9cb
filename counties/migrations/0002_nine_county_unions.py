"""Create Yancheng's nine county-level trade unions."""

from django.db import migrations

UNIONS = [
    # (short name, kind, slug)
    ("响水县", "county", "xiangshui"),
    ("滨海县", "county", "binhai"),
    ("阜宁县", "county", "funing"),
    ("射阳县", "county", "sheyang"),
    ("建湖县", "county", "jianhu"),
    ("东台市", "city", "dongtai"),
    ("大丰区", "district", "dafeng"),
    ("亭湖区", "district", "tinghu"),
    ("盐都区", "district", "yandu"),
]


def create_unions(apps, schema_editor):
    CountyUnion = apps.get_model("counties", "CountyUnion")
    for position, (short_name, kind, slug) in enumerate(UNIONS, start=1):
        CountyUnion.objects.update_or_create(
            slug=slug,
            defaults={
                "name": f"{short_name}总工会",
                "short_name": short_name,
                "kind": kind,
                "position": position,
            },
        )


def remove_unions(apps, schema_editor):
    CountyUnion = apps.get_model("counties", "CountyUnion")
    CountyUnion.objects.filter(slug__in=[slug for _s, _k, slug in UNIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("counties", "0001_initial")]

    operations = [migrations.RunPython(create_unions, remove_unions)]
