"""Served models (KServe): an InferenceService reads its model as a named workload identity,
never with static storage keys; says the Standard mode the stack's KServe runs; on GPUs, lands
on a GPU pool of the stack and tolerates its taints; a ServingRuntime's containers run non-root
without privilege escalation, and its images and the predictor's are pinned.

KServe v0.20.0 (github.com/kserve/kserve@v0.20.0): the storage initializer reads the model with
the predictor's service account, `default` when none is named, unless an annotation on the
InferenceService (or its predictor, both reach the pod) names a Secret of keys:
`serving.kserve.io/secretName` with the Helm chart (charts/kserve-resources/values.yaml
storageSecretNameAnnotation), `serving.kserve.io/storageSecretName` with the kustomize install
(config/configmap/inferenceservice.yaml); pkg/credentials/service_account_credentials.go. A
model's `storage.key` names an entry of the `storage-config` Secret (CreateStorageSpecSecretEnvs,
pkg/constants DefaultStorageSpecSecret). Modes (pkg/constants/constants.go DeploymentModeType):
Standard, Knative, ModelMesh; the defaulting webhook rewrites the deprecated RawDeployment to
Standard (pkg/apis/serving/v1beta1/inference_service_defaults.go), and the kserve-resources
chart's own default is Knative (values.yaml kserve.controller.deploymentMode), the release's
RawDeployment read as Standard (configmap.go NewDeployConfig).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from mlplatform import defaults
from mlplatform_policies.gpu import POOL_TYPES, node_taints
from mlplatform_policies.model import Absent, Config, Resource, Rule, get, items, of_type
from mlplatform_policies.queues import (
    GPU_RESOURCE,
    NODE_LABELS,
    POOL_LABEL,
    WHOLE,
    gpu_pools_by_label,
    label_value,
    object_name,
    quantity,
)

INFERENCE_SERVICE = "kubernetes:serving.kserve.io/v1beta1:InferenceService"
SERVING_RUNTIME = "kubernetes:serving.kserve.io/v1alpha1:ServingRuntime"
RELEASE = "kubernetes:helm.sh/v3:Release"
KSERVE_CHART = "kserve-resources"
"""KServe's controller chart (its CRDs are the kserve-crd chart's)."""
MODE_ANNOTATION = "serving.kserve.io/deploymentMode"
STANDARD = "Standard"
LEGACY_STANDARD = "RawDeployment"
SECRET_ANNOTATIONS = ("serving.kserve.io/secretName", "serving.kserve.io/storageSecretName")
STORAGE_SECRET = "storage-config"
DEFAULT_ENTRY = "default"
"""The entry of the storage Secret a storage spec without `key` reads, `default_<type>` when its
parameters name a type (pkg/credentials DefaultStorageSecretKey)."""
SCHEDULING_EFFECTS = ("NoSchedule", "NoExecute")
"""Taint effects that keep a pod off a node it does not tolerate (PreferNoSchedule only
discourages)."""
GPU_TAINT = (defaults.GPU_TAINT["key"], defaults.GPU_TAINT["value"], defaults.GPU_TAINT["effect"])
"""The taint of GPU nodes when the stack plans no pool (the kubernetes target): mlplatform's
pools' and GKE's own nvidia.com/gpu=present:NoSchedule."""
READ_AS_DEFAULT = (
    "the model is read as the namespace's default service account; name one bound to a "
    f"workload identity (mlplatform's: {defaults.WORKLOAD_SERVICE_ACCOUNT})"
)
STATIC_KEYS = (
    "the model is read with the static keys it holds; drop it and let the service account's "
    "workload identity read the model"
)
Taint = tuple[str, str, str]


def _identity(resource: Resource, _: Config) -> Iterator[str]:
    predictor = get(resource.props, "spec.predictor", {})
    account = get(predictor, "serviceAccountName")
    if account is None:
        account = get(predictor, "serviceAccount")  # the deprecated alias
    if account is None or account == "":
        yield f"spec.predictor.serviceAccountName is not set: {READ_AS_DEFAULT}"
    elif account == "default":
        yield f"spec.predictor.serviceAccountName is 'default': {READ_AS_DEFAULT}"
    sources = (
        ("metadata.annotations", get(resource.props, "metadata.annotations")),
        ("spec.predictor.annotations", get(predictor, "annotations")),
    )
    for where, found in sources:
        for key in SECRET_ANNOTATIONS:
            secret = label_value(found, key)
            if secret is not None:
                yield f'{where}["{key}"] names Secret {str(secret)!r}: {STATIC_KEYS}'
    storage = get(predictor, "model.storage")
    if storage is None:
        return
    entry = get(storage, "key")
    if entry is not None:
        yield (
            f"spec.predictor.model.storage.key {str(entry)!r} names an entry of the "
            f"{STORAGE_SECRET} Secret: {STATIC_KEYS}"
        )
        return
    # No key: KServe reads the Secret's default entry (CreateStorageSpecSecretEnvs).
    kind = get(storage, "parameters.type")
    entry = DEFAULT_ENTRY if kind is None else f"{DEFAULT_ENTRY}_{kind}"
    yield (
        f"spec.predictor.model.storage names no key: KServe then reads entry {entry!r} of the "
        f"{STORAGE_SECRET} Secret: {STATIC_KEYS}"
    )


def _standard_releases(resources: Sequence[Resource]) -> list[str]:
    """Names of the stack's kserve-resources releases that run KServe in Standard mode."""
    found = []
    for release in of_type(resources, RELEASE):
        chart = str(get(release.props, "chart", "")).rstrip("/").rsplit("/", 1)[-1]
        if not chart.startswith(KSERVE_CHART):
            continue
        mode = get(release.props, "values.kserve.controller.deploymentMode")
        if mode in (STANDARD, LEGACY_STANDARD):
            found.append(str(get(release.props, "name", release.name)))
    return found


def _standard_mode(resources: Sequence[Resource], _: Config) -> Iterator[tuple[str, str]]:
    releases = _standard_releases(resources)
    if not releases:
        return  # KServe installed outside the stack, or in another mode: nothing to compare
    release = releases[0]
    found: list[tuple[str, str]] = []
    for resource in of_type(resources, INFERENCE_SERVICE):
        name = object_name(resource)
        mode = label_value(get(resource.props, "metadata.annotations"), MODE_ANNOTATION)
        if mode is None:
            message = (
                f'InferenceService {name} names no mode (metadata.annotations["{MODE_ANNOTATION}"'
                "]): it takes whatever mode KServe defaults to when it is created; say Standard, "
                f"the mode release {release} runs"
            )
        elif mode == LEGACY_STANDARD:
            message = (
                f"InferenceService {name} says {LEGACY_STANDARD!r}, the deprecated name KServe's "
                "webhook rewrites to Standard (the object then never matches its inputs); say "
                "Standard"
            )
        elif mode != STANDARD:
            message = (
                f"InferenceService {name} asks for mode {str(mode)!r}, but release {release} "
                "runs KServe in Standard mode; say Standard"
            )
        else:
            continue
        found.append((message, resource.urn))
    yield from found


def _gpus(resource: Resource) -> tuple[int, list[str]]:
    """The GPUs one replica of the InferenceService asks for (its model's and containers'
    limits), and what cannot be counted."""
    predictor = get(resource.props, "spec.predictor", {})
    limits = [("spec.predictor.model", get(predictor, "model.resources.limits"))]
    limits += [
        (f"spec.predictor.containers[{i}]", get(c, "resources.limits"))
        for i, c in enumerate(items(predictor, "containers"))
    ]
    total, problems = 0, []
    for where, found in limits:
        raw = label_value(found, GPU_RESOURCE)
        if raw is None:
            continue
        value = quantity(raw)
        if value is None or value.denominator != 1 or value < 0:
            problems.append(
                f"InferenceService {object_name(resource)}: {where}.resources.limits"
                f'["{GPU_RESOURCE}"] {raw!r} is not a whole number of GPUs; {WHOLE}'
            )
        else:
            total += int(value)
    return total, problems


def _tolerates(toleration: Any, taint: Taint) -> bool:
    """Whether a toleration matches a taint (core/v1 Toleration: an empty key with Exists
    matches every taint, Exists any value, Equal (the default) the same value; an empty effect
    every effect)."""
    key, value, effect = taint
    wanted = get(toleration, "effect")
    if wanted not in (None, "", effect):
        return False
    operator = get(toleration, "operator") or "Equal"
    tolerated = get(toleration, "key") or ""
    if operator == "Exists":
        return tolerated in ("", key)
    return operator == "Equal" and tolerated == key and (get(toleration, "value") or "") == value


def _shown(taint: Taint) -> str:
    key, value, effect = taint
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def _placement(resource: Resource, gpus: int, pools: Mapping[str, list[Resource]]) -> Iterator[str]:
    """Where a GPU InferenceService's replicas land, judged against the planned GPU pools."""
    name = object_name(resource)
    predictor = get(resource.props, "spec.predictor", {})
    selector = get(predictor, "nodeSelector")
    tolerations = items(predictor, "tolerations")
    pool = label_value(selector, POOL_LABEL)
    asks = f"InferenceService {name} asks for {gpus} {GPU_RESOURCE}"
    planned = ", ".join(sorted(pools))
    if pool is None and pools:
        yield (
            f'{asks} but selects no GPU pool (no "{POOL_LABEL}" in spec.predictor.nodeSelector) '
            f"while the stack plans GPU pools ({planned}): its replicas may land on any GPU node"
        )
        return
    if pool is not None and str(pool) not in pools:
        where = f"its GPU pools: {planned}" if pools else "the stack plans no GPU pool"
        yield (
            f'{asks} but selects pool {str(pool)!r} (spec.predictor.nodeSelector["{POOL_LABEL}"]'
            f"), which no GPU pool of the stack carries ({where})"
        )
        return
    nodes = pools.get(str(pool), []) if pool is not None else []
    taints: list[Taint] = [GPU_TAINT] if pool is None else []
    for node in nodes:
        labels = get(node.props, NODE_LABELS[node.type])
        for key, want in (selector or {}).items():
            have = label_value(labels, key)
            if have is not None and str(have) != str(want):
                yield (
                    f"InferenceService {name} selects {key}={str(want)!r} "
                    f"(spec.predictor.nodeSelector), but pool {pool}'s nodes carry "
                    f"{key}={str(have)!r}: no node matches"
                )
        taints += [t for t in node_taints(node) if t[2] in SCHEDULING_EFFECTS and t not in taints]
    on = f"pool {pool}" if pool is not None else "the cluster's GPU nodes"
    for taint in taints:
        if not any(_tolerates(t, taint) for t in tolerations):
            yield (
                f"InferenceService {name} does not tolerate taint {_shown(taint)} of {on} "
                "(spec.predictor.tolerations): its replicas cannot schedule there"
            )


def _gpu_pool(resources: Sequence[Resource], _: Config) -> Iterator[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    pools: dict[str, list[Resource]] | None = None
    for resource in of_type(resources, INFERENCE_SERVICE):
        gpus, problems = _gpus(resource)
        found += [(message, resource.urn) for message in problems]
        if gpus == 0:
            continue
        if pools is None:  # read only when a model asks for GPUs
            pools = gpu_pools_by_label(resources)
        found += [(message, resource.urn) for message in _placement(resource, gpus, pools)]
    # Every value is read before any finding is told: an unknown one leaves the rule not
    # evaluated rather than half judged.
    yield from found


def _containers(resource: Resource) -> Iterator[tuple[str, Any]]:
    for container in items(resource.props, "spec.containers"):
        yield str(get(container, "name")), container


def _non_root(resource: Resource, _: Config) -> Iterator[str]:
    for name, container in _containers(resource):
        context = get(container, "securityContext", {})
        if get(context, "runAsNonRoot") is not True:
            yield f"container {name}: securityContext.runAsNonRoot is not true: it may run as root"
        if get(context, "allowPrivilegeEscalation") is not False:
            yield (
                f"container {name}: securityContext.allowPrivilegeEscalation is not false: a "
                "process may gain more privileges than its parent"
            )


def _image_tag(image: str) -> str | None:
    """The tag of an image reference, "@" for a digest, None for neither (a registry's port
    comes before the last "/", a tag after it)."""
    named, at, _ = image.partition("@")
    if at:
        return at
    last = named.rsplit("/", 1)[-1]
    return last.partition(":")[2] if ":" in last else None


def _images(resource: Resource) -> Iterator[tuple[str, Any]]:
    """(where, image) of each image a ServingRuntime or an InferenceService's predictor names;
    a runtime container without one takes the model's, a model without one the runtime's."""
    if resource.type == SERVING_RUNTIME:
        for name, container in _containers(resource):
            yield f"container {name}", get(container, "image")
        return
    predictor = get(resource.props, "spec.predictor", {})
    yield "spec.predictor.model", get(predictor, "model.image")
    for container in items(predictor, "containers"):
        yield f"container {get(container, 'name')}", get(container, "image")


def _pinned(resource: Resource, _: Config) -> Iterator[str]:
    for where, image in _images(resource):
        if image is None:
            continue
        tag = _image_tag(str(image))
        if tag is None:
            yield (
                f"{where}: image {str(image)!r} has no tag: Kubernetes pulls :latest, "
                "whatever it is at each pull; name a version tag or a digest"
            )
        elif tag == "latest":
            yield (
                f"{where}: image {str(image)!r} is :latest, whatever it is at each "
                "pull; name a version tag or a digest"
            )


KSERVE_SOURCE = "github.com/kserve/kserve@v0.20.0"
DEFAULT_ACCOUNT = (
    'https://godocs.io/k8s.io/kubernetes/plugin/pkg/admission/serviceaccount ("If the pod does '
    "not specify a ServiceAccount, it sets the pod's ServiceAccount to 'default'\")"
)
TOLERATION = (
    "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#scheduling "
    "(Toleration)"
)
SECURITY_CONTEXT = "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security-context"


RULES = (
    Rule(
        id="MLP-SRV-01",
        name="kubernetes-inference-service-workload-identity",
        description="InferenceServices read their model as a named service account, never with "
        "static storage keys.",
        enforcement="mandatory",
        severity="high",
        resource_types=(INFERENCE_SERVICE,),
        anchor="CIS Kubernetes 5.1.5 (default service accounts not used)",
        frameworks=("cis-kubernetes",),
        remediation="Set spec.predictor.serviceAccountName to the team's workload identity "
        f"({defaults.WORKLOAD_SERVICE_ACCOUNT}, which ModelServing uses) and drop the "
        "serving.kserve.io/secretName and storageSecretName annotations and model.storage "
        "(name the model by storageUri).",
        check=_identity,
        absent=(
            Absent(
                INFERENCE_SERVICE,
                "spec.predictor.serviceAccountName",
                "default: the storage initializer reads the model as the namespace's default "
                "service account",
                DEFAULT_ACCOUNT,
                "unsafe",
            ),
            Absent(
                INFERENCE_SERVICE,
                "spec.predictor.model.storage.key",
                "entry default (default_<parameters.type> with a type) of the storage-config "
                "Secret: static keys",
                f"{KSERVE_SOURCE} pkg/credentials/service_account_credentials.go "
                "CreateStorageSpecSecretEnvs (empty storageKey: DefaultStorageSecretKey "
                '"default"); pkg/webhook/admission/pod/storage_initializer_injector.go (a storage '
                "spec without key passes an empty key)",
                "unsafe",
            ),
            Absent(
                INFERENCE_SERVICE,
                "metadata.annotations",
                "no Secret named: the model is read with the service account's credentials",
                f"{KSERVE_SOURCE} pkg/webhook/admission/pod/storage_initializer_injector.go "
                "(CreateSecretVolumeAndEnv with the pod's service account)",
                "safe",
            ),
            Absent(
                INFERENCE_SERVICE,
                "spec.predictor.annotations",
                "no Secret named: the model is read with the service account's credentials",
                f"{KSERVE_SOURCE} pkg/webhook/admission/pod/storage_initializer_injector.go "
                "(CreateSecretVolumeAndEnv with the pod's service account)",
                "safe",
            ),
        ),
    ),
    Rule(
        id="MLP-SRV-02",
        name="platform-inference-service-standard-mode",
        description="InferenceServices say Standard mode where the stack's KServe runs Standard.",
        enforcement="mandatory",
        severity="medium",
        resource_types=(INFERENCE_SERVICE, RELEASE),
        anchor="mlplatform",
        frameworks=(),
        remediation=f'Annotate the InferenceService "{MODE_ANNOTATION}": Standard (ModelServing '
        "does).",
        stack_check=_standard_mode,
        absent=(
            Absent(
                RELEASE,
                "values.kserve.controller.deploymentMode",
                "Knative, the chart's default: InferenceServices take it unannotated, and the "
                "rule has no Standard mode to hold them to",
                f"{KSERVE_SOURCE} charts/kserve-resources/values.yaml "
                "(kserve.controller.deploymentMode: Knative)",
                "safe",
            ),
            Absent(
                INFERENCE_SERVICE,
                "metadata.annotations",
                "the mode KServe's config defaults to when the object is created (Standard under "
                "a Standard KServe); the rule wants the mode stated",
                f"{KSERVE_SOURCE} pkg/controller/v1beta1/inferenceservice/utils/utils.go "
                "GetDeploymentMode (no annotation: deployConfig.DefaultDeploymentMode)",
                "stricter",
            ),
        ),
    ),
    Rule(
        id="MLP-SRV-03",
        name="platform-inference-service-gpu-pool",
        description="GPU InferenceServices select a GPU pool of the stack and tolerate its taints.",
        enforcement="mandatory",
        severity="high",
        resource_types=(INFERENCE_SERVICE, *POOL_TYPES),
        anchor="mlplatform",
        frameworks=(),
        remediation="Name one of gpuPools[].name in serving.models[].pool (ModelServing then "
        'selects it and tolerates its taints); a hand-written one needs nodeSelector["'
        f'{POOL_LABEL}"] naming a planned GPU pool and a toleration of each of its taints.',
        stack_check=_gpu_pool,
        absent=(
            Absent(
                INFERENCE_SERVICE,
                "spec.predictor.model.resources.limits",
                "no GPU: a container gets GPUs only through its limits",
                "https://kubernetes.io/docs/tasks/manage-gpus/scheduling-gpus/ (GPUs are "
                "specified in the limits section)",
                "safe",
            ),
            Absent(
                INFERENCE_SERVICE,
                "spec.predictor.nodeSelector",
                "any node that tolerates the pod: replicas may land on any GPU pool",
                "https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/ "
                "(nodeSelector constrains a pod to matching nodes)",
                "unsafe",
            ),
            Absent(
                INFERENCE_SERVICE,
                "spec.predictor.tolerations",
                "none: the pool's taints keep the replicas off its nodes",
                "https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/",
                "unsafe",
            ),
            Absent(
                INFERENCE_SERVICE,
                "spec.predictor.tolerations[].operator",
                "Equal",
                f'{TOLERATION} (operator: "Defaults to Equal")',
                "safe",
            ),
            Absent(
                INFERENCE_SERVICE,
                "spec.predictor.tolerations[].effect",
                "every effect",
                f'{TOLERATION} (effect: "Empty means match all taint effects")',
                "safe",
            ),
            Absent(
                INFERENCE_SERVICE,
                "spec.predictor.tolerations[].key",
                "every key (with Exists)",
                f'{TOLERATION} (key: "Empty means match all taint keys")',
                "safe",
            ),
            Absent(
                INFERENCE_SERVICE,
                "spec.predictor.tolerations[].value",
                '"": an Equal toleration then matches only a taint without value, not '
                "nvidia.com/gpu=present",
                f"{TOLERATION} (value: the taint value the toleration matches)",
                "unsafe",
            ),
        ),
    ),
    Rule(
        id="MLP-SRV-04",
        name="kubernetes-serving-runtime-non-root",
        description="ServingRuntime containers run as non-root and cannot escalate privileges.",
        enforcement="mandatory",
        severity="high",
        resource_types=(SERVING_RUNTIME,),
        anchor="CKV_K8S_23 / CKV_K8S_20",
        frameworks=("cis-kubernetes",),
        remediation="Set securityContext.runAsNonRoot: true and allowPrivilegeEscalation: false "
        "on every container (ModelServing's runtime does).",
        check=_non_root,
        absent=(
            Absent(
                SERVING_RUNTIME,
                "spec.containers[].securityContext.runAsNonRoot",
                "the image's user, root unless the image says otherwise: nothing checks it",
                f'{SECURITY_CONTEXT} (runAsNonRoot: "If unset or false, no such validation will '
                'be performed")',
                "unsafe",
            ),
            Absent(
                SERVING_RUNTIME,
                "spec.containers[].securityContext.allowPrivilegeEscalation",
                "true: no_new_privs is not set, a process may gain privileges",
                f'{SECURITY_CONTEXT} (allowPrivilegeEscalation: "directly controls if the '
                'no_new_privs flag will be set")',
                "unsafe",
            ),
        ),
    ),
    Rule(
        id="MLP-SRV-05",
        name="kubernetes-serving-runtime-image-pinned",
        description="Serving images (runtimes, InferenceService predictors) name a version or "
        "digest, never latest.",
        enforcement="mandatory",
        severity="medium",
        resource_types=(SERVING_RUNTIME, INFERENCE_SERVICE),
        anchor="CKV_K8S_14",
        frameworks=(),
        remediation="Name the image by a version tag or a digest (serving.runtimeImage; the "
        "platform's own serving image is tagged with its MLServer and MLflow versions).",
        check=_pinned,
        absent=(
            Absent(
                SERVING_RUNTIME,
                "spec.containers[].image",
                "the InferenceService's spec.predictor.model.image, which this rule pins too",
                f"{KSERVE_SOURCE} pkg/controller/v1beta1/inferenceservice/utils/utils.go "
                "MergeRuntimeContainers (the model's container patches the runtime's)",
                "safe",
            ),
            Absent(
                INFERENCE_SERVICE,
                "spec.predictor.model.image",
                "the serving runtime's image, which this rule pins",
                f"{KSERVE_SOURCE} pkg/controller/v1beta1/inferenceservice/utils/utils.go "
                "MergeRuntimeContainers",
                "safe",
            ),
        ),
    ),
)
