"""Time and peak memory to turn one 24-megapixel JPEG into all renditions."""

import json
import statistics
import tempfile
import time
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand
from django.test import override_settings
from PIL import Image, ImageDraw, ImageFilter

from articles import images, photo_service
from articles.models import Photo
from bench.measure import in_fresh_process, max_rss_mb

WIDTH, HEIGHT = 6000, 4000  # 24 megapixels, a common camera size
TARGET_SECONDS, TARGET_MB = 2.0, 300


class Command(BaseCommand):
    help = "Benchmark: one 24-megapixel JPEG through upload checks and renditions."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=3)
        # Internal: measure one stage in this (fresh) process.
        parser.add_argument("--measure", choices=["upload", "renditions"])
        parser.add_argument("--make-source", dest="make_source")
        parser.add_argument("--source")

    def handle(self, *args, runs, measure=None, source=None, make_source=None, **opts):
        if make_source:
            _camera_jpeg(Path(make_source))
            return
        if measure:
            self._measure(measure, Path(source), runs)
            return
        with tempfile.TemporaryDirectory(prefix="bench-photos-") as tmp:
            source = Path(tmp) / "camera.jpg"
            # Every step runs in its own process, started from this small
            # one: Linux carries the peak RSS of a parent into its children.
            in_fresh_process("bench_photos", "--make-source", str(source))
            size_mb = source.stat().st_size / 1024 / 1024
            self.stdout.write(
                f"source: {WIDTH}x{HEIGHT} JPEG ({WIDTH * HEIGHT / 1e6:.0f} MP), "
                f"{size_mb:.1f} MB; renditions {images.RENDITION_WIDTHS} x "
                f"{[ext for ext, _mime in images.RENDITION_FORMATS]}; "
                f"median of {runs} runs, each stage in a fresh process"
            )
            ok = True
            for stage, label in [
                (
                    "upload",
                    "upload: check + decode + upright + strip + re-encode "
                    "original + all renditions",
                ),
                (
                    "renditions",
                    "renditions from the stored original "
                    "(photo_service.make_renditions)",
                ),
            ]:
                output = in_fresh_process(
                    "bench_photos",
                    "--measure",
                    stage,
                    "--source",
                    str(source),
                    "--runs",
                    str(runs),
                )
                result = json.loads(output.strip().splitlines()[-1])
                passed = (
                    result["seconds"] < TARGET_SECONDS and result["peak_mb"] < TARGET_MB
                )
                ok = ok and passed
                self.stdout.write(
                    f"{label}:\n  {result['seconds']:.2f} s (runs: "
                    f"{', '.join(f'{s:.2f}' for s in result['runs'])}), peak RSS "
                    f"{result['peak_mb']:.0f} MB ({result['added_mb']:.0f} MB above "
                    f"the {result['baseline_mb']:.0f} MB process at start) "
                    f"-> {'OK' if passed else 'OVER TARGET'}"
                )
            self.stdout.write(
                f"target: under {TARGET_SECONDS:.0f} s and under {TARGET_MB} MB: "
                + ("met" if ok else "NOT met")
            )

    def _measure(self, stage, source, runs):
        baseline = max_rss_mb()
        timings = []
        with (
            tempfile.TemporaryDirectory(prefix="bench-photos-media-") as media,
            override_settings(MEDIA_ROOT=media),
        ):
            stored = Photo()
            with source.open("rb") as handle:
                stored.image.save("stored.jpg", File(handle), save=False)
            for _run in range(runs):
                started = time.perf_counter()
                if stage == "upload":
                    with source.open("rb") as handle:
                        photo_service.store_files(
                            Photo(), File(handle, name=source.name)
                        )
                else:
                    photo_service.make_renditions(stored)
                timings.append(time.perf_counter() - started)
        peak = max_rss_mb()
        print(
            json.dumps(
                {
                    "seconds": statistics.median(timings),
                    "runs": timings,
                    "peak_mb": peak,
                    "baseline_mb": baseline,
                    "added_mb": peak - baseline,
                }
            )
        )


def _camera_jpeg(path):
    """A photo-like JPEG: soft shapes plus sensor noise, about 8-12 MB."""
    image = Image.linear_gradient("L").resize((WIDTH, HEIGHT)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i in range(40):
        x, y = (i * 977) % WIDTH, (i * 613) % HEIGHT
        colour = ((i * 50) % 256, (i * 90) % 256, (i * 130) % 256)
        draw.ellipse([x, y, x + 900, y + 700], fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(3))
    noise = Image.effect_noise((WIDTH, HEIGHT), 24).convert("RGB")
    image = Image.blend(image, noise, 0.25)
    image.save(path, "JPEG", quality=92)
