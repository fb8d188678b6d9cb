"""Work a fresh worker process would otherwise do on its first requests.

gunicorn loads the app once in the master (preload_app) and forks workers
from it, also when it recycles one. Whatever is loaded here before the fork
is shared by every worker and never paid for again: without it each new
worker spent its first search loading jieba's dictionary (about a second)
and its first pages compiling templates, which showed as p99 spikes.
"""

from django.db import connections
from django.template import engines


def warm():
    """Load the search dictionary and compile the reader templates."""
    from articles.search import load_dictionary

    load_dictionary()
    # Every reader template (templates/jinja2/: pages, includes, error
    # pages); the Jinja2 environment keeps them compiled, and with DEBUG off
    # never looks at the files again.
    env = engines["jinja2"].env
    for name in env.list_templates():
        env.get_template(name)
    # Nothing here should touch the database; make sure no connection is
    # inherited by the forked workers all the same.
    connections.close_all()
