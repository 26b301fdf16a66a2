"""Left-out cases for the rules of policies/mlplatform_policies/workloads.py."""

from __future__ import annotations

from typing import Any

from tests.policy.absent.common import left_out
from tests.policy.cases import (
    ACCOUNT_MOUNTS,
    CLOUD,
    DEPLOY,
    FROM_SECRET,
    IRSA,
    KSA,
    MLFLOW_COMMAND,
    Case,
    deployment,
    mounts_from,
    res,
    token_account,
    token_pod,
)

IDENTITY = "platform-mlflow-workload-identity"
TOKENS = "kubernetes-no-unneeded-api-token"
NO_IDENTITY = "MLflow's service account is bound to no cloud workload identity"


def mlflow(spec: dict[str, Any], metadata: dict[str, Any] | None = None) -> Any:
    """MLflow's Deployment with the given pod spec fields beside its server container."""
    container = {"name": "server", "command": MLFLOW_COMMAND}
    template = {"spec": {**spec, "containers": [container]}}
    meta = {"namespace": "mlflow"} if metadata is None else metadata
    return res(DEPLOY, {"metadata": meta, "spec": {"template": template}}, name="mlflow")


def service_account(metadata: dict[str, Any], **props: Any) -> Any:
    return res(KSA, {"metadata": metadata, **props}, name="mlflow-sa")


CASES: list[Case] = [
    left_out(
        "kubernetes-no-plaintext-credentials",
        DEPLOY,
        "spec.template.spec.containers[].env[].value",
        deployment([FROM_SECRET]),
        [],
    ),
    left_out(
        "kubernetes-mlflow-auth-enabled",
        DEPLOY,
        "spec.template.spec.containers[].args",
        deployment(command=["mlflow", "server", "--port", "5000"]),
        ["the MLflow server runs without authentication (--app-name basic-auth)"],
    ),
    # The pod runs as `default`, not as the annotated account Pulumi auto-names.
    left_out(
        IDENTITY,
        DEPLOY,
        "spec.template.spec.serviceAccountName",
        [
            CLOUD,
            mlflow({}),
            service_account({"namespace": "mlflow", "annotations": IRSA}),
        ],
        [NO_IDENTITY],
    ),
    left_out(
        IDENTITY,
        KSA,
        "metadata.name",
        [
            CLOUD,
            mlflow({"serviceAccountName": "mlflow"}),
            service_account({"namespace": "mlflow", "annotations": IRSA}),
        ],
        [NO_IDENTITY],
    ),
    left_out(
        IDENTITY,
        KSA,
        "metadata.annotations",
        [
            CLOUD,
            mlflow({"serviceAccountName": "mlflow"}),
            service_account({"namespace": "mlflow", "name": "mlflow"}),
        ],
        [NO_IDENTITY],
    ),
    left_out(
        IDENTITY,
        DEPLOY,
        "metadata.namespace",
        [
            CLOUD,
            mlflow({"serviceAccountName": "mlflow"}, metadata={}),
            service_account({"name": "mlflow", "annotations": IRSA}),
        ],
        [],
    ),
    left_out(
        TOKENS,
        KSA,
        "automountServiceAccountToken",
        [token_account(), token_pod(False)],
        [ACCOUNT_MOUNTS],
    ),
    left_out(
        TOKENS,
        DEPLOY,
        "spec.template.spec.automountServiceAccountToken",
        [token_pod()],
        [mounts_from("app")],
    ),
    # The pod runs as `default`, not as the account of the namespace that opts out.
    left_out(
        TOKENS,
        DEPLOY,
        "spec.template.spec.serviceAccountName",
        [token_account(False), token_pod(account=None)],
        [mounts_from("default")],
    ),
    left_out(
        TOKENS,
        KSA,
        "metadata.name",
        [
            res(
                KSA,
                {"metadata": {"namespace": "ml"}, "automountServiceAccountToken": False},
                name="app-sa",
            ),
            token_pod(),
        ],
        [mounts_from("app")],
    ),
    left_out(
        TOKENS,
        DEPLOY,
        "metadata.namespace",
        [
            res(
                KSA,
                {"metadata": {"name": "app"}, "automountServiceAccountToken": False},
                name="app-sa",
            ),
            res(
                DEPLOY,
                {
                    "metadata": {"name": "app"},
                    "spec": {
                        "template": {
                            "spec": {
                                "serviceAccountName": "app",
                                "containers": [{"name": "c", "image": "i"}],
                            }
                        }
                    },
                },
                name="Deployment",
            ),
        ],
        [],
    ),
]
