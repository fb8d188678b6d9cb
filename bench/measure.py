"""What the bench commands share: a run in a fresh process, its CPU time and
peak memory."""

import resource
import subprocess
import sys


def in_fresh_process(command, *args):
    """The standard output of `manage.py command *args` in a new process."""
    return subprocess.run(
        [sys.executable, "manage.py", command, *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def cpu_seconds():
    """User plus system CPU time of this process, all threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def max_rss_mb():
    """Peak resident memory of this process in MB.

    ru_maxrss counts Pillow's pixel buffers, which tracemalloc cannot see.
    """
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
