"""MLflow tracking server configuration: command line, environment and basic-auth config.

One source for the Kubernetes objects and for the integration test that runs
the real server against PostgreSQL and an S3-compatible store: the test adapts
only host, port and credentials.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

MLFLOW_PORT = 5000
AUTH_CONFIG_DIR = "/etc/mlflow-auth"
AUTH_CONFIG_FILE = "basic_auth.ini"
ADMIN_USERNAME = "admin"
DEFAULT_PERMISSION = "READ"
"""What a signed-in user may do with experiments and models they do not own."""
WORKERS = 2
MAX_SURGE = 1
"""Replicas a rolling update starts before it stops an old one (the Deployment's maxSurge)."""
METRICS_DIR = "/tmp/prometheus"
"""Where the workers keep their shared Prometheus counters (`--expose-prometheus`); served,
behind basic auth, at /metrics."""

SECRET_KEYS = {
    "MLFLOW_BACKEND_STORE_URI": "backend-store-uri",
    "MLFLOW_AUTH_ADMIN_PASSWORD": "admin-password",
    "MLFLOW_FLASK_SERVER_SECRET_KEY": "flask-secret-key",
}
"""Environment variables whose values come from the server's Kubernetes Secret (key names)."""
ADMIN_USERNAME_KEY = "admin-username"
"""Secret key holding the admin's user name (Prometheus' scrape reads it)."""
AUTH_CONFIG_KEY = "basic-auth-ini"
"""Secret key holding the basic-auth config file (it contains the database password)."""


def postgres_uri(
    user: str, password: str, host: str, port: int, database: str, sslmode: str = "require"
) -> str:
    """SQLAlchemy URI for PostgreSQL through psycopg 3 (the driver the image carries)."""
    return (
        f"postgresql+psycopg://{quote(user, safe='')}:{quote(password, safe='')}"
        f"@{host}:{port}/{database}?sslmode={sslmode}"
    )


def allowed_hosts(service: str, namespace: str, external_host: str | None = None) -> list[str]:
    """Host headers the server accepts (its DNS-rebinding guard): the Service's cluster names,
    pod IPs with any port (Prometheus scrapes pods by address), loopback with any port
    (port-forward), and the Ingress host."""
    hosts = [
        service,
        f"{service}.{namespace}",
        f"{service}.{namespace}.svc",
        f"{service}.{namespace}.svc.cluster.local",
        "10.*",
        "172.*",
        "192.168.*",
        "localhost",
        "localhost:*",
        "127.0.0.1",
        "127.0.0.1:*",
    ]
    return [*hosts, external_host] if external_host else hosts


def server_command(
    artifacts_destination: str,
    allowed_hosts: Sequence[str],
    host: str = "0.0.0.0",
    port: int = MLFLOW_PORT,
    workers: int = WORKERS,
    cors_allowed_origins: Sequence[str] = (),
    metrics_dir: str = METRICS_DIR,
) -> list[str]:
    """`mlflow server` with basic auth, the artifact proxy and Prometheus metrics; the backend
    store URI comes from MLFLOW_BACKEND_STORE_URI (a Secret), never from the command line.
    Browsers send an Origin header even to their own host, so a UI served through an Ingress
    needs its https origin allowed or every change it makes is refused."""
    cors = ["--cors-allowed-origins", ",".join(cors_allowed_origins)]
    return [
        "mlflow",
        "server",
        "--app-name",
        "basic-auth",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--serve-artifacts",
        "--artifacts-destination",
        artifacts_destination,
        "--allowed-hosts",
        ",".join(allowed_hosts),
        *(cors if cors_allowed_origins else []),
        "--expose-prometheus",
        metrics_dir,
    ]


def auth_config(database_uri: str, default_permission: str = DEFAULT_PERMISSION) -> str:
    """The basic-auth ini: users and permissions live in the same PostgreSQL database as the
    tracking data (never a pod-local SQLite). The admin password comes from
    MLFLOW_AUTH_ADMIN_PASSWORD."""
    return (
        "[mlflow]\n"
        f"default_permission = {default_permission}\n"
        f"database_uri = {database_uri}\n"
        f"admin_username = {ADMIN_USERNAME}\n"
        "authorization_function = mlflow.server.auth:authenticate_request_basic_auth\n"
    )


def plain_env() -> dict[str, str]:
    """Environment variables with literal values."""
    return {"MLFLOW_AUTH_CONFIG_PATH": f"{AUTH_CONFIG_DIR}/{AUTH_CONFIG_FILE}"}
