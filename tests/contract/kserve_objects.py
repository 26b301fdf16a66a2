"""The KServe custom resources of a plan, and the plan that has every KServe kind the platform
creates: the `local` stack (the kubernetes target) with serving on, whose ClusterStorageContainer
fetches `mlflow-artifacts:` models through MLflow. Shared by the contract tier
(tests/contract/test_kserve_crds.py: the CRDs' schemas with `jsonschema`) and the engine tier
(tests/engine/test_kserve_objects.py: the loopback API server).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from mlplatform.engine import Plan, run_stack
from tests.conftest import ROOT, STACKS_DIR
from tests.helpers import unmask

KSERVE_TYPES = "kubernetes:serving.kserve.io/"
SERVING = {
    "enabled": True,
    "models": [
        {
            "name": "churn",
            "team": "research",
            "modelUri": "mlflow-artifacts:/1/models/m-4f1c9a2b7e3d4c5f8a9b0c1d2e3f4a5b/artifacts",
            "maxReplicas": 2,
        },
        {
            "name": "reranker",
            "team": "research",
            "modelUri": "mlflow-artifacts:/2/models/m-9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b/artifacts",
            "pool": "gpu",
            "gpus": 1,
        },
    ],
}
"""`mlplatform:serving` added to the `local` stack: a CPU model that autoscales and a GPU model
on the cluster's GPU nodes (the kubernetes target's one pool), both of team `research`."""


def kserve_objects(plan: Plan) -> list[dict[str, Any]]:
    """The captured inputs of every KServe custom resource of `plan`."""
    return [unmask(r.inputs) for r in plan.resources if r.type.startswith(KSERVE_TYPES)]


def kubernetes_serving_plan(folder: Path) -> Plan:
    """The `local` stack's plan with `SERVING` added to its config (written to `folder` as
    `Pulumi.local-serving.yaml`; the rest of stacks/Pulumi.local.yaml as it is)."""
    document = yaml.safe_load((STACKS_DIR / "Pulumi.local.yaml").read_text(encoding="utf-8"))
    document["config"]["mlplatform:serving"] = SERVING
    path = folder / "Pulumi.local-serving.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return run_stack(str(path), ROOT)
