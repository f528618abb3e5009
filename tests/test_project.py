"""The project's own promises: migrations match the models, docker-compose points at
real modules, the demo data loads twice without harm."""

import importlib
import importlib.util
import io
import os
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_no_missing_migrations():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_every_service():
    assert set(_compose()["services"]) == {"web", "worker", "beat", "postgres", "redis", "mailpit"}


def test_compose_commands_name_real_modules():
    services = _compose()["services"]
    web = shlex.split(services["web"]["command"])[-1]
    asgi_target = next(part for part in shlex.split(web) if ":" in part and "." in part)
    module_name, attribute = asgi_target.split(":")
    assert callable(getattr(importlib.import_module(module_name), attribute))
    assert "manage.py migrate" in web
    for name, subcommand in (("worker", "worker"), ("beat", "beat")):
        argv = shlex.split(services[name]["command"])
        assert argv[:3] == ["celery", "-A", "config"]
        assert argv[3] == subcommand
    celery_app = importlib.import_module("config").celery_app
    assert celery_app.main == "hub"


def test_compose_environment_is_read_by_settings():
    environment = _compose()["x-hub"]["environment"]
    settings_text = (ROOT / "config" / "settings" / "base.py").read_text()
    for variable in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SITE_URL", "DJANGO_ALLOWED_HOSTS"):
        assert variable in environment
        assert f'"{variable}"' in settings_text
    assert importlib.util.find_spec(environment["DJANGO_SETTINGS_MODULE"]) is not None


def test_production_settings_start_with_the_compose_environment():
    """Every variable production insists on is given by docker-compose."""
    import subprocess
    import sys

    environment = {k: str(v) for k, v in _compose()["x-hub"]["environment"].items()}
    environment["DATABASE_URL"] = "sqlite:///:memory:"
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from notifications.vapid import application_server_key as k; print(k())",
        ],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(result.stdout.strip()) == 87  # a P-256 public key, base64url


@pytest.mark.django_db
def test_seed_demo_runs_twice_without_harm():
    from platforms.models import Platform, Status

    call_command("seed_demo", stdout=io.StringIO())
    counts = Platform.objects.count()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)

    assert Platform.objects.count() == counts == 4
    assert set(Platform.objects.values_list("status", flat=True)) == {
        Status.ACTIVE,
        Status.RECRUITING,
        Status.ARCHIVED,
        Status.DRAFT,
    }
    assert "csw@demo.example.jp" in out.getvalue()


@pytest.mark.parametrize(
    "proxy",
    [{}, {"DJANGO_SSL_REDIRECT": "false", "DJANGO_HSTS_SECONDS": "0"}],
    ids=["tls-in-django", "tls-at-the-proxy"],
)
def test_production_settings_pass_the_deploy_check_without_a_warning(proxy):
    import secrets
    import subprocess
    import sys

    environment = {k: str(v) for k, v in _compose()["x-hub"]["environment"].items()}
    for variable in ("DJANGO_SSL_REDIRECT", "DJANGO_HSTS_SECONDS", "DJANGO_SECURE_COOKIES"):
        environment.pop(variable)
    environment |= {
        "DATABASE_URL": "sqlite:///:memory:",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "hub.example.jp",
        "SITE_URL": "https://hub.example.jp",
    } | proxy
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_compose_runs_the_web_tier_as_several_processes_sharing_redis(monkeypatch):
    """docker-compose's web service runs WEB_CONCURRENCY uvicorn processes (uvicorn
    reads the variable); they share live pages through REDIS_URL."""
    import uvicorn

    from common.management.commands.serve import uvicorn_command

    environment = _compose()["x-hub"]["environment"]
    monkeypatch.setenv("WEB_CONCURRENCY", str(environment["WEB_CONCURRENCY"]))

    assert int(environment["WEB_CONCURRENCY"]) >= 2 and environment["REDIS_URL"]
    assert uvicorn.Config("config.asgi:application").workers == int(environment["WEB_CONCURRENCY"])
    # Without Redis, `make run` keeps one process whatever WEB_CONCURRENCY says.
    assert uvicorn_command("127.0.0.1", 8000, workers=1)[-2:] == ["--workers", "1"]


def test_compose_serves_the_web_tier_as_make_run_does():
    """Same server flags (the WebSocket implementation fast send relies on, no
    compression, the frame size limit) in docker-compose as in `manage.py serve`."""
    from common.management.commands.serve import uvicorn_command

    web = shlex.split(_compose()["services"]["web"]["command"])[-1]
    compose_argv = shlex.split(web.split("&&")[-1])
    assert compose_argv == uvicorn_command("0.0.0.0", 8000)[2:]  # noqa: S104


@pytest.mark.django_db
def test_the_demo_directory_is_what_the_issue_asks_for():
    """At least 40 resources of all seven kinds, formal and informal, some stale, two
    gaps, and one resource created by the archived demo platform, active after it."""
    from platforms.models import Status
    from resources.models import Formality, Gap, Kind, Resource
    from resources.selectors import is_stale

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    resources = list(Resource.objects.select_related("created_by_platform"))
    assert len(resources) >= 40
    assert {r.kind for r in resources} == set(Kind.values)
    assert {r.formality for r in resources} == set(Formality.values)
    assert sum(is_stale(r) for r in resources) >= 3
    assert Gap.objects.count() == 2
    created = [r for r in resources if r.created_by_platform]
    assert len(created) == 1 and created[0].status == "active"
    assert created[0].created_by_platform.status == Status.ARCHIVED
    assert len({r.municipality for r in resources}) == 3


@pytest.mark.parametrize("size", [60, 300])
def test_the_directory_search_bench_runs_and_its_pages_take_three_queries(tmp_path, size):
    """bench/resource_search.py, small and on SQLite: it prints what docs/benchmarks.md
    reads, and a results page takes the same number of queries at any size. (Its
    timings are for the bench, never for a test.)"""
    import json
    import subprocess
    import sys

    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    } | {"DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}"}
    done = subprocess.run(  # noqa: S603 - our own script
        [
            sys.executable,
            "bench/resource_search.py",
            "--resources",
            str(size),
            "--searches",
            "24",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(result) == {"resources", "p50_ms", "p95_ms", "baseline_p95_ms", "queries_per_page"}
    assert result["resources"] == size and result["queries_per_page"] == 3
