# The index of published articles by time also carries the columns the
# assessment reads of a year's pieces (PostgreSQL only: an index-only scan).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_pendingchange"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="article",
            name="article_status_recent",
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["status", "-publish_at", "-id"],
                include=("section", "issue", "cover_photo"),
                name="article_status_recent",
            ),
        ),
    ]
