"""How tags are typed: split on ASCII and Chinese separators alike.

taggit's own parser splits only on the ASCII comma (or on spaces), so
"新就业形态，职工权益、滨海" typed with a Chinese input method became one tag.
settings.TAGGIT_TAGS_FROM_STRING and TAGGIT_STRING_FROM_TAGS point here, so
the admin's tag field, the importers and anything calling taggit's
parse_tags() read tags the same way.
"""

import re

# , ， 、 ； ; and line breaks; spaces inside a tag are kept ("五一 劳动节").
SEPARATORS = re.compile(r"[,，、；;\n\r]+")
# What edit_string() joins with: typed back in, it splits the same way.
JOINER = "，"


def parse_tags(text):
    """The distinct tag names in text, in the order typed."""
    names = []
    for part in SEPARATORS.split(text or ""):
        name = " ".join(part.replace('"', " ").split())
        if name and name not in names:
            names.append(name)
    return names


def edit_string(tags):
    """The tags as the admin shows them for editing, by name."""
    return JOINER.join(sorted(tag.name for tag in tags))
