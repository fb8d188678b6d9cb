"""The site's tables, read as they are (unmanaged: no migrations here)."""

from django.db import models


class Section(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField()
    position = models.PositiveSmallIntegerField()

    class Meta:
        managed = False
        db_table = "articles_section"
        ordering = ["position"]

    def __str__(self):
        return self.name


class CountyUnion(models.Model):
    short_name = models.CharField(max_length=20)

    class Meta:
        managed = False
        db_table = "counties_countyunion"

    def __str__(self):
        return self.short_name


class Article(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField()
    body = models.TextField()
    status = models.CharField(max_length=20)
    publish_at = models.DateTimeField()
    section = models.ForeignKey(Section, models.DO_NOTHING)
    county_union = models.ForeignKey(CountyUnion, models.DO_NOTHING, null=True)

    class Meta:
        managed = False
        db_table = "articles_article"

    def __str__(self):
        return self.title
