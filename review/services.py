"""Loading the term list from CSV."""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Term

HEADER = ["词语", "级别", "建议", "说明"]
LEVELS = {str(label): value for value, label in Term.Level.choices}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _rows(text):
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise ValidationError(_("文件是空的。")) from None
    if header[: len(HEADER)] != HEADER:
        raise ValidationError(
            _("第 1 行应为表头“%(expected)s”，实际是“%(found)s”。")
            % {"expected": ",".join(HEADER), "found": ",".join(header)}
        )
    seen = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        cells = [cell.strip() for cell in row] + [""] * len(HEADER)
        word, level, suggestion, note = cells[:4]
        if not word:
            raise ValidationError(_("第 %(line)d 行：词语不能为空。") % {"line": line})
        if len(word) > Term._meta.get_field("word").max_length:
            raise ValidationError(_("第 %(line)d 行：词语太长。") % {"line": line})
        if level not in LEVELS:
            raise ValidationError(
                _("第 %(line)d 行：级别应为“禁用”或“提示”，实际是“%(level)s”。")
                % {"line": line, "level": level}
            )
        if len(suggestion) > Term._meta.get_field("suggestion").max_length:
            raise ValidationError(_("第 %(line)d 行：建议太长。") % {"line": line})
        if word in seen:
            raise ValidationError(
                _("第 %(line)d 行：词语“%(word)s”与第 %(first)d 行重复。")
                % {"line": line, "word": word, "first": seen[word]}
            )
        seen[word] = line
        yield word, LEVELS[level], suggestion, note


def import_terms(*, text):
    """Create or update a term per row (keyed by 词语); all rows or none."""
    rows = list(_rows(text))  # every row checked before anything is written
    result = ImportResult()
    with transaction.atomic():
        existing = {term.word: term for term in Term.objects.select_for_update()}
        for word, level, suggestion, note in rows:
            term = existing.get(word)
            if term is None:
                Term.objects.create(
                    word=word, level=level, suggestion=suggestion, note=note
                )
                result.created += 1
            elif (term.level, term.suggestion, term.note) != (level, suggestion, note):
                term.level, term.suggestion, term.note = level, suggestion, note
                term.save()
                result.updated += 1
            else:
                result.unchanged += 1
    return result
