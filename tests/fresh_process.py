"""Run a snippet of Python in a fresh process with the project's settings:
for what settings.py and start-up decide from the environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def output_of(code, env, *, drop=()):
    """Standard output of `code` run in a fresh process from the project
    folder, with this process's environment minus `drop`, plus `env`."""
    environ = {key: value for key, value in os.environ.items() if key not in drop}
    environ.update(DJANGO_SETTINGS_MODULE="newsroom.settings", **env)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout
