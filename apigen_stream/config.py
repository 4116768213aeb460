"""Configuration: one TOML file plus environment overrides, built once at the entry point.

The core never reads the environment: ``load_config`` does, and hands a frozen ``Config`` on.
Overrides: ``APIGEN__<SECTION>__<KEY>=value`` (e.g. ``APIGEN__KAFKA__BOOTSTRAP=127.0.0.1:9092``),
and the standard ``OPENAI_API_KEY`` and ``OPENAI_BASE_URL``. Secrets come only from the
environment or from files named in the config (a secret written in the TOML is refused);
``Config`` never prints them. Every number is checked against its range when the file is loaded
(``Positive``, ``NonNegative``, ...): a value that would make a stage misbehave (no concurrency,
a negative timeout) is one clear error at start-up, not a silent failure later.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec

from apigen_stream.errors import ConfigError

# Ranges of the numbers below, checked by msgspec as the configuration is converted.
Positive = Annotated[int, msgspec.Meta(ge=1)]
NonNegative = Annotated[int, msgspec.Meta(ge=0)]
Seconds = Annotated[float, msgspec.Meta(gt=0)]
NonNegativeSeconds = Annotated[float, msgspec.Meta(ge=0)]
Weight = Annotated[float, msgspec.Meta(ge=0)]
Port = Annotated[int, msgspec.Meta(ge=0, le=65535)]
# Below this a sandbox worker cannot even start its interpreter.
MIN_SANDBOX_MEMORY_MB = 64
# What a sandbox template may hold beyond a call's memory_mb by default: the harvested
# library's packages imported side by side (about 600 MB) with room to spare.
TEMPLATE_ROOM_MB = 1536


class KafkaConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """How stages reach Kafka; an empty ``bootstrap`` means embedded mode (no Kafka)."""

    bootstrap: str = ""
    delivery: Literal["exactly_once", "at_least_once"] = "exactly_once"
    # Records fetched per poll: large enough to amortise a transaction, small enough that a batch
    # of LLM calls finishes well inside max_poll_interval_ms.
    batch_size: Positive = 200
    # Records handled at once within a batch (LLM and execution are I/O-bound).
    concurrency: Positive = 32
    # Pause fetching above this many records in flight: backpressure on a saturated stage.
    max_in_flight: Positive = 1000
    max_poll_interval_ms: Positive = 300_000
    session_timeout_ms: Positive = 10_000
    transaction_timeout_ms: Positive = 60_000
    # Seconds to wait for the broker at start-up before one clear error line.
    connect_timeout_s: Seconds = 15.0
    client_id_prefix: str = "apigen"
    # Seconds SIGTERM waits for in-flight batches to finish and commit before abandoning them
    # (abandoned work is redone by the next owner): well inside a pod's termination grace.
    drain_timeout_s: NonNegativeSeconds = 20.0
    # Attempts of a handler raising a retriable error before the record is dead-lettered.
    handler_attempts: Positive = 3
    # Backoff before retry n is uniform in [0, min(retry_backoff_max_s, retry_backoff_s * 2**n)]
    # (full jitter), for retriable handler errors and transient broker errors alike.
    retry_backoff_s: NonNegativeSeconds = 0.2
    retry_backoff_max_s: NonNegativeSeconds = 10.0
    # Static group membership (group_instance_id from --replica-id or the host name): a replica
    # restarted within session_timeout_ms gets its partitions back at once, without a rebalance.
    # The price: a replica stopped for good holds its partitions until the session times out.
    static_membership: bool = True
    # Seconds one record's handling may take; past it the record is rejected with
    # ``deadline_exceeded`` and the stage goes on (LLM stages retry for minutes, hence the size).
    record_deadline_s: Seconds = 300.0
    # The producers' maximum request size; every output is fitted to it, or to a written
    # topic's smaller ``max.message.bytes`` (read at start-up), before it is sent (a larger
    # one becomes a ``too_large`` dead letter).
    max_request_bytes: Annotated[int, msgspec.Meta(ge=4096)] = 1_048_576


class FormatConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The format check runs in child processes, so that no check can hold the event loop."""

    # Child processes running checks (each takes one record at a time).
    workers: Positive = 1
    # Seconds one record's check may take; past it the child is killed, the record rejected
    # with ``deadline_exceeded``, and a new child takes the next record.
    timeout_s: Seconds = 2.0


class ModelConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One model at the endpoint, with its share of the requests."""

    name: str
    weight: Weight = 1.0
    temperature: Annotated[float, msgspec.Meta(ge=0, le=2)] = 0.7
    # Completion tokens this model may write per request (0: the role's default below).
    max_tokens: NonNegative = 0
    # Prices per million tokens, for cost accounting and ``llm.budget_cost`` (0: free).
    price_prompt: Annotated[float, msgspec.Meta(ge=0)] = 0.0
    price_completion: Annotated[float, msgspec.Meta(ge=0)] = 0.0


class LLMConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The OpenAI-compatible endpoint; no ``api_key`` and no ``base_url`` means offline mode."""

    base_url: str = ""
    api_key: str = ""
    api_key_file: str = ""
    generators: list[ModelConfig] = []
    judges: list[ModelConfig] = []
    # Generator requests in flight per replica: the server's capacity, not ours, is the limit.
    concurrency: Positive = 16
    # Judge requests in flight per replica (0: as many as ``concurrency``). Each role has its own
    # limit: in the embedded run both roles share one server, so it sees up to the sum.
    judge_concurrency: NonNegative = 0
    # Seconds one attempt may take; a task's requests, retries included, end by task_deadline_s.
    timeout_s: Seconds = 120.0
    task_deadline_s: Seconds = 300.0
    max_retries: NonNegative = 4
    # Completion tokens per request: the generator's grow with the pairs asked for.
    generator_max_tokens_base: Positive = 64
    generator_max_tokens_per_pair: Positive = 256
    judge_max_tokens: Positive = 256
    # The first response format tried: a JSON Schema built from the task (json_schema), JSON
    # mode (json_object) or none (text). A server that refuses one is asked with the next.
    response_format: Literal["json_schema", "json_object", "text"] = "json_schema"
    # Circuit breaker: opens when failure_ratio of the last breaker_window requests failed
    # (at least 5 of them); then requests wait and the endpoint is probed every breaker_probe_s.
    breaker_window: Annotated[int, msgspec.Meta(ge=5)] = 20
    breaker_failure_ratio: Annotated[float, msgspec.Meta(gt=0, le=1)] = 0.6
    breaker_probe_s: Seconds = 2.0
    # Seconds the start-up check waits for the endpoint; a slower answer is "busy", not down.
    check_timeout_s: Seconds = 10.0
    # Stop sampling new tasks once this many tokens (prompt + completion, both roles) or this
    # cost (from the models' prices) is spent; started tasks still finish. 0: no budget.
    budget_tokens: NonNegative = 0
    budget_cost: Annotated[float, msgspec.Meta(ge=0)] = 0.0
    # Backoff before retry n is uniform in [0, min(backoff_max_s, backoff_s * 2**n)] (full
    # jitter): replicas that failed together do not retry together.
    backoff_s: NonNegativeSeconds = 0.5
    backoff_max_s: NonNegativeSeconds = 20.0
    # Pairs asked of the generator per request.
    pairs_per_request: Positive = 3
    # Judges in the semantic committee; the majority decides.
    committee: Positive = 1

    @property
    def online(self) -> bool:
        """Whether an LLM endpoint is configured."""
        return bool(self.base_url or self.api_key)

    def __repr__(self) -> str:  # never print the key
        return f"LLMConfig(base_url={self.base_url!r}, api_key={'***' if self.api_key else ''!r})"


class SamplerConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What tasks to emit, how many and how fast."""

    seed: int = 0
    # style -> weight; irrelevance is beyond the paper, so it gets a small share by default.
    styles: dict[str, Weight] = msgspec.field(
        default_factory=lambda: {
            "simple": 0.3,
            "multiple": 0.25,
            "parallel": 0.2,
            "parallel_multiple": 0.15,
            "irrelevance": 0.1,
        }
    )
    apis_min: Positive = 2
    apis_max: Positive = 5
    # Share of single-API tasks (simple, parallel) that also offer one to three tools of the
    # same category which the request does not need: a model learns to pick, not just to call.
    distractor_share: Annotated[float, msgspec.Meta(ge=0, le=1)] = 0.5
    examples_min: NonNegative = 1
    examples_max: NonNegative = 3
    categories: list[str] = []
    # Category -> weight of drawing it (empty: the paper's shares); a category not named, or
    # weighed 0, is not drawn.
    category_weights: dict[str, float] = {}
    # Tasks per second (0: as fast as the pipeline takes them).
    rate: Weight = 0.0
    # Tasks in all (0: no end).
    count: NonNegative = 0

    def __post_init__(self) -> None:
        # msgspec turns a ValueError here into a validation error naming the section.
        if self.apis_min > self.apis_max:
            raise ValueError(f"apis_min {self.apis_min} is above apis_max {self.apis_max}")
        if self.examples_min > self.examples_max:
            raise ValueError(
                f"examples_min {self.examples_min} is above examples_max {self.examples_max}"
            )


# Host secrets no tool reads; ``sandbox.hidden_paths`` adds the deployment's own to these.
HIDDEN_PATHS = (
    "/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/apigen", "/run/secrets",
    "/var/run/secrets",
)  # fmt: skip


class SandboxConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Limits of the execution sandbox, per call."""

    workers: Positive = 2
    timeout_s: Seconds = 5.0
    # Address space a call may add to what its process held when the call's fork was made.
    memory_mb: Annotated[int, msgspec.Meta(ge=MIN_SANDBOX_MEMORY_MB)] = 512
    # Address-space cap of a worker's template (isolation "batch" or "call"), which imports the
    # tools of every batch it forks for and runs none: room for ~55 harvested packages side by
    # side (about 600 MB) plus a fork's ``memory_mb``. A template that leaves a fork less than
    # ``memory_mb`` under it retires and a fresh one takes its place. 0: ``memory_mb`` plus
    # ``TEMPLATE_ROOM_MB`` (2048 with the default), so a larger ``memory_mb`` alone still works.
    template_memory_mb: NonNegative = 0
    cpu_s: Seconds = 10.0
    max_result_bytes: Positive = 1_000_000
    # Characters of a result the judge sees.
    judge_result_chars: NonNegative = 2_000
    # Hosts REST tools may call; empty allows none.
    rest_allowlist: list[str] = []
    # Trusted modules each worker imports before it locks down: croniter shells out at import.
    preload: list[str] = msgspec.field(default_factory=lambda: ["croniter"])
    # Each execute-stage worker runs one seed call of every library tool before it takes work
    # (and the stage before it reports ready): data loaded inside first calls is loaded then.
    warm_up: bool = True
    rest_timeout_s: Seconds = 10.0
    # Where calls run: "batch", a fresh fork of a warmed template per batch of calls; "call", a
    # fresh fork per call; "process", one long-lived process per worker (no fork, fastest).
    isolation: Literal["batch", "call", "process"] = "batch"
    # With isolation "batch", where calls of users' tools (configured Python modules) run:
    # "batch", sharing forks like the reviewed built-in and harvested tools do; or "call", a
    # fork of their own each, so that no call can forge another's result (for untrusted tools:
    # a fork per call costs about 20-150 calls/s per worker).
    user_isolation: Literal["batch", "call"] = "batch"
    # The unprivileged user and group workers started as root drop to (65534: nobody/nogroup).
    uid: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)] = 65534
    gid: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)] = 65534
    # Size of the private scratch directory (a tmpfs at /tmp inside the sandbox).
    scratch_mb: Annotated[int, msgspec.Meta(ge=1, le=4096)] = 64
    # Paths tools may not read besides HIDDEN_PATHS (put the service's config and credential
    # files here): covered with empty ones inside the sandbox, and refused by the audit hook.
    hidden_paths: list[str] = []

    def __post_init__(self) -> None:
        if 0 < self.template_memory_mb < self.memory_mb:
            raise ValueError(
                f"template_memory_mb {self.template_memory_mb} is below memory_mb {self.memory_mb}"
            )

    @property
    def template_cap_mb(self) -> int:
        """The template's address-space cap in force (``template_memory_mb`` or its default)."""
        return self.template_memory_mb or self.memory_mb + TEMPLATE_ROOM_MB


class DedupConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """How much of what it has seen the dedup stage keeps (0: no bound)."""

    # Seen keys held per input partition; past it the oldest go. 2M is about 0.5 GB and well
    # under a minute to restore; a copy further back than that many samples passes.
    retain_keys: Annotated[int, msgspec.Meta(ge=0)] = 2_000_000
    # Seconds a seen key is kept.
    retain_s: Annotated[float, msgspec.Meta(ge=0)] = 0.0


class ServeConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Where /metrics, /healthz and /readyz are served (port 0: a free port)."""

    host: str = "127.0.0.1"
    port: Port = 0


class LibraryConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Which APIs the sampler draws from, beyond the built-in ones."""

    builtin: bool = True
    # The harvested library shipped with the package (probed functions of offline packages),
    # loaded with the built-ins (so not when ``builtin`` is false).
    harvested: bool = True
    python_modules: list[str] = []
    openapi_specs: list[str] = []
    # Spec path -> base URL, for specs whose ``servers`` URL is relative (or to override it).
    openapi_base_urls: dict[str, str] = {}
    # Security scheme name -> environment variable holding its credential (default: the
    # scheme name in upper snake case).
    openapi_auth_env: dict[str, str] = {}
    tool_files: list[str] = []
    # Further environment variables REST tools may use as credentials.
    credential_env: list[str] = []
    # Filled by ``load_config`` from the environment, for the variables named above; never logged.
    credentials: dict[str, str] = {}

    def __repr__(self) -> str:  # never print credentials
        return (
            f"LibraryConfig(python_modules={self.python_modules!r}, specs={self.openapi_specs!r})"
        )


class Config(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The whole configuration of one process."""

    kafka: KafkaConfig = KafkaConfig()
    format: FormatConfig = FormatConfig()
    dedup: DedupConfig = DedupConfig()
    llm: LLMConfig = LLMConfig()
    sampler: SamplerConfig = SamplerConfig()
    sandbox: SandboxConfig = SandboxConfig()
    serve: ServeConfig = ServeConfig()
    library: LibraryConfig = LibraryConfig()


ENV_PREFIX = "APIGEN__"


def load_config(path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Read ``path`` (TOML, optional) and apply the environment's overrides."""
    data: dict[str, Any] = {}
    if path is not None:
        data = _read_toml(Path(path))
        _refuse_secrets(data, path)
    environ = os.environ if env is None else env
    _apply_env(data, environ)
    try:
        config = msgspec.convert(data, Config, strict=False)
    except msgspec.ValidationError as exc:
        where = f"{path}: " if path else ""
        raise ConfigError(f"{where}invalid configuration: {exc}") from None
    return _with_credentials(_with_key_file(config), environ)


def checked(config: Config) -> Config:
    """``config`` with its ranges checked again, after command-line flags replaced values."""
    try:
        return msgspec.convert(msgspec.to_builtins(config), Config)
    except msgspec.ValidationError as exc:
        raise ConfigError(f"invalid option: {exc}") from None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except OSError as exc:  # a directory, no permission
        raise ConfigError(f"{path}: cannot read the config file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid TOML: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


# Secrets the TOML may not hold, and where they come from instead.
_SECRETS = {
    ("llm", "api_key"): "set OPENAI_API_KEY or APIGEN__LLM__API_KEY, or name a file in "
    "llm.api_key_file",
    ("library", "credentials"): "name environment variables in library.credential_env or "
    "library.openapi_auth_env",
}


def _refuse_secrets(data: Mapping[str, Any], path: str | Path) -> None:
    for (section, key), instead in _SECRETS.items():
        table = data.get(section)
        if isinstance(table, Mapping) and key in table:
            raise ConfigError(
                f"{path}: [{section}] {key}: secrets are not read from the config file; {instead}"
            )


def _apply_env(data: dict[str, Any], env: Mapping[str, str]) -> None:
    for name, value in env.items():
        if name.startswith(ENV_PREFIX):
            parts = name[len(ENV_PREFIX) :].lower().split("__")
            if len(parts) != 2:
                raise ConfigError(f"{name}: expected {ENV_PREFIX}<SECTION>__<KEY>")
            section, key = parts
            table = data.setdefault(section, {})
            if not isinstance(table, dict):
                raise ConfigError(f"{name}: [{section}] is not a table in the config file")
            table[key] = _parse_env_value(value)
    llm = data.setdefault("llm", {})
    if env.get("OPENAI_API_KEY") and not llm.get("api_key"):
        llm["api_key"] = env["OPENAI_API_KEY"]
    if env.get("OPENAI_BASE_URL") and not llm.get("base_url"):
        llm["base_url"] = env["OPENAI_BASE_URL"]


def _parse_env_value(value: str) -> Any:
    # TOML syntax for lists and numbers, a bare string otherwise.
    try:
        return tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        return value


def _with_key_file(config: Config) -> Config:
    if config.llm.api_key or not config.llm.api_key_file:
        return config
    try:
        key = Path(config.llm.api_key_file).read_text().strip()
    except OSError as exc:
        raise ConfigError(f"llm.api_key_file: cannot read: {exc.strerror}") from None
    return msgspec.structs.replace(config, llm=msgspec.structs.replace(config.llm, api_key=key))


def _with_credentials(config: Config, env: Mapping[str, str]) -> Config:
    library = config.library
    names = {*library.openapi_auth_env.values(), *library.credential_env}
    found = {name: env[name] for name in sorted(names) if name in env}
    if not found:
        return config
    merged = {**library.credentials, **found}
    return msgspec.structs.replace(
        config, library=msgspec.structs.replace(library, credentials=merged)
    )
