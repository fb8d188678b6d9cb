"""Jinja2 for the reader pages: the environment and a test-aware backend.

Reader templates (templates/jinja2/) render with Jinja2, which spends less
time per page than the Django template language (measured against a DTL port:
docs/performance.md); the admin keeps DTL. The environment gives templates
what DTL's built-in tags and filters gave them, with the same output: url()
and static() for {% url %} and {% static %}, Django's date filter (localised,
in the current time zone), DTL's regroup, and Django's translation machinery
behind {{ _("…") }} and {% trans %}.
"""

import datetime
import sys
from collections import namedtuple
from functools import lru_cache
from itertools import groupby
from operator import attrgetter

import jinja2
from django.template.backends import jinja2 as django_jinja2
from django.template.backends.utils import csrf_input_lazy, csrf_token_lazy
from django.template.defaultfilters import date as django_date
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.formats import get_format
from django.utils.timezone import template_localtime


def url(name, *args):
    """{{ url("articles:tag", tag.slug) }}, as {% url "articles:tag" tag.slug %}.

    Remembered per URL configuration and script prefix: every page prints
    the same navigation links, and reverse() costs more than the rest of a
    link. Article links go through get_absolute_url(), not through here.
    """
    return _reversed(name, args, get_urlconf(), get_script_prefix())


@lru_cache(maxsize=1024)
def _reversed(name, args, urlconf, script_prefix):
    return reverse(name, urlconf=urlconf, args=args or None)


def date(value, format=None):
    """DTL's |date: aware datetimes shown in the current time zone, as there."""
    if isinstance(value, jinja2.Undefined):
        return ""
    if format == "c" and value:
        # What DTL's "c" gives, without parsing a format for every row.
        return template_localtime(value).isoformat()
    if isinstance(value, datetime.datetime):
        pattern = _numeric_pattern(get_format(format or "DATE_FORMAT"))
        if pattern is not None:
            return pattern.format(template_localtime(value))
    return django_date(template_localtime(value), format)


# Every character Django's date formats read (django.utils.dateformat).
DATE_FORMAT_CHARACTERS = frozenset("aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ")
# Those that print a plain number, as str.format fields. Lists print a date
# on every row; Django parses the format for each, while a compiled
# pattern only fills it in.
_NUMERIC_FIELDS = {
    "Y": "{0.year:04d}",
    "m": "{0.month:02d}",
    "n": "{0.month}",
    "d": "{0.day:02d}",
    "j": "{0.day}",
    "H": "{0.hour:02d}",
    "G": "{0.hour}",
    "i": "{0.minute:02d}",
    "s": "{0.second:02d}",
}


@lru_cache(maxsize=64)
def _numeric_pattern(format):
    """format as a str.format pattern, or None if it uses anything beyond
    plain numbers (names of months, time zones…) or escapes."""
    pieces = []
    for char in format:
        if char in _NUMERIC_FIELDS:
            pieces.append(_NUMERIC_FIELDS[char])
        elif char == "\\" or char in DATE_FORMAT_CHARACTERS:
            return None
        else:
            pieces.append(char.replace("{", "{{").replace("}", "}}"))
    return "".join(pieces)


# What DTL's {% regroup %} yields, kept here: Django's own tuple is not public.
Group = namedtuple("Group", ["grouper", "list"])


def regroup(items, attribute):
    """DTL's {% regroup items by attribute %}: runs of equal values, in order
    (Jinja's groupby would sort first)."""
    return [
        Group(grouper=key, list=list(group))
        for key, group in groupby(items, attrgetter(attribute))
    ]


class _Translations:
    """Django's translation functions for {{ _("…") }} and {% trans %}, with
    each message translated once per language: a page asks for the same few
    dozen strings on every render, and Django looks each up afresh."""

    ngettext = staticmethod(translation.ngettext)
    pgettext = staticmethod(translation.pgettext)
    npgettext = staticmethod(translation.npgettext)

    def __init__(self):
        self._translated = {}

    def gettext(self, message):
        key = (translation.get_language(), message)
        try:
            return self._translated[key]
        except KeyError:
            if len(self._translated) > 10_000:  # messages built at run time
                self._translated.clear()
            found = self._translated[key] = translation.gettext(message)
            return found


def environment(**options):
    """The reader pages' environment (TEMPLATES' "environment" option)."""
    extensions = options.pop("extensions", [])
    env = jinja2.Environment(extensions=["jinja2.ext.i18n", *extensions], **options)
    env.install_gettext_translations(_Translations(), newstyle=True)
    env.globals.update(url=url, static=static)
    env.filters.update(date=date, regroup=regroup)
    return env


class Template(django_jinja2.Template):
    """Django's Jinja2 template, announcing its renders to the test client.

    Django's test runner instruments only DTL templates; without the
    template_rendered signal, response.context and assertTemplateUsed would
    see nothing. Outside tests nothing listens: the signal is looked up
    without importing django.test (the test client and its dependencies)
    into the app servers, and sent only when someone listens.
    """

    @property
    def name(self):
        return self.template.name

    def render(self, context=None, request=None):
        # What Django's Template.render adds for a request, added here first
        # so that the signal carries it too.
        context = {} if context is None else context
        if request is not None:
            context["request"] = request
            context["csrf_input"] = csrf_input_lazy(request)
            context["csrf_token"] = csrf_token_lazy(request)
            for context_processor in self.backend.template_context_processors:
                context.update(context_processor(request))
        signals = sys.modules.get("django.test.signals")
        if signals is not None and signals.template_rendered.receivers:
            signals.template_rendered.send(sender=self, template=self, context=context)
        return super().render(context)


class Jinja2(django_jinja2.Jinja2):
    def get_template(self, template_name):
        return Template(super().get_template(template_name).template, self)

    def from_string(self, template_code):
        return Template(self.env.from_string(template_code), self)
