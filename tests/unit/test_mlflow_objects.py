"""MLflow server Kubernetes objects on the captured plan, checked field by field and against
the Kubernetes schema."""

from __future__ import annotations

import kubernetes_validate
import pytest

from mlplatform.engine import Plan, run_program
from mlplatform.kubernetes import mlflow_config
from tests.contract.test_kubernetes_manifests import KUBERNETES_VERSION
from tests.helpers import depends_on, manifests, one

DESTINATION = "s3://ml-artifacts-bucket"


def program() -> None:
    import pulumi

    from mlplatform.kubernetes.mlflow import MlflowServer

    server = MlflowServer(
        "mlflow",
        {
            "namespace": "mlflow",
            "database_uri": pulumi.Output.secret(
                "postgresql+psycopg://mlflow:pw@db.internal:5432/mlflow?sslmode=require"
            ),
            "artifacts_destination": DESTINATION,
            "replicas": 3,
            "service_account_annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/m"},
            "allowed_namespaces": ["ingress-nginx", "research"],
        },
    )
    pulumi.export("tracking_uri", server.tracking_uri)
    pulumi.export("admin_password", server.admin_password)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return run_program(program, stack="mlflow-test")


def container(plan: Plan, type_: str) -> dict:
    resource = one(plan, type_)
    return resource.inputs["spec"]["template"]["spec"]["containers"][0]


def test_server_command_line_is_the_generated_one(plan: Plan) -> None:
    server = container(plan, "kubernetes:apps/v1:Deployment")
    assert server["command"] == [
        "mlflow",
        "server",
        "--app-name",
        "basic-auth",
        "--host",
        "0.0.0.0",
        "--port",
        "5000",
        "--workers",
        "2",
        "--serve-artifacts",
        "--artifacts-destination",
        DESTINATION,
        "--allowed-hosts",
        "mlflow,mlflow.mlflow,mlflow.mlflow.svc,mlflow.mlflow.svc.cluster.local,"
        "10.*,172.*,192.168.*,localhost,localhost:*,127.0.0.1,127.0.0.1:*",
        "--expose-prometheus",
        "/tmp/prometheus",
    ]
    assert "postgresql" not in " ".join(server["command"])


def test_credentials_come_only_from_the_secret(plan: Plan) -> None:
    server = container(plan, "kubernetes:apps/v1:Deployment")
    env = {e["name"]: e for e in server["env"]}
    assert env["MLFLOW_AUTH_CONFIG_PATH"]["value"] == "/etc/mlflow-auth/basic_auth.ini"
    for var, key in mlflow_config.SECRET_KEYS.items():
        assert env[var]["valueFrom"] == {"secretKeyRef": {"name": "mlflow-credentials", "key": key}}
        assert "value" not in env[var]
    secret = one(plan, "kubernetes:core/v1:Secret")
    assert secret.inputs["stringData"] == "[secret]"
    assert plan.outputs["admin_password"] == "[secret]"


def test_probes_resources_and_hardening(plan: Plan) -> None:
    deployment = one(plan, "kubernetes:apps/v1:Deployment")
    server = container(plan, "kubernetes:apps/v1:Deployment")
    pod = deployment.inputs["spec"]["template"]["spec"]
    assert server["readinessProbe"]["httpGet"] == {"path": "/health", "port": "http"}
    assert server["livenessProbe"]["httpGet"] == {"path": "/health", "port": "http"}
    assert server["resources"] == {
        "requests": {"cpu": "250m", "memory": "512Mi"},
        "limits": {"cpu": "2", "memory": "2Gi"},
    }
    assert server["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert deployment.inputs["spec"]["replicas"] == 3
    assert deployment.inputs["spec"]["strategy"]["rollingUpdate"] == {
        "maxUnavailable": 0,
        "maxSurge": 1,
    }


def test_migration_job_runs_before_the_rollout(plan: Plan) -> None:
    job = one(plan, "kubernetes:batch/v1:Job")
    migrate = container(plan, "kubernetes:batch/v1:Job")
    assert migrate["command"] == ["mlflow", "db", "upgrade", "$(MLFLOW_BACKEND_STORE_URI)"]
    assert job.inputs["spec"]["template"]["spec"]["restartPolicy"] == "OnFailure"
    assert depends_on(one(plan, "kubernetes:apps/v1:Deployment"), job)


def test_identity_pdb_and_network_policy(plan: Plan) -> None:
    account = one(plan, "kubernetes:core/v1:ServiceAccount")
    assert account.inputs["metadata"]["annotations"] == {
        "eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/m"
    }
    assert one(plan, "kubernetes:policy/v1:PodDisruptionBudget").inputs["spec"]["minAvailable"] == 1
    policy = one(plan, "kubernetes:networking.k8s.io/v1:NetworkPolicy").inputs["spec"]
    assert policy["policyTypes"] == ["Ingress"]
    assert policy["ingress"][0]["from"] == [
        {"podSelector": {}},
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}},
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "research"}}},
    ]
    assert plan.outputs["tracking_uri"] == "http://mlflow.mlflow.svc.cluster.local"


def test_every_object_is_valid_kubernetes(plan: Plan) -> None:
    objects = manifests(plan)
    assert sorted(o["kind"] for o in objects) == [
        "Deployment",
        "Job",
        "NetworkPolicy",
        "PodDisruptionBudget",
        "Secret",
        "Service",
        "ServiceAccount",
    ]
    for manifest in objects:
        kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)


def ingress_program() -> None:
    import pulumi

    from mlplatform.kubernetes.mlflow import MlflowServer

    server = MlflowServer(
        "mlflow",
        {
            "namespace": "mlflow",
            "database_uri": pulumi.Output.secret("postgresql+psycopg://m:p@db:5432/mlflow"),
            "artifacts_destination": DESTINATION,
            "ingress": {
                "host": "mlflow.ml.example.com",
                "class_name": "traefik",
                "tls_secret_name": "mlflow-tls",
                "cluster_issuer": "letsencrypt",
                "annotations": {"example.com/body-size": "0"},
            },
        },
    )
    pulumi.export("external_uri", server.external_uri)


def test_ingress_is_tls_only_and_its_host_is_allowed() -> None:
    plan = run_program(ingress_program, stack="mlflow-ingress-test")
    ingress = one(plan, "kubernetes:networking.k8s.io/v1:Ingress")
    assert ingress.inputs["metadata"]["annotations"] == {
        "example.com/body-size": "0",
        "cert-manager.io/cluster-issuer": "letsencrypt",
    }
    assert ingress.inputs["spec"] == {
        "ingressClassName": "traefik",
        "tls": [{"hosts": ["mlflow.ml.example.com"], "secretName": "mlflow-tls"}],
        "rules": [
            {
                "host": "mlflow.ml.example.com",
                "http": {
                    "paths": [
                        {
                            "path": "/",
                            "pathType": "Prefix",
                            "backend": {"service": {"name": "mlflow", "port": {"name": "http"}}},
                        }
                    ]
                },
            }
        ],
    }
    command = container(plan, "kubernetes:apps/v1:Deployment")["command"]
    hosts = command[command.index("--allowed-hosts") + 1].split(",")
    assert hosts[-1] == "mlflow.ml.example.com" and "mlflow.*" not in hosts
    origins = command[command.index("--cors-allowed-origins") + 1]
    assert origins == "https://mlflow.ml.example.com"
    assert plan.outputs["external_uri"] == "https://mlflow.ml.example.com"
    kubernetes_validate.validate(ingress.inputs, KUBERNETES_VERSION, strict=True)


def test_shipped_local_stack_admits_its_ingress_controller(shipped_plans: dict[str, Plan]) -> None:
    plan = shipped_plans["local"]
    policy = one(plan, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "-mlflow-ingress")
    namespaces = [
        peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
        for peer in policy.inputs["spec"]["ingress"][0]["from"]
        if "namespaceSelector" in peer
    ]
    assert namespaces == ["research", "traefik", "monitoring"]
    assert plan.outputs["mlflowExternalUri"] == "https://mlflow.localtest.me"
    assert plan.outputs["mlflowCredentialsSecret"] == "mlplatform/ml-local-mlflow-credentials"


def test_basic_auth_keeps_users_in_postgresql_and_grants_only_read_by_default() -> None:
    """What every user may do without a grant of their own: read, never edit or manage."""
    assert mlflow_config.auth_config("postgresql+psycopg://mlflow@db:5432/mlflow") == (
        "[mlflow]\n"
        "default_permission = READ\n"
        "database_uri = postgresql+psycopg://mlflow@db:5432/mlflow\n"
        "admin_username = admin\n"
        "authorization_function = mlflow.server.auth:authenticate_request_basic_auth\n"
    )
