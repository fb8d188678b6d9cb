"""Characters no output can carry, stripped where text enters.

Text reaches readers and staff as HTML, RSS and sitemap XML, JSON-LD,
CSV and spreadsheet cells, and e-mail subjects. XML 1.0 cannot hold C0
controls other than tab and newlines, nor lone surrogates or U+FFFE/U+FFFF
(one vertical tab in a title made every feed listing it answer 500);
PostgreSQL refuses NUL; UTF-8 cannot encode a lone surrogate; e-mail
headers refuse line breaks; bidi overrides turn a title's text around
(a file name or a link reads backwards). None has a use in a bulletin, so
clean_text() removes them from every text field of every model before it
is saved (security.signals), and from imported files before they are
parsed; outputs also pass what they write through it, for rows written
before.
"""

import re

# C0 controls except \t \n \r; DEL and the C1 controls; lone surrogates;
# bidi embeddings, overrides and isolates; the XML non-characters.
UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"
    "\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)
# Line and paragraph separators: a line break to the text, but they end a
# line inside JavaScript strings of older engines and most e-mail readers.
SEPARATORS = re.compile("[\u2028\u2029]")
LINE_BREAKS = re.compile(r"[\t\n\r\u2028\u2029]+")


def clean_text(value, *, single_line=False):
    """value without the characters above; single_line also turns tabs and
    line breaks into one space (titles, names: e-mail subjects, headers)."""
    if not isinstance(value, str):
        return value
    value = UNSAFE.sub("", value)
    if single_line:
        return LINE_BREAKS.sub(" ", value)
    return SEPARATORS.sub("\n", value)


def clean_fields(instance):
    """Clean every text field of a model instance in place, before saving.

    Single-line fields (CharField, SlugField, EmailField…) lose line breaks
    too; TextField keeps them.
    """
    from django.db import models

    for field in instance._meta.concrete_fields:
        if not isinstance(field, (models.CharField, models.TextField)):
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str):
            single_line = not isinstance(field, models.TextField)
            cleaned = clean_text(value, single_line=single_line)
            if cleaned != value:
                setattr(instance, field.attname, cleaned)
