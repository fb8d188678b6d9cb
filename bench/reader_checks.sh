#!/usr/bin/env bash
# Real clients on the reader pages (issue 19): the Nu Html Checker (vnu-jar),
# the RSS feeds parsed as XML, and Lighthouse (mobile) on the main pages.
#
# Seeds a throwaway SQLite database with the seed bulletin as issue 2024-2,
# serves it with gunicorn on 127.0.0.1:$READER_CHECKS_PORT (DEBUG off, static
# files collected), and writes reports to test-artifacts/reader-checks/.
# The two npm packages are installed once into .cache/reader-checks/ (the
# npm registry is needed for that first run only; the checks run offline).
# Needs java (vnu) and /usr/bin/chromium (Lighthouse).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=$ROOT/.venv/bin/python
PORT=${READER_CHECKS_PORT:-8790}
TOOLS=${READER_CHECKS_TOOLS:-$ROOT/.cache/reader-checks}
OUT=$ROOT/test-artifacts/reader-checks
BASE=http://127.0.0.1:$PORT
mkdir -p "$TOOLS" "$OUT"

if [ ! -x "$TOOLS/node_modules/.bin/lighthouse" ] || [ ! -f "$TOOLS/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
  # Lighthouse 13 wants Node 22; 12.2.3 runs on Debian's Node 20.
  npm install --prefix "$TOOLS" --no-audit --no-fund --silent -E vnu-jar@26.9.27 lighthouse@12.2.3
fi

WORK=$(mktemp -d)
export DATABASE_URL="sqlite:///$WORK/checks.sqlite3" DEBUG=0 SECURE_SSL_REDIRECT=0 \
  SERVE_MEDIA=1 ACCESS_LOG=/dev/null MEDIA_ROOT="$WORK/media" STATIC_ROOT="$WORK/static" PAGE_CACHE_SECONDS=0 \
  SECRET_KEY="reader-checks-$(date +%s%N)-not-a-secret-0123456789abcdefghij"
unset REDIS_URL
$PY manage.py migrate --noinput -v0
$PY manage.py import_bulletin seed/yancheng-union-bulletin-2024-02.md --publish --date 2024-02-20 --issue 2024-2 >/dev/null
$PY manage.py collectstatic --noinput -v0
.venv/bin/gunicorn -b "127.0.0.1:$PORT" -w 2 newsroom.wsgi --log-level warning &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done

# Every kind of reader page, as the seed has them.
mapfile -t PAGES < <($PY manage.py shell -v0 -c '
from django.urls import reverse
from articles.models import Article, Author, Issue, Section
from counties.models import CountyUnion
article = Article.objects.exclude(section__kind="photo").first()
item = Article.objects.filter(section__kind="photo").first()
issue = Issue.objects.get()
month = article.publish_at
pages = [reverse("articles:home"), reverse("articles:search"), reverse("articles:search") + "?q=%E5%B7%A5%E4%BC%9A",
  reverse("articles:archive"), reverse("articles:archive-year", args=[month.year]),
  reverse("articles:archive-month", args=[month.year, "%02d" % month.month]),
  reverse("articles:issues"), issue.get_absolute_url(), reverse("articles:issue-print", args=[issue.year, issue.number]),
  reverse("counties:list"), article.get_absolute_url(), item.get_absolute_url()]
pages += [s.get_absolute_url() for s in Section.objects.all()]
pages += [c.get_absolute_url() for c in CountyUnion.objects.all()]
pages += [a.get_absolute_url() for a in Author.objects.all()[:5]]
print("\n".join(pages))')
echo "== Nu Html Checker: ${#PAGES[@]} pages"
# vnu refuses to fetch loopback addresses itself: it checks saved copies.
mkdir -p "$WORK/pages"
FILES=()
: >"$OUT/vnu-pages.txt"
for page in "${PAGES[@]}"; do
  file="$WORK/pages/page-${#FILES[@]}.html"
  curl -sf "$BASE$page" -o "$file"
  FILES+=("$file")
  echo "$(basename "$file") $page" >>"$OUT/vnu-pages.txt"
done
if java -jar "$TOOLS/node_modules/vnu-jar/build/dist/vnu.jar" --errors-only --format gnu "${FILES[@]}" >"$OUT/vnu.txt" 2>&1; then
  echo "vnu: 0 errors on ${#PAGES[@]} pages"
else
  echo "vnu: $(grep -c ':' "$OUT/vnu.txt") error(s), see $OUT/vnu.txt (pages: vnu-pages.txt)"
  head -20 "$OUT/vnu.txt"
fi

echo "== Feeds"
$PY manage.py shell -v0 -c '
import urllib.request, xml.etree.ElementTree as ET
from django.urls import reverse
from articles.models import Author, Section
from counties.models import CountyUnion
feeds = [reverse("articles:feed")]
feeds += [reverse("articles:section-feed", args=[s.slug]) for s in Section.objects.all()]
feeds += [reverse("articles:county-feed", args=[c.slug]) for c in CountyUnion.objects.all()]
feeds += [reverse("articles:author-feed", args=[a.slug]) for a in Author.objects.all()[:5]]
for path in feeds:
    body = urllib.request.urlopen("'"$BASE"'" + path).read()
    channel = ET.fromstring(body).find("channel")
    items = channel.findall("item")
    for item in items:
        assert item.findtext("title") and item.findtext("link") and item.findtext("pubDate"), path
        assert "…" not in item.findtext("title") and "原图待补" not in body.decode()
    print(f"{path}: {len(items)} items, parsed")
'

echo "== Lighthouse (mobile)"
# Home, a section, an article, a photo item, a county, the search form and
# a results page (kept from crawlers on purpose: SEO marks them down), an issue.
for i in 0 12 10 11 15 1 2 7; do
  page=${PAGES[$i]}
  name=$(echo "$page" | tr -c 'a-zA-Z0-9' '-' | sed 's/^-*//;s/-*$//'); name=${name:-home}
  CHROME_PATH=/usr/bin/chromium "$TOOLS/node_modules/.bin/lighthouse" "$BASE$page" --quiet \
    --chrome-flags="--headless=new --no-sandbox" --output=json --output-path="$OUT/lighthouse-$name.json" \
    --only-categories=performance,accessibility,best-practices,seo >/dev/null 2>&1 || echo "lighthouse failed on $page"
  $PY -c '
import json, sys
report = json.load(open(sys.argv[1]))
scores = {k: round(v["score"] * 100) for k, v in report["categories"].items() if v["score"] is not None}
failed = [a["id"] for a in report["audits"].values() if a.get("score") is not None and a["score"] < 0.9 and a.get("scoreDisplayMode") == "binary"]
print(sys.argv[2], scores, ("failing: " + ", ".join(failed)) if failed else "")
' "$OUT/lighthouse-$name.json" "$page" 2>/dev/null || true
done
