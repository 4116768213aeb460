"""A real single-node Kafka broker (KRaft) on loopback, without Docker.

``LocalKafka`` resolves a pinned Apache Kafka version's jars from Maven Central into a cache
directory, writes ``server.properties`` into a data directory, formats the storage, starts the
JVM and polls an admin client until the broker answers. The data directory holds everything
about one broker: its properties, its logs, a pid file and a bootstrap file, so that another
process (``apigen-stream kafka down``) can find and stop it by pid.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from apigen_stream.broker import files as broker_files
from apigen_stream.broker.admin import check_broker
from apigen_stream.errors import BrokerUnavailable, KafkaSetupError

# Environment variable naming the jar cache; read only by the CLI and the test fixtures.
CACHE_ENV = "APIGEN_KAFKA_CACHE"
# Heap: enough for the tests' and a laptop's traffic, small enough for a shared 2-core host.
HEAP_FLAGS = ("-Xms256m", "-Xmx768m")
# G1 with short pauses, as Kafka's own start script; headless skips AWT start-up.
JVM_FLAGS = ("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-Djava.awt.headless=true")
# The storage tool runs for a second: the client compiler and serial GC start fastest.
TOOL_JVM_FLAGS = ("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
# A cold JVM on a loaded 2-core host takes 5-15 s to answer; a minute means it will not.
START_TIMEOUT_S = 90.0
# Controlled shutdown of one node takes a few seconds; after this, SIGKILL.
STOP_GRACE_S = 20.0
# Resolving ~60 jars from Maven Central on a slow link.
MAVEN_TIMEOUT_S = 600.0
TAIL_LINES = 15
PID_FILE = "kafka.pid"
BOOTSTRAP_FILE = "bootstrap"


def default_cache_dir(env: Mapping[str, str], version: str = broker_files.KAFKA_VERSION) -> Path:
    """Where jars are cached: ``$APIGEN_KAFKA_CACHE``, else the user's cache directory
    (``$XDG_CACHE_HOME`` or ``~/.cache``) ``/apigen-stream/kafka-V``; never the package's own
    directory, which an installed wheel may not be able to write."""
    if env.get(CACHE_ENV):
        return Path(env[CACHE_ENV]).expanduser()
    # The XDG base directory spec: a relative value is invalid and must be ignored.
    xdg = Path(env.get("XDG_CACHE_HOME") or "relative")
    cache_home = xdg if xdg.is_absolute() else Path.home() / ".cache"
    return cache_home / "apigen-stream" / f"kafka-{version}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    """Whether a listener could bind 127.0.0.1:``port`` (as the JVM does, with SO_REUSEADDR)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def tail(path: Path, lines: int = TAIL_LINES) -> str:
    """The last lines of a text file, or a note that it does not exist."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"({path.name} not written)"
    return " | ".join(line.strip() for line in text.splitlines()[-lines:] if line.strip())


def fetch_jars(cache_dir: Path, version: str = broker_files.KAFKA_VERSION) -> Path:
    """The directory of the broker's jars, resolved with Maven once and cached."""
    libs = cache_dir / "libs"
    if (cache_dir / ".complete").exists():
        return libs
    mvn = shutil.which("mvn")
    if mvn is None:
        raise KafkaSetupError("Maven (mvn) is not installed: it is needed once to fetch Kafka")
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Two processes starting brokers at once (parallel test runs) fetch once between them.
    with (cache_dir / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (cache_dir / ".complete").exists():
            _run_maven(mvn, cache_dir, version)
    return libs


def _run_maven(mvn: str, cache_dir: Path, version: str) -> None:
    pom = cache_dir / "pom.xml"
    pom.write_text(broker_files.pom_xml(version))
    staging = cache_dir / "libs.partial"
    shutil.rmtree(staging, ignore_errors=True)
    command = [mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies"]
    command += [f"-DoutputDirectory={staging}", "-DincludeScope=runtime"]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=MAVEN_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        message = f"Maven did not fetch Kafka {version} within {MAVEN_TIMEOUT_S:g}s"
        raise KafkaSetupError(message) from None
    if done.returncode != 0 or not any(staging.glob("kafka_*.jar")):
        output = (done.stdout + done.stderr).strip().splitlines()[-TAIL_LINES:]
        raise KafkaSetupError(f"Maven could not fetch Kafka {version}: {' | '.join(output)}")
    shutil.rmtree(cache_dir / "libs", ignore_errors=True)
    staging.rename(cache_dir / "libs")
    (cache_dir / ".complete").write_text(version + "\n")


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        raise KafkaSetupError("Java is not installed: Kafka needs a Java 11+ runtime (java)")
    return java


class LocalKafka:
    """One Kafka node in ``data_dir``, listening on 127.0.0.1:``port`` (0: a free port)."""

    def __init__(
        self,
        data_dir: Path,
        *,
        port: int = 0,
        cache_dir: Path | None = None,
        version: str = broker_files.KAFKA_VERSION,
    ) -> None:
        self.data_dir = data_dir.resolve()
        self.version = version
        self.cache_dir = cache_dir or default_cache_dir({}, version)
        self._requested_port = port
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def properties_file(self) -> Path:
        """The broker's ``server.properties``, kept across restarts."""
        return self.data_dir / "server.properties"

    @property
    def log_file(self) -> Path:
        """The broker's own log (``server.log``)."""
        return self.data_dir / "logs" / "server.log"

    @property
    def port(self) -> int:
        """The broker's port: fixed when the data directory was first set up."""
        props = broker_files.parse_properties(self.properties_file.read_text())
        return broker_files.listener_ports(props)[0]

    @property
    def bootstrap(self) -> str:
        """``127.0.0.1:PORT``, the address clients bootstrap from."""
        return f"127.0.0.1:{self.port}"

    def pid(self) -> int | None:
        """The pid of this data directory's broker if it is running, else None."""
        try:
            pid = int((self.data_dir / PID_FILE).read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if _is_our_broker(pid, self.properties_file) else None

    def start(self, timeout_s: float = START_TIMEOUT_S) -> str:
        """Start the broker (set up and format on first use); return its bootstrap address."""
        if self.pid() is not None:
            return self.bootstrap
        if self._requested_port and not port_is_free(self._requested_port):
            raise KafkaSetupError(f"port {self._requested_port} on 127.0.0.1 is busy")
        libs = fetch_jars(self.cache_dir, self.version)
        java = _java()
        if not self.properties_file.exists():
            self._set_up(java, libs)
        elif self._requested_port and self._requested_port != self.port:
            raise KafkaSetupError(
                f"{self.data_dir} holds a broker on port {self.port}, not {self._requested_port}"
            )
        self._check_ports_free()
        self._launch(java, libs)
        self._wait_ready(timeout_s)
        (self.data_dir / BOOTSTRAP_FILE).write_text(self.bootstrap + "\n")
        return self.bootstrap

    def stop(self, grace_s: float = STOP_GRACE_S) -> None:
        """Stop the broker by pid: SIGTERM, then SIGKILL after ``grace_s``. Idempotent."""
        pid = self.pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            if not self._wait_exit(pid, grace_s):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                self._wait_exit(pid, grace_s)
        for name in (PID_FILE, BOOTSTRAP_FILE):
            (self.data_dir / name).unlink(missing_ok=True)
        self._process = None

    def kill(self) -> None:
        """SIGKILL the broker at once (a crash, for chaos tests); data stays as it was."""
        pid = self.pid()
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            self._wait_exit(pid, STOP_GRACE_S)
        self._process = None

    def detach(self) -> None:
        """Let the broker outlive this process (``kafka up``); ``stop`` still finds it by pid."""
        if self._process is not None:
            # Popen warns when the handle of a running child is collected; this child is meant
            # to keep running, and init reaps it once this process has exited.
            self._process.returncode = 0
            self._process = None

    def restart(self, timeout_s: float = START_TIMEOUT_S) -> str:
        """Stop and start again on the same port with the same data."""
        self.stop()
        return self.start(timeout_s)

    def _set_up(self, java: str, libs: Path) -> None:
        controller_port = free_port()
        port = self._requested_port or _free_port_except(controller_port)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / "logs").mkdir(exist_ok=True)
        (self.data_dir / "log4j.properties").write_text(broker_files.LOG4J_PROPERTIES)
        text = broker_files.server_properties(port, controller_port, self.data_dir / "kraft")
        self.properties_file.write_text(text)
        command = [java, *TOOL_JVM_FLAGS, *self._logging_flags(), "-cp", f"{libs}/*"]
        command += ["kafka.tools.StorageTool", "format", "--ignore-formatted"]
        command += ["-t", broker_files.random_cluster_id(), "-c", str(self.properties_file)]
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
        if done.returncode != 0:
            self.properties_file.unlink()
            output = (done.stdout + done.stderr).strip().splitlines()[-TAIL_LINES:]
            raise KafkaSetupError(f"formatting Kafka storage failed: {' | '.join(output)}")

    def _logging_flags(self) -> list[str]:
        return [
            f"-Dlog4j.configuration=file:{self.data_dir / 'log4j.properties'}",
            f"-Dkafka.logs.dir={self.data_dir / 'logs'}",
        ]

    def _check_ports_free(self) -> None:
        props = broker_files.parse_properties(self.properties_file.read_text())
        for port in broker_files.listener_ports(props):
            if not port_is_free(port):
                raise KafkaSetupError(f"port {port} on 127.0.0.1 is busy")

    def _launch(self, java: str, libs: Path) -> None:
        command = [java, *HEAP_FLAGS, *JVM_FLAGS, *self._logging_flags(), "-cp", f"{libs}/*"]
        command += ["kafka.Kafka", str(self.properties_file)]
        with (self.data_dir / "logs" / "kafka.out").open("ab") as out:
            # A new session: the broker outlives `kafka up` and ignores the terminal's Ctrl-C.
            self._process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=out, stderr=out, start_new_session=True
            )
        (self.data_dir / PID_FILE).write_text(f"{self._process.pid}\n")

    def _wait_ready(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            assert self._process is not None
            if self._process.poll() is not None:
                (self.data_dir / PID_FILE).unlink(missing_ok=True)
                raise KafkaSetupError(f"Kafka did not start: {self._failure_log()}")
            left = deadline - time.monotonic()
            if left <= 0:
                self.stop()
                raise KafkaSetupError(
                    f"Kafka did not answer within {timeout_s:g}s: {self._failure_log()}"
                )
            # Short attempts so that a JVM that died is noticed within a second.
            if _answers(self.bootstrap, min(left, 1.0)):
                return

    def _failure_log(self) -> str:
        out = tail(self.data_dir / "logs" / "kafka.out", 5)
        return f"{tail(self.log_file)} | {out}"

    def _wait_exit(self, pid: int, timeout_s: float) -> bool:
        if self._process is not None and self._process.pid == pid:
            try:
                self._process.wait(timeout=timeout_s)  # our child: wait on it (and reap it)
            except subprocess.TimeoutExpired:
                return False
            return True
        deadline = time.monotonic() + timeout_s
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)  # polling a process we do not parent: no handle to wait on
        return not _alive(pid)


def _answers(bootstrap: str, timeout_s: float) -> bool:
    # A thread of its own, so that callers inside an event loop (async tests restarting the
    # broker from a worker thread or not) never nest asyncio.run.
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(asyncio.run, check_broker(bootstrap, timeout_s))
        try:
            future.result()
        except BrokerUnavailable:
            return False
    return True


def _free_port_except(taken: int) -> int:
    return next(port for port in _free_ports() if port != taken)


def _free_ports() -> Iterator[int]:
    while True:
        yield free_port()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def _is_our_broker(pid: int, properties_file: Path) -> bool:
    """Whether ``pid`` is alive and (where /proc tells) runs this very properties file.

    The check keeps ``stop`` from signalling an unrelated process that reused a stale pid.
    """
    if not _alive(pid):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return True
    return str(properties_file).encode() in cmdline
