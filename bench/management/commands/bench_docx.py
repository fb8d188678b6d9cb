"""Time and peak memory to import a 30-page story with 20 pictures from Word."""

import io
import json
import os
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings
from PIL import Image, ImageDraw, ImageFilter

from articles.models import Section
from bench.measure import cpu_seconds, in_fresh_process, max_rss_mb
from wordimport.services import Upload, import_stories

PAGES, PICTURES = 30, 20
PARAGRAPHS_PER_PAGE = 8  # about 1,000 Chinese characters a page
PICTURE_SIZE = (2400, 1800)  # 4.3 megapixels: a phone photo as sent by WeChat
TARGET_SECONDS, TARGET_MB = 10.0, 500
SENTENCE = "县总工会深入基层走访一线职工，了解企业用工和职工技能培训情况，"


class Rollback(Exception):
    """Raised to undo the measured import."""


class Command(BaseCommand):
    help = "Benchmark: import a 30-page, 20-picture .docx story (time, peak memory)."

    def add_arguments(self, parser):
        # Internal: build the document, or measure one import, in a fresh process.
        parser.add_argument("--make-source", dest="make_source")
        parser.add_argument("--source")
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="print the result as one JSON line",
        )

    def handle(self, *args, source=None, make_source=None, as_json=False, **options):
        if make_source:
            Path(make_source).write_bytes(_document())
            return
        if source:
            self._measure(Path(source))
            return
        with tempfile.TemporaryDirectory(prefix="bench-docx-") as tmp:
            path = Path(tmp) / "story.docx"
            # Each step in its own process: Linux carries a parent's peak RSS
            # into its children, so the measuring one starts small.
            in_fresh_process("bench_docx", "--make-source", str(path))
            self.stdout.write(
                f"source: {PAGES} pages ({PAGES * PARAGRAPHS_PER_PAGE} paragraphs), "
                f"{PICTURES} JPEG pictures of {PICTURE_SIZE[0]}x{PICTURE_SIZE[1]}, "
                f"{path.stat().st_size / 2**20:.1f} MB .docx"
            )
            result = json.loads(
                in_fresh_process("bench_docx", "--source", str(path))
                .strip()
                .splitlines()[-1]
            )
        passed = result["seconds"] < TARGET_SECONDS and result["peak_mb"] < TARGET_MB
        if as_json:
            result.update(
                pages=PAGES,
                pictures=PICTURES,
                picture_size=f"{PICTURE_SIZE[0]}x{PICTURE_SIZE[1]}",
                cores=os.cpu_count(),
                target_seconds=TARGET_SECONDS,
                target_mb=TARGET_MB,
                met=passed,
            )
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            f"import (checks, read, {result['photos']} photos through the photo "
            f"pipeline with renditions, one draft, then rolled back): "
            f"{result['seconds']:.2f} s ({result['cpu_seconds']:.2f} s of CPU on "
            f"{os.cpu_count()} cores), peak RSS {result['peak_mb']:.0f} MB "
            f"({result['added_mb']:.0f} MB above the {result['baseline_mb']:.0f} MB "
            f"process at start)"
        )
        self.stdout.write(
            f"target: under {TARGET_SECONDS:.0f} s and under {TARGET_MB} MB: "
            + ("met" if passed else "NOT met")
        )

    def _measure(self, source):
        baseline = max_rss_mb()
        data = source.read_bytes()
        with tempfile.TemporaryDirectory(prefix="bench-docx-media-") as media:
            with override_settings(MEDIA_ROOT=media):
                started, cpu_started = time.perf_counter(), cpu_seconds()
                try:
                    with transaction.atomic():
                        section = Section.objects.create(name="基准测试栏目")
                        (article,) = import_stories(
                            uploads=[Upload("story.docx", data)],
                            by=None,
                            county=None,
                            section=section,
                        )
                        photos = article.gallery.count()
                        raise Rollback
                except Rollback:
                    pass
                seconds = time.perf_counter() - started
                cpu = cpu_seconds() - cpu_started
        peak = max_rss_mb()
        print(
            json.dumps(
                {
                    "seconds": seconds,
                    "cpu_seconds": cpu,
                    "photos": photos,
                    "peak_mb": peak,
                    "baseline_mb": baseline,
                    "added_mb": peak - baseline,
                }
            )
        )


def _document():
    from docx import Document
    from docx.shared import Cm

    document = Document()
    document.add_heading("县总工会开展职工技能提升行动纪实", level=1)
    document.add_paragraph("通讯员 王芳 刘静")
    picture_every = PAGES * PARAGRAPHS_PER_PAGE // PICTURES
    pictures = 0
    for number in range(PAGES * PARAGRAPHS_PER_PAGE):
        if number % 40 == 0:
            document.add_heading(f"第{number // 40 + 1}部分", level=2)
        document.add_paragraph(SENTENCE * 5 + f"第{number + 1}段。")
        if number % picture_every == 0 and pictures < PICTURES:
            pictures += 1
            document.add_paragraph().add_run().add_picture(
                io.BytesIO(_photo(pictures)), width=Cm(14)
            )
            document.add_paragraph(f"第{pictures}张图片：职工在技能培训现场。 张楠 摄")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _photo(seed):
    """A photo-like JPEG (soft shapes plus noise), different for each seed."""
    width, height = PICTURE_SIZE
    image = Image.linear_gradient("L").resize(PICTURE_SIZE).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i in range(12):
        x, y = (i * 577 + seed * 131) % width, (i * 313 + seed * 97) % height
        colour = ((i * 50 + seed) % 256, (i * 90) % 256, (i * 130 + seed * 7) % 256)
        draw.ellipse([x, y, x + 500, y + 400], fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(2))
    noise = Image.effect_noise(PICTURE_SIZE, 20).convert("RGB")
    image = Image.blend(image, noise, 0.15)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()
