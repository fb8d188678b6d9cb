"""The printed issue as an A4 PDF, made on the server with WeasyPrint.

One service writes the file (house style: one service per file-writing job).
The PDF is made from the same template as /issues/<code>/print/, as readers
see it, plus static/css/issue-pdf.css (A4 pages, page numbers, contents with
page numbers). Its name carries a hash of that HTML, the issue's content
version: a changed headline, byline, caption, photo or stylesheet makes a
new file and removes the old one; an unchanged issue is made once and then
only read. Fonts come from the system (fonts-noto-cjk, installed by
`make pdf-deps`) and are embedded, subsetted, by WeasyPrint; nothing is
fetched from another host.
"""

import hashlib
import logging
import mimetypes
import posixpath
from dataclasses import dataclass

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

from .models import Article

logger = logging.getLogger(__name__)

FOLDER = "issues"
# The HTML names no host; WeasyPrint resolves its URLs against this one, and
# LocalFetcher answers them from the static files and the media storage.
BASE_URL = "https://newsroom.invalid/"


class PdfUnavailable(Exception):
    """WeasyPrint or the system libraries it needs are missing."""


@dataclass(frozen=True)
class IssuePdf:
    name: str  # in the media storage
    version: str  # hash of the HTML it was made from

    def open(self):
        return default_storage.open(self.name, "rb")

    @property
    def size(self):
        return default_storage.size(self.name)


def issue_pdf(issue):
    """The issue's PDF in the media storage, made first if its content changed."""
    html = issue_html(issue)
    version = hashlib.blake2b(html.encode(), digest_size=10).hexdigest()
    folder = f"{FOLDER}/{issue.code}"
    name = f"{folder}/{issue.code}-{version}.pdf"
    if not default_storage.exists(name):
        content = render_pdf(html)
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:  # another request made the same file meanwhile
            default_storage.delete(saved)
        _remove_older(folder, keep=name)
    return IssuePdf(name, version)


def issue_html(issue):
    """The print template as readers see it, with the PDF's own stylesheet."""
    articles = (
        Article.objects.published()
        .filter(issue=issue)
        .order_by("issue_position", "pk")
        .for_detail()
    )
    return render_to_string(
        "articles/issue_print.html",
        {"issue": issue, "articles": articles, "pdf": True, "staff_preview": False},
    )


def render_pdf(html):
    """PDF bytes for the HTML, its URLs answered from this site's own files."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: pango etc. missing
        raise PdfUnavailable(str(error)) from error
    document = weasyprint.HTML(
        string=html, base_url=BASE_URL, url_fetcher=LocalFetcher(weasyprint)
    )
    return document.write_pdf(pdf_identifier=b"newsroom-issue")


def LocalFetcher(weasyprint):  # noqa: N802 - a class made once WeasyPrint loads
    """A URL fetcher that reads /static/ and /media/ URLs from this site's
    files and refuses every other URL."""

    class Fetcher(weasyprint.urls.URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(BASE_URL):
                raise ValueError(f"not this site's file: {url}")
            path = "/" + url[len(BASE_URL) :].split("?")[0].split("#")[0]
            body = _read(path)
            mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(
                url, body=body, headers={"Content-Type": mime_type}
            )

    return Fetcher()


def _read(path):
    if path.startswith(settings.STATIC_URL):
        # The source file where there is one (development, tests); else the
        # collected copy, whose hashed name only the storage knows.
        name = posixpath.normpath(path[len(settings.STATIC_URL) :])
        found = finders.find(name)
        if found:
            with open(found, "rb") as file:
                return file.read()
        if staticfiles_storage.exists(name):
            with staticfiles_storage.open(name) as file:
                return file.read()
    elif path.startswith(settings.MEDIA_URL):
        name = posixpath.normpath(path[len(settings.MEDIA_URL) :])
        if not name.startswith(".."):
            with default_storage.open(name, "rb") as file:
                return file.read()
    raise FileNotFoundError(path)


def _remove_older(folder, keep):
    """Delete the issue's PDFs made for earlier versions."""
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for file in files:
        name = f"{folder}/{file}"
        if name != keep and file.endswith(".pdf"):
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("issue PDF: could not delete %s", name, exc_info=True)
