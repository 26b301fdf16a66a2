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

SECRET_KEYS = {
    "MLFLOW_BACKEND_STORE_URI": "backend-store-uri",
    "MLFLOW_AUTH_ADMIN_PASSWORD": "admin-password",
    "MLFLOW_FLASK_SERVER_SECRET_KEY": "flask-secret-key",
}
"""Environment variables whose values come from the server's Kubernetes Secret (key names)."""
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


def server_command(
    artifacts_destination: str,
    allowed_hosts: Sequence[str],
    host: str = "0.0.0.0",
    port: int = MLFLOW_PORT,
    workers: int = WORKERS,
) -> list[str]:
    """`mlflow server` with basic auth and the artifact proxy; the backend store URI comes
    from MLFLOW_BACKEND_STORE_URI (a Secret), never from the command line."""
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
