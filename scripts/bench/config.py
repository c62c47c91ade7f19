"""What the harness and its children share: the clients' names, run sizes, a worker's configuration, errors."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
API_PREFIX = "/api/laml/2010-04-01"
CONFIG_ENV = "BENCH_CONFIG"

# Run order within a round: each SDK client right after the raw client it is compared with, so a
# ratio's two runs are seconds apart (this machine's speed drifts over a run).
CLIENTS: dict[str, str] = {
    "httpx_sync": "httpx.Client (raw)",
    "sw_sync": "signalwire_compat sync",
    "twilio": "twilio-python sync",
    "http_client": "http.client (stdlib)",
    "sw_async": "signalwire_compat async",
    "httpx_async": "httpx.AsyncClient (raw)",
    "aiohttp": "aiohttp.ClientSession (raw)",
    "sw_async_httpx": "signalwire_compat async on httpx's transport",
}
ASYNC_CLIENTS = frozenset({"sw_async", "sw_async_httpx", "httpx_async", "aiohttp"})
BASELINE = "httpx_sync"
# What each import/RSS probe imports: a package name -> the module users import.
PACKAGES = {"httpx": "httpx", "signalwire_compat": "signalwire_compat", "twilio": "twilio.rest"}


class BenchError(Exception):
    """A run that did not do what it should (wrong result, count mismatch, crash, timeout)."""


@dataclass(frozen=True)
class Params:
    rounds: int
    calls: int
    async_calls: int
    concurrency: int
    warmup: int
    import_runs: int
    rss_runs: int
    worker_timeout: float


FULL = Params(
    rounds=9, calls=1500, async_calls=1000, concurrency=50, warmup=200, import_runs=7, rss_runs=3, worker_timeout=120.0
)
QUICK = Params(
    rounds=2, calls=300, async_calls=200, concurrency=50, warmup=50, import_runs=3, rss_runs=1, worker_timeout=60.0
)


@dataclass(frozen=True)
class WorkerConfig:
    """Everything a child needs; passed in the environment (``BENCH_CONFIG``), not on the command line."""

    port: int
    project_id: str
    api_token: str
    call_sid: str
    stream_sid: str
    calls: int = 0
    warmup: int = 0
    concurrency: int = 1

    @property
    def account_sid(self) -> str:
        return self.project_id  # the SDK's default: {AccountSid} is the project id

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def stream_path(self) -> str:
        return f"{API_PREFIX}/Accounts/{self.account_sid}/Calls/{self.call_sid}/Streams/{self.stream_sid}"

    @property
    def stream_url(self) -> str:
        return self.base_url + self.stream_path

    def to_env(self) -> dict[str, str]:
        return {**child_env(), CONFIG_ENV: json.dumps(asdict(self))}

    @classmethod
    def from_env(cls) -> WorkerConfig:
        return cls(**json.loads(os.environ[CONFIG_ENV]))


def child_env() -> dict[str, str]:
    """This environment minus proxies and SignalWire settings, with the repository root on the path so that a
    child can run ``python -m scripts.bench.worker`` (or ``scripts.bench.server``) however and wherever the
    harness itself was started."""
    dropped = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
    env = {k: v for k, v in os.environ.items() if k.lower() not in dropped and not k.startswith("SIGNALWIRE_")}
    env.pop(CONFIG_ENV, None)
    env["NO_PROXY"] = "127.0.0.1,localhost"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    return env
