"""Throwaway PostgreSQL and Redis servers, and the app served against them.

The outage tests and make soak start, stop and remove these servers, never
the shared ones.
Ports come from the security range (8500-8599).
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def can_run_throwaway_postgres():
    """initdb refuses root, so root runs it as the postgres user."""
    if not (PG_BIN / "initdb").exists():
        return False
    return os.geteuid() != 0 or shutil.which("runuser") is not None


def wait_for_port(port, *, up=True, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.2)
            listening = sock.connect_ex(("127.0.0.1", port)) == 0
        if listening == up:
            return
        time.sleep(0.1)
    raise TimeoutError(f"port {port} did not go {'up' if up else 'down'}")


class ThrowawayPostgres:
    """A PostgreSQL 15 cluster in a temporary folder, on its own port."""

    def __init__(self, port):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
        self.data = self.dir / "data"
        self.url = f"postgres://postgres@127.0.0.1:{port}/newsroom_outage"

    def _run(self, *args):
        command = [str(PG_BIN / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def create(self):
        try:
            return self._create()
        except BaseException:
            self.destroy()
            raise

    def _create(self):
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale",
            "C.UTF-8",
        )
        self.start()
        self._run(
            "createdb",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "newsroom_outage",
        )
        return self

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.dir / "log"),
            "-w",
            "start",
        )
        wait_for_port(self.port)

    def stop(self):
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        wait_for_port(self.port, up=False)

    def destroy(self):
        try:
            self.stop()
        except (subprocess.CalledProcessError, TimeoutError):
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


class ThrowawayRedis:
    def __init__(self, port):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        wait_for_port(self.port, up=False)


def app_env(**extra):
    """Production settings on plain HTTP (as behind a TLS proxy)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="outage-test-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        CONN_MAX_AGE="600",
        LOG_LEVEL="CRITICAL",
    )
    env.update(extra)
    return env


def manage(*args, env):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return result


class AppServer:
    """The app under gunicorn (gunicorn.conf.py) with one sync worker, so
    its persistent database connection is reused, and health-checked,
    across requests. Static files are collected into a folder of its own."""

    def __init__(self, port, env):
        self.port = port
        self.static_root = Path(tempfile.mkdtemp(prefix="newsroom-static-"))
        self.env = env | {
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
            "ACCESS_LOG": "/dev/null",
            "STATIC_ROOT": str(self.static_root),
        }
        self.process = None

    def start(self):
        manage("collectstatic", "--noinput", "-v0", env=self.env)
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(
            [str(gunicorn), "-c", "gunicorn.conf.py", "newsroom.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, timeout=60)
        return self

    def processes(self):
        """Pids of the gunicorn master and its workers."""
        pids = [self.process.pid]
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def get(self, path, timeout=15):
        """(status, body) of a GET; error statuses are answers too."""
        url = f"http://127.0.0.1:{self.port}{path}"
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        shutil.rmtree(self.static_root, ignore_errors=True)
