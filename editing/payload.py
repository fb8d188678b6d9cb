"""Checks an autosave as the browser sent it: size, shape, characters.

Whatever fails gets one Chinese sentence the form's status line can show;
nothing half-checked is stored.
"""

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The whole request body. A long story with pictures' markup is some tens of
# kilobytes; a megabyte leaves room and stays well under Django's own
# DATA_UPLOAD_MAX_MEMORY_SIZE, so the view answers before Django refuses.
MAX_BYTES = 1_000_000
MAX_FIELDS = 2000
MAX_NAME = 200
MAX_LABELS = 500
MAX_LABEL = 300
# Never kept: the form's CSRF token is no content.
SKIPPED_NAMES = {"csrfmiddlewaretoken"}


def too_large_message():
    return _(
        "内容太长（超过 %(size)s），无法自动保存；请尽快点“保存”。"
    ) % {"size": f"{MAX_BYTES // 1_000_000} MB"}


def _storable(text):
    """Text PostgreSQL can keep in JSON: no NUL, no lone surrogate."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text(value, limit=None):
    if not isinstance(value, str) or (limit is not None and len(value) > limit):
        raise ValidationError(_("自动保存的内容格式不对。"), code="shape")
    if not _storable(value):
        raise ValidationError(
            _("内容里有无法保存的字符（如空字符），自动保存没有进行。"), code="chars"
        )
    return value


def clean(body):
    """(fields, labels) from the raw request body, or ValidationError."""
    if len(body) > MAX_BYTES:
        raise ValidationError(too_large_message(), code="size")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationError(_("自动保存的内容无法识别。"), code="json") from None
    if not isinstance(data, dict):
        raise ValidationError(_("自动保存的内容格式不对。"), code="shape")
    pairs = data.get("fields")
    labels = data.get("labels", {})
    if not isinstance(pairs, list) or len(pairs) > MAX_FIELDS:
        raise ValidationError(_("自动保存的内容格式不对。"), code="shape")
    if not isinstance(labels, dict) or len(labels) > MAX_LABELS:
        raise ValidationError(_("自动保存的内容格式不对。"), code="shape")
    fields = []
    for pair in pairs:
        if not isinstance(pair, list) or len(pair) != 2:
            raise ValidationError(_("自动保存的内容格式不对。"), code="shape")
        name, value = _text(pair[0], MAX_NAME), _text(pair[1])
        if name not in SKIPPED_NAMES:
            fields.append([name, value])
    names = {name for name, _value in fields}
    cleaned_labels = {}
    for name, options in labels.items():
        _text(name, MAX_NAME)
        if name not in names or not isinstance(options, dict):
            continue
        cleaned_labels[name] = {
            _text(value, MAX_LABEL): _text(label, MAX_LABEL)
            for value, label in list(options.items())[:MAX_LABELS]
        }
    return fields, cleaned_labels
