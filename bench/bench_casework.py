"""Benchmark of casework on 100,000 demo children (pages, API, saving an identification).

Builds a throw-away database (a SQLite file in a temporary directory; when
``DATABASE_URL`` names a PostgreSQL server, a new database on it, dropped at
the end), fills it with ``himaya.cases.demo.seed_demo`` and measures:

- in process, with Django's test Client (server time, no network), each over
  ``--requests`` requests, mean and p95: the case list page (``cases:list``)
  of the supervisor of the largest region, the API list ``GET /api/cases/``
  (bearer token), the case page (``cases:detail``, a different case each
  time), and saving an identification with its classification
  (``services.identification_record``);
- over loopback, with gunicorn (two worker processes): ``GET /api/cases/{id}``
  for ``--seconds`` seconds from a few client threads with keep-alive
  connections, then the same against the least a read of a case must do (token,
  scope, audit entry: ``least_read_view``) and against a bare Django view (the
  framework's ceiling on this machine); both mounted only here, see
  ``bare_application``.

A measurement whose URL does not resolve (pages still being written) is
skipped with a message. DEBUG is off. Targets: list page p95 ≤ 150 ms, case
page and save p95 ≤ 50 ms, API ≥ 400 requests/s.

    .venv/bin/python bench/bench_casework.py [--children 100000] [--requests 200] [--seconds 10]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/bench_casework.py
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
TARGETS_MS = {"case_list_page": 150.0, "case_page": 50.0, "identification_save": 50.0}
API_TARGET_PER_SECOND = 400.0

# --- The gunicorn app with a bare view (imported by gunicorn, before Django is set up) ---


def bare_view(request: Any) -> Any:
    from django.http import HttpResponse

    return HttpResponse(b'{"status": "ok"}', content_type="application/json")


def least_read_view(request: Any, case_id: int) -> Any:
    """The least any read of a case must do: the API's token check, the user's scope
    (the selector) and the audit entry, a few columns returned. Whatever the case page
    or the API read adds costs more than this."""
    import json

    from django.http import Http404, HttpResponse

    from himaya.accounts.services import api_token_user
    from himaya.audit.events import AuditEvent
    from himaya.audit.services import audit_record
    from himaya.cases.selectors import case_visible_to

    user = api_token_user(request.headers.get("Authorization", "").removeprefix("Bearer "))
    if user is None:
        raise Http404
    row = case_visible_to(user).filter(pk=case_id).values("id", "child_id", "status").first()
    if row is None:
        raise Http404
    audit_record(event=AuditEvent.CASE_VIEWED, actor=user, child_id=row["child_id"])
    return HttpResponse(json.dumps(row), content_type="application/json")


urlpatterns: list[Any] = []


def bare_application() -> Any:
    """Himaya's WSGI application whose URLconf is this module: Himaya's URLs plus
    ``/bench/bare`` (same middleware, no database, nothing rendered) and
    ``/bench/least/<id>`` (:func:`least_read_view`)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "himaya.config.settings")
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from django.urls import path

    handler = get_wsgi_application()
    from himaya.config.urls import urlpatterns as himaya_urls

    urlpatterns[:] = [
        path("bench/bare", bare_view),
        path("bench/least/<int:case_id>", least_read_view),
        *himaya_urls,
    ]
    settings.ROOT_URLCONF = __name__
    return handler


# --- The throw-away database ----------------------------------------------------------


@contextmanager
def throwaway_database() -> Iterator[str]:
    """Point the settings at a new database; yield its description; remove it at the end."""
    folder = Path(tempfile.mkdtemp(prefix="himaya-bench-"))
    os.environ["HIMAYA_VAR_DIR"] = str(folder)
    url = os.environ.get("DATABASE_URL", "")
    try:
        if not url:
            yield f"SQLite {folder / 'himaya.sqlite3'}"
            return
        import psycopg

        name = f"himaya_bench_{os.getpid()}"
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        parts = urlsplit(url)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
        try:
            yield f"PostgreSQL database {name} on {parts.hostname}:{parts.port}"
        finally:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            os.environ["DATABASE_URL"] = url
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def configure() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "himaya.config.settings"
    os.environ["HIMAYA_DEBUG"] = "0"
    os.environ["HIMAYA_SECRET_KEY"] = secrets.token_urlsafe(40)
    os.environ["HIMAYA_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["HIMAYA_SECURE_COOKIES"] = "0"
    os.environ.setdefault("HIMAYA_LOG_LEVEL", "WARNING")


# --- Measuring -------------------------------------------------------------------------


@dataclass
class Timing:
    name: str
    durations: list[float]
    queries: int | None = None
    note: str = ""

    def line(self) -> str:
        values = sorted(self.durations)
        mean = statistics.mean(values) * 1e3
        p95 = values[max(0, int(len(values) * 0.95) - 1)] * 1e3
        target = TARGETS_MS.get(self.name)
        verdict = ""
        if target is not None:
            verdict = f"; target p95 ≤ {target:.0f} ms: {'ok' if p95 <= target else 'MISSED'}"
        queries = f", {self.queries} SQL queries" if self.queries is not None else ""
        note = f", {self.note}" if self.note else ""
        return (
            f"{self.name}: mean {mean:.1f} ms, p95 {p95:.1f} ms "
            f"({len(values)} requests{queries}{note}{verdict})"
        )


def measure(name: str, calls: list[Callable[[], Any]], note: str = "") -> Timing | None:
    """Time each call (after two warm-up calls, one of them counting the SQL
    queries); None (with a message) if a request fails."""
    from django.db import connection

    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    calls[0]()
    with connection.execute_wrapper(count):
        calls[0]()
    durations = []
    for call in calls:
        start = time.perf_counter()
        result = call()
        durations.append(time.perf_counter() - start)
        status = getattr(result, "status_code", 200)
        if status != 200:
            print(f"{name}: skipped, HTTP {status}")
            return None
    return Timing(name, durations, queries, note)


def url_or_skip(name: str, make: Callable[[], str]) -> str | None:
    from django.urls import NoReverseMatch, Resolver404, resolve

    try:
        url = make()
        resolve(url.split("?")[0])
    except (NoReverseMatch, Resolver404) as missing:
        print(f"{name}: skipped, its URL does not resolve yet ({type(missing).__name__})")
        return None
    return url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(app: str) -> Iterator[int]:
    """Run ``app`` under gunicorn with two worker processes; yield its port."""
    binary = Path(sys.executable).with_name("gunicorn")
    port = free_port()
    command = [str(binary), "-w", "2", "-b", f"127.0.0.1:{port}", "--pythonpath", str(BENCH_DIR)]
    command += ["--log-level", "warning", app]
    server = subprocess.Popen(command, env=os.environ.copy())  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/api/health")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"gunicorn did not start ({app})")
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def hammer(port: int, paths: list[str], headers: dict[str, str], seconds: float) -> str:
    """GET the paths in turn from 4 threads with keep-alive connections; requests/s."""
    done, errors = [0] * 4, [0] * 4
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = index
        while time.monotonic() < stop:
            connection.request("GET", paths[i % len(paths)], headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                done[index] += 1
            else:
                errors[index] += 1
            if response.will_close:
                connection.close()
            i += 4

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    rate = sum(done) / elapsed
    return f"{rate:.0f} requests/s ({sum(done)} in {elapsed:.1f} s, {sum(errors)} errors)"


# --- The benchmark ------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    configure()
    with throwaway_database() as where:
        run(args, where)


def run(args: argparse.Namespace, where: str) -> None:
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, connections, transaction
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from himaya.accounts.models import OrganisationKind, User
    from himaya.accounts.services import api_token_create
    from himaya.cases import selectors, services
    from himaya.cases.demo import seed_demo
    from himaya.cases.models import Case
    from himaya.geography.models import Commune
    from himaya.geography.services import geography_load

    print(
        f"casework — {where}; {platform.node()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {date.today().isoformat()}, "  # noqa: DTZ011
        f"load average {os.getloadavg()[0]:.1f}"
    )
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    geography_load()
    print(f"geography_load: {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    with transaction.atomic():
        report = seed_demo(
            children=args.children, seed=args.seed, password_hash=make_password(secrets.token_hex())
        )
    print(f"seed_demo: {time.perf_counter() - start:.1f} s for {report.summary()}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would soon after such a load

    region = (
        Case.objects.filter(organisation__kind=OrganisationKind.ASSOCIATION)
        .values("region_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("region_id", flat=True)
        .first()
    )
    supervisor = User.objects.get(username=f"supervisor-{region}")
    worker = User.objects.get(username=f"worker-{region}")
    visible = selectors.case_visible_to(supervisor)
    case_ids = list(visible.values_list("id", flat=True))
    rng = random.Random(args.seed)  # noqa: S311
    sample = [rng.choice(case_ids) for _ in range(args.requests)]
    scope = f"supervisor-{region}, {len(case_ids):,} cases"
    print(f"scope: {scope}")

    client = Client()
    client.force_login(supervisor)
    key = api_token_create(user=supervisor, name="bench")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    results: list[Timing | None] = []

    with translation.override("fr"):
        list_url = url_or_skip("case_list_page", lambda: reverse("cases:list"))
        detail_url = url_or_skip("case_page", lambda: reverse("cases:detail", args=[sample[0]]))
    if list_url:
        results.append(
            measure(
                "case_list_page",
                [lambda: client.get(list_url)] * args.requests,
                f"{list_url}, first page, {scope}",
            )
        )
    api_list = url_or_skip("api_case_list", lambda: "/api/cases/")
    if api_list:
        results.append(
            measure(
                "api_case_list",
                [lambda: client.get(api_list, **bearer)] * args.requests,
                f"{api_list}, {scope}",
            )
        )
    api_detail = url_or_skip("api_case_read", lambda: f"/api/cases/{sample[0]}")
    if api_detail:
        results.append(
            measure(
                "api_case_read",
                [lambda pk=pk: client.get(f"/api/cases/{pk}", **bearer) for pk in sample],
                "GET /api/cases/{id}, a different case each time",
            )
        )
    if detail_url:
        with translation.override("fr"):
            urls = [reverse("cases:detail", args=[pk]) for pk in sample]
        results.append(
            measure(
                "case_page",
                [lambda url=url: client.get(url) for url in urls],
                "a different case each time",
            )
        )
    communes = list(
        Commune.objects.filter(region_id=region).values_list("code", flat=True)[: args.requests]
    )
    today = services.today()

    def identify(n: int) -> Callable[[], Any]:
        def call() -> Any:
            return services.identification_record(
                actor=worker,
                household=services.HouseholdIn(
                    commune=communes[n % len(communes)], guardian_name="Fatima Bench"
                ),
                child=services.ChildIn(
                    first_name_ar="يوسف",
                    family_name_ar="الاختبار",
                    first_name_latin="Youssef",
                    family_name_latin="Bench",
                    sex="M",
                    birth_date=date(today.year - 14, 3, 1),
                ),
                observation=services.ObservationIn(
                    observed_on=today,
                    economic_hours_week=30.0,
                    sector="agriculture",
                    hazards=["pesticides_chemicals"],
                ),
            )

        return call

    results.append(
        measure(
            "identification_save",
            [identify(n) for n in range(args.requests)],
            "household, child, classified observation, case, audit",
        )
    )
    for result in results:
        if result is not None:
            print(result.line())

    # Throughput over loopback, two gunicorn worker processes.
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        print(
            "api_case_read_throughput: skipped, gunicorn is not installed (pip install -e .[dev])"
        )
        return
    connections.close_all()
    headers = {"Authorization": f"Bearer {key}", "Connection": "keep-alive"}
    if api_detail:
        with gunicorn("himaya.config.wsgi:application") as port:
            rate = hammer(port, [f"/api/cases/{pk}" for pk in sample], headers, args.seconds)
        verdict = "ok" if float(rate.split()[0]) >= API_TARGET_PER_SECOND else "MISSED"
        print(
            f"api_case_read_throughput: {rate}, GET /api/cases/{{id}}, 2 gunicorn workers, "
            f"4 client threads; target ≥ {API_TARGET_PER_SECOND:.0f}/s: {verdict}"
        )
    with gunicorn("bench_casework:bare_application()") as port:
        rate = hammer(port, [f"/bench/least/{pk}" for pk in sample], headers, args.seconds)
        print(
            f"least_case_read_throughput: {rate}, token, scoped query, audit entry "
            "(the floor of any read of a case)"
        )
        rate = hammer(port, ["/bench/bare"], {"Connection": "keep-alive"}, args.seconds)
    print(f"bare_django_view_throughput: {rate}, same server set-up (the ceiling)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
