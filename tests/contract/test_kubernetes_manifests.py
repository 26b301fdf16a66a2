"""Every Kubernetes object the platform creates, rendered to a manifest and validated.

The captured inputs of a `kubernetes:<group>/<version>:<Kind>` resource are
its manifest (apiVersion, kind, metadata, spec in API casing); they are
checked with kubernetes-validate in strict mode (unknown fields are errors)
against the schema of the cluster's Kubernetes version.
"""

from __future__ import annotations

import kubernetes_validate
import pytest

from mlplatform.engine import Plan
from mlplatform.environment.model import ClusterSpec
from tests.conftest import SHIPPED_STACKS, PlanConfig
from tests.helpers import manifests

KUBERNETES_VERSION = f"{ClusterSpec().kubernetes_version}.0"


def test_local_stack_objects_are_valid(shipped_plans: dict[str, Plan]) -> None:
    objects = manifests(shipped_plans["local"])
    assert sorted(o["kind"] for o in objects) == [
        "ConfigMap",
        "ConfigMap",
        "ConfigMap",
        "Deployment",
        "Deployment",
        "Ingress",
        "Job",
        "Namespace",
        "Namespace",
        "Namespace",
        "Namespace",
        "NetworkPolicy",
        "NetworkPolicy",
        "PersistentVolumeClaim",
        "PersistentVolumeClaim",
        "PodDisruptionBudget",
        "ResourceQuota",
        "Secret",
        "Secret",
        "Secret",
        "Secret",
        "Service",
        "Service",
        "Service",
        "ServiceAccount",
        "ServiceAccount",
        "StatefulSet",
    ]
    for manifest in objects:
        kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)


def test_validator_rejects_a_misspelled_field(shipped_plans: dict[str, Plan]) -> None:
    service = next(o for o in manifests(shipped_plans["local"]) if o["kind"] == "Service")
    broken = {**service, "spec": {**service["spec"], "typo": "ClusterIP"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_objects_with_a_storage_class_are_valid(plan_config: PlanConfig) -> None:
    plan = plan_config(
        {"target": "kubernetes", "environment": "dev", "kubernetes": {"storageClass": "standard"}}
    )
    for manifest in manifests(plan):
        kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("stack", SHIPPED_STACKS)
def test_every_shipped_stack_creates_only_valid_objects(
    shipped_plans: dict[str, Plan], stack: str
) -> None:
    for manifest in manifests(shipped_plans[stack]):
        kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)
