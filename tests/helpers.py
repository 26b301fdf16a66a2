"""Small assertions over captured plans, shared by the component tests."""

from __future__ import annotations

from typing import Any

from mlplatform.engine import Plan, PlannedResource
from mlplatform.engine.values import SECRET


def one(plan: Plan, type_: str, name_suffix: str = "") -> PlannedResource:
    """The single resource of `type_` whose name ends with `name_suffix`."""
    found = [r for r in plan.of_type(type_) if r.name.endswith(name_suffix)]
    assert len(found) == 1, f"expected one {type_} *{name_suffix}, found {[r.name for r in found]}"
    return found[0]


def planned(
    name: str,
    type_: str,
    inputs: dict[str, Any] | None = None,
    protect: bool = False,
    dependencies: list[str] | None = None,
    provider: str | None = None,
) -> PlannedResource:
    """A captured custom resource made by hand, URN `urn:pulumi:s::p::TYPE::NAME`."""
    return PlannedResource(
        urn=f"urn:pulumi:s::p::{type_}::{name}",
        type=type_,
        name=name,
        parent=None,
        custom=True,
        protect=protect,
        dependencies=dependencies or [],
        property_dependencies={},
        provider=provider,
        inputs=inputs or {},
    )


def depends_on(resource: PlannedResource, other: PlannedResource) -> bool:
    return other.urn in resource.dependencies


def unmask(manifest: dict[str, Any]) -> dict[str, Any]:
    """Secret payloads are masked in a plan as a whole ("[secret]"); give them their map
    shape back so the rest of the object can be validated."""
    return {
        key: (
            {"masked": "[secret]"} if key in ("data", "stringData") and value == SECRET else value
        )
        for key, value in manifest.items()
    }


OPERATOR_KINDS = (
    "kubernetes:monitoring.coreos.com/",
    "kubernetes:kueue.x-k8s.io/",
    "kubernetes:serving.kserve.io/",
)
"""Custom resources of operators: no built-in schema. The Prometheus operator's: the
PrometheusRule's groups are checked by promtool and the ServiceMonitor field by field;
Kueue's and KServe's: against their CRDs' schemas (tests/contract/test_kueue_crds.py,
tests/contract/test_kserve_crds.py)."""


def manifests(plan: Plan) -> list[dict[str, Any]]:
    found = []
    for r in plan.resources:
        # Helm releases are charts, not objects: without a helm binary they are not rendered.
        built_in = not r.type.startswith(OPERATOR_KINDS)
        if r.type.startswith("kubernetes:") and r.custom and "helm.sh" not in r.type and built_in:
            assert r.inputs["apiVersion"] and r.inputs["kind"], r.urn
            found.append(unmask(r.inputs))
    return found


KUBERNETES_YAML_COMPONENTS = {
    "mlplatform:index:PvcArtifactStore": 1,
    "mlplatform:index:InClusterPostgres": 1,
    "mlplatform:index:MonitoringStack": 1,
    "mlplatform:index:MlflowServer": 1,
    "mlplatform:index:NvidiaGpuEnablement": 1,
    "mlplatform:index:TeamNamespace": 1,
}
"""The components examples/kubernetes-yaml builds, by type token."""
