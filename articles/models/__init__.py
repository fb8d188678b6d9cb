"""The articles app's models, one module a noun; every name is here."""

import reversion
from taggit.models import TaggedItem

from .authors import (  # noqa: F401
    Author,
    AuthorQuerySet,
    AuthorRedirect,
    ReaderLink,
    leave_copies_alone,
)
from .pending import (  # noqa: F401
    PendingChange,
)
from .photos import (  # noqa: F401
    Photo,
    PhotoCredit,
    PhotoQuerySet,
    photo_upload_to,
)
from .sections import (  # noqa: F401
    Issue,
    Section,
)
from .stories import (  # noqa: F401
    LISTED_FIELDS,
    NEIGHBOUR_COLUMNS,
    Article,
    ArticleAuthor,
    ArticlePhoto,
    ArticleQuerySet,
    ArticleTransition,
    correspondent_scope,
    sees_only_published,
    workflow_check,
)

# Every revision of an article carries its ordered bylines, gallery and tags.
reversion.register(ArticleAuthor)
reversion.register(ArticlePhoto)
reversion.register(TaggedItem)
reversion.register(
    Article,
    follow=["bylines", "gallery", "tagged_items"],
    # Derived from the followed rows and the body; recomputed after a restore.
    exclude=["search_vector", "byline_json", "tags_json", "excerpt", "char_count"],
)
