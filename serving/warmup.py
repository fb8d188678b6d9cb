"""Work a fresh worker process would otherwise do on its first requests.

gunicorn loads the app once in the master (preload_app) and forks workers
from it, also when it recycles one. Whatever is loaded here before the fork
is shared by every worker and never paid for again: without it each new
worker spent its first search loading jieba's dictionary (about a second)
and its first pages compiling templates, which showed as p99 spikes.
"""

import logging

from django.db import connections
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

logger = logging.getLogger(__name__)

READER_TEMPLATES = [
    "base.html",
    "404.html",
    "articles/home.html",
    "articles/section_detail.html",
    "articles/article_detail.html",
    "articles/article_withdrawn.html",
    "articles/author_detail.html",
    "articles/tag_detail.html",
    "articles/search.html",
    "articles/archive.html",
    "articles/archive_year.html",
    "articles/archive_month.html",
    "articles/issue_list.html",
    "articles/issue_detail.html",
    "articles/issue_print.html",
    "counties/countyunion_list.html",
    "counties/countyunion_detail.html",
]


def warm():
    """Load the search dictionary and compile the reader templates."""
    from articles.search import load_dictionary

    load_dictionary()
    for name in READER_TEMPLATES:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            logger.warning("warm-up: no template %s", name)
    # Nothing here should touch the database; make sure no connection is
    # inherited by the forked workers all the same.
    connections.close_all()
