"""Security settings of the GCP plans (issue 21): connection and pgAudit logging on the MLflow
Cloud SQL instance, never with statement parameters or read/write statements."""

from __future__ import annotations

import pytest

from mlplatform.engine import Plan
from mlplatform.environment import ConfigError, parse
from tests.helpers import one

CLOUD_SQL = "gcp:sql/databaseInstance:DatabaseInstance"
GCP = {"target": "gcp", "environment": "dev", "region": "us-central1", "gcp": {"project": "p-ml-1"}}


@pytest.mark.parametrize("stack", ["gcp-dev", "gcp-prod"])
def test_cloud_sql_logs_connections_and_pgaudit_without_statement_data(
    stack: str, shipped_plans: dict[str, Plan]
) -> None:
    settings = one(shipped_plans[stack], CLOUD_SQL).inputs["settings"]
    assert settings["databaseFlags"] == [
        {"name": "log_connections", "value": "on"},
        {"name": "log_disconnections", "value": "on"},
        {"name": "cloudsql.enable_pgaudit", "value": "on"},
        {"name": "pgaudit.log", "value": "ddl,role"},
        {"name": "pgaudit.log_parameter", "value": "off"},
    ]


def test_flow_log_retention_on_gcp_is_refused() -> None:
    with pytest.raises(ConfigError) as caught:
        parse({**GCP, "network": {"flowLogRetentionDays": 30}})
    assert [str(issue) for issue in caught.value.issues] == [
        "network.flowLogRetentionDays: 30 has no effect on gcp (the subnetwork's flow logs go "
        "to Cloud Logging's _Default bucket, kept by its own retention); remove it"
    ]
