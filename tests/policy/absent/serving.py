"""Left-out cases for the rules of policies/mlplatform_policies/serving.py."""

from __future__ import annotations

from typing import Any

from mlplatform_policies.model import Resource

from tests.policy.absent.common import left_out
from tests.policy.cases import (
    GPU_TOLERATION,
    IDENTITY,
    ISVC,
    MODE,
    NON_ROOT,
    NOT_TOLERATED,
    ON_T4,
    PINNED,
    PLACED,
    READ_AS_DEFAULT,
    RELEASE,
    SERVING_POOL,
    SERVING_RUNTIME,
    STANDARD,
    STANDARD_KSERVE,
    STATIC_KEYS,
    Case,
    gpu_isvc,
    isvc,
    kserve_release,
    res,
    serving_runtime,
)

MODEL = {
    "modelFormat": {"name": "mlflow", "version": "3"},
    "runtime": "reranker",
    "storageUri": "s3://artifacts/2/models/m-1/artifacts",
    "resources": {"requests": {"memory": "16Gi"}, "limits": {"memory": "16Gi"}},
}
"""isvc()'s model: a CPU model read from the artifact store."""
NAMED = {"name": "reranker", "namespace": "inference"}


def served(predictor: dict[str, Any], metadata: dict[str, Any] | None = None) -> Resource:
    """An InferenceService with exactly this predictor (isvc() fills in fields, this leaves
    them out)."""
    meta = {**NAMED, "annotations": {MODE: "Standard"}} if metadata is None else metadata
    return res(ISVC, {"metadata": meta, "spec": {"predictor": predictor}}, "model-reranker")


def tolerating(*tolerations: dict[str, Any]) -> list[Resource]:
    return [SERVING_POOL, gpu_isvc(tolerations=list(tolerations))]


CASES: list[Case] = [
    left_out(
        IDENTITY,
        ISVC,
        "spec.predictor.serviceAccountName",
        served({"model": MODEL}),
        [f"spec.predictor.serviceAccountName is not set: {READ_AS_DEFAULT}"],
    ),
    left_out(
        IDENTITY,
        ISVC,
        "spec.predictor.model.storage.key",
        served(
            {
                "serviceAccountName": "ml-workload",
                "model": {
                    "modelFormat": {"name": "mlflow"},
                    "storage": {"path": "models/m-1", "parameters": {"type": "s3"}},
                },
            }
        ),
        [
            "spec.predictor.model.storage names no key: KServe then reads entry 'default_s3' "
            "of the storage-config Secret: " + STATIC_KEYS
        ],
    ),
    left_out(
        IDENTITY,
        ISVC,
        "metadata.annotations",
        served({"serviceAccountName": "ml-workload", "model": MODEL}, metadata=NAMED),
        [],
    ),
    left_out(IDENTITY, ISVC, "spec.predictor.annotations", isvc(), []),
    # KServe in the chart's default mode: the rule has no Standard mode to compare with.
    left_out(
        STANDARD,
        RELEASE,
        "values.kserve.controller.deploymentMode",
        [kserve_release({}), served({"model": MODEL}, metadata=NAMED)],
        [],
    ),
    # Stricter: a Standard KServe makes it Standard when created, but the rule wants it said.
    left_out(
        STANDARD,
        ISVC,
        "metadata.annotations",
        [STANDARD_KSERVE, served({"model": MODEL}, metadata=NAMED)],
        [
            'InferenceService reranker names no mode (metadata.annotations["serving.kserve.io/'
            'deploymentMode"]): it takes whatever mode KServe defaults to when it is created; '
            "say Standard, the mode release kserve-resources runs"
        ],
    ),
    left_out(
        PLACED,
        ISVC,
        "spec.predictor.model.resources.limits",
        [
            SERVING_POOL,
            served({"model": {**MODEL, "resources": {"requests": {"memory": "16Gi"}}}}),
        ],
        [],
    ),
    left_out(
        PLACED,
        ISVC,
        "spec.predictor.nodeSelector",
        [SERVING_POOL, isvc(gpus="1", tolerations=[GPU_TOLERATION])],
        [
            "InferenceService reranker asks for 1 nvidia.com/gpu but selects no GPU pool (no "
            '"mlplatform.io/pool" in spec.predictor.nodeSelector) while the stack plans GPU '
            "pools (t4): its replicas may land on any GPU node"
        ],
    ),
    left_out(
        PLACED,
        ISVC,
        "spec.predictor.tolerations",
        [SERVING_POOL, isvc(gpus="1", nodeSelector=ON_T4)],
        [NOT_TOLERATED],
    ),
    left_out(
        PLACED,
        ISVC,
        "spec.predictor.tolerations[].operator",
        tolerating({"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"}),
        [],
    ),
    left_out(
        PLACED,
        ISVC,
        "spec.predictor.tolerations[].effect",
        tolerating({"key": "nvidia.com/gpu", "operator": "Exists"}),
        [],
    ),
    left_out(
        PLACED, ISVC, "spec.predictor.tolerations[].key", tolerating({"operator": "Exists"}), []
    ),
    # An Equal toleration without value matches only a taint without value.
    left_out(
        PLACED,
        ISVC,
        "spec.predictor.tolerations[].value",
        tolerating({"key": "nvidia.com/gpu", "operator": "Equal", "effect": "NoSchedule"}),
        [NOT_TOLERATED],
    ),
    left_out(
        NON_ROOT,
        SERVING_RUNTIME,
        "spec.containers[].securityContext.runAsNonRoot",
        serving_runtime(context={"allowPrivilegeEscalation": False}),
        [
            "container kserve-container: securityContext.runAsNonRoot is not true: it may run "
            "as root"
        ],
    ),
    left_out(
        NON_ROOT,
        SERVING_RUNTIME,
        "spec.containers[].securityContext.allowPrivilegeEscalation",
        serving_runtime(context={"runAsNonRoot": True}),
        [
            "container kserve-container: securityContext.allowPrivilegeEscalation is not false: "
            "a process may gain more privileges than its parent"
        ],
    ),
    # The InferenceService's model names the image, and the rule pins that one.
    left_out(
        PINNED,
        SERVING_RUNTIME,
        "spec.containers[].image",
        res(SERVING_RUNTIME, {"spec": {"containers": [{"name": "kserve-container"}]}}, "runtime"),
        [],
    ),
    left_out(PINNED, ISVC, "spec.predictor.model.image", isvc(), []),
]
