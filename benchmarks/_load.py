"""The load harness of ``benchmarks.gateway``: a workload of requests, timed at a given
number of concurrent clients (threads), in a process of its own."""

from __future__ import annotations

import dataclasses
import multiprocessing
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests


@dataclasses.dataclass(frozen=True)
class Request_:
    """One HTTP request of the workload (method, path, query, body, headers)."""

    method: str
    path: str
    params: dict[str, str]
    body: dict[str, Any] | None
    headers: dict[str, str]


@dataclasses.dataclass(frozen=True)
class Run:
    latencies_ms: list[float]
    wall_seconds: float
    statuses: Counter[int]

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.wall_seconds

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def timed(work: Callable[[Any], int], items: list[Any], clients: int) -> Run:
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    feed: Iterator[Any] = iter(items)

    def client() -> None:
        while True:
            with lock:
                item = next(feed, None)
            if item is None:
                return
            started = time.perf_counter()
            status = work(item)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for _ in range(clients):
            pool.submit(client)
    return Run(latencies, time.perf_counter() - started, statuses)


def _over_http(base_url: str, workload: list[Request_], clients: int) -> Run:
    sessions = threading.local()

    def call(request: Request_) -> int:
        session = getattr(sessions, "session", None) or requests.Session()
        sessions.session = session
        response = session.request(
            request.method,
            f"{base_url}{request.path}",
            params=request.params,
            json=request.body,
            headers=request.headers,
            timeout=120,
        )
        return response.status_code

    return timed(call, workload, clients)


def over_http(base_url: str, workload: list[Request_], clients: int) -> Run:
    """The clients in a process of their own, as a browser or a test would be."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_over_http, (base_url, workload, clients))


def _merge(first: Run, second: Run) -> Run:
    return Run(
        first.latencies_ms + second.latencies_ms,
        first.wall_seconds + second.wall_seconds,
        first.statuses + second.statuses,
    )


def abba(
    side_a: Callable[[list[Request_]], Run],
    side_b: Callable[[list[Request_]], Run],
    source: Callable[[int], list[Request_]],
    half: int,
) -> tuple[Run, Run]:
    """A, B, B, A: whatever drifts during the run (the table grows with every booking)
    weighs on both sides alike."""
    a1 = side_a(source(half))
    b1 = side_b(source(half + 1))
    b2 = side_b(source(half + 1))
    a2 = side_a(source(half))
    return _merge(a1, a2), _merge(b1, b2)
