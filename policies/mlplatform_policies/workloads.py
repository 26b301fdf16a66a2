"""The platform's workloads: MLflow runs with authentication and a cloud identity, no pod
takes a credential as a literal environment value, and no pod or service account mounts a
Kubernetes API token it does not use.

API tokens (CIS Kubernetes 5.1.6): a pod mounts its service account's token unless its spec or
the account sets `automountServiceAccountToken: false`. Every ServiceAccount must set it false,
and every pod must end up without a token (its own false, or an account in the stack that sets
false), unless the object is annotated `mlplatform.io/api-token: <why it calls the API>`.
Objects that upstream Helm charts render are not in a plan; `tests/unit/test_api_tokens.py`
audits the chart values instead."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from mlplatform_policies.model import Absent, Config, Resource, Rule, get, items, of_type

DEPLOYMENT = "kubernetes:apps/v1:Deployment"
STATEFUL_SET = "kubernetes:apps/v1:StatefulSet"
DAEMON_SET = "kubernetes:apps/v1:DaemonSet"
JOB = "kubernetes:batch/v1:Job"
CRON_JOB = "kubernetes:batch/v1:CronJob"
POD = "kubernetes:core/v1:Pod"
WORKLOADS = (DEPLOYMENT, STATEFUL_SET, DAEMON_SET, JOB, CRON_JOB, POD)
SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount"
CLOUD_PREFIXES = ("aws:", "azure-native:", "gcp:")
IDENTITY_ANNOTATIONS = (
    "eks.amazonaws.com/role-arn",
    "azure.workload.identity/client-id",
    "iam.gke.io/gcp-service-account",
)
STATIC_KEYS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AZURE_CLIENT_SECRET",
    "AZURE_STORAGE_KEY",
    "AZURE_STORAGE_CONNECTION_STRING",
    "GOOGLE_APPLICATION_CREDENTIALS",
)
SECRET_WORDS = frozenset(
    {"PASSWORD", "PASSWD", "PASS", "SECRET", "TOKEN", "CREDENTIAL", "CREDENTIALS", "APIKEY"}
)
SECRET_PAIRS = frozenset({("ACCESS", "KEY"), ("PRIVATE", "KEY"), ("API", "KEY")})
REFERENCE_WORDS = frozenset({"PATH", "FILE", "DIR", "NAME", "ID", "REALM", "URL", "ENDPOINT"})
"""A last word that makes the variable point at a secret (a mounted file, a Secret's name, an
auth realm) rather than hold one."""
URL_WITH_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.I)
AUTH_APPS = ("basic-auth",)
"""MLflow's --app-name values that put authentication in front of the server."""
TOKEN_ANNOTATION = "mlplatform.io/api-token"
"""Annotation on a ServiceAccount, Pod or workload that calls the Kubernetes API server; its
value says why (`watches nodes to scale node groups`). An annotated account may automount its
token, and so may the pods that use it; an annotated workload may mount one itself."""
ACCOUNT_MOUNTS = (
    "automountServiceAccountToken is not false: every pod of the account gets a Kubernetes "
    "API token (set it false, or annotate mlplatform.io/api-token with why its pods call the "
    "API)"
)
POD_ASKS = (
    "the pod spec sets automountServiceAccountToken: true (set it false, or annotate "
    "mlplatform.io/api-token with why the pod calls the API)"
)


def pod_spec(workload: Resource) -> Mapping[str, Any]:
    """The pod spec of a Pod, or of a workload's pod template."""
    props = workload.props
    if workload.type == POD:
        return get(props, "spec", {})
    if workload.type == CRON_JOB:
        return get(props, "spec.jobTemplate.spec.template.spec", {})
    return get(props, "spec.template.spec", {})


def containers(workload: Resource) -> list[Any]:
    """Every container and init container of a workload's pod template."""
    spec = pod_spec(workload)
    return items(spec, "containers") + items(spec, "initContainers")


def names_a_secret(name: str) -> bool:
    """Whether an environment variable's name says it holds a credential: a word such as
    PASSWORD or TOKEN, or ACCESS_KEY / PRIVATE_KEY / API_KEY, not followed by PATH, FILE..."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", name.upper()) if w]
    if not words or words[-1] in REFERENCE_WORDS:
        return False
    pairs = set(itertools.pairwise(words))
    return bool(SECRET_WORDS & set(words) or SECRET_PAIRS & pairs)


def runs_mlflow_server(container: Mapping[str, Any]) -> bool:
    words = [str(w) for w in items(container, "command") + items(container, "args")]
    return "mlflow" in words[:2] and "server" in words


def _namespace(resource: Resource) -> Any:
    return get(resource.props, "metadata.namespace", "default")


def _account_name(spec: Mapping[str, Any]) -> Any:
    """The service account a pod runs as: `default` when its spec names none."""
    return get(spec, "serviceAccountName") or get(spec, "serviceAccount") or "default"


def _plaintext(resource: Resource, _: Config) -> Iterator[str]:
    for container in containers(resource):
        for env in items(container, "env"):
            name, value = str(get(env, "name")), get(env, "value")
            if value is None:
                continue
            if names_a_secret(name) or URL_WITH_PASSWORD.match(str(value)):
                yield (
                    f"container {get(container, 'name')} sets {name} as a literal value; "
                    "use valueFrom.secretKeyRef"
                )


def _mlflow_auth(resource: Resource, _: Config) -> Iterator[str]:
    for container in containers(resource):
        if not runs_mlflow_server(container):
            continue
        words = [str(w) for w in items(container, "command") + items(container, "args")]
        app = words[words.index("--app-name") + 1] if "--app-name" in words[:-1] else None
        if app not in AUTH_APPS:
            yield "the MLflow server runs without authentication (--app-name basic-auth)"


def _mlflow_identity(resources: Sequence[Resource], _: Config) -> Iterator[tuple[str, str]]:
    if not any(r.type.startswith(CLOUD_PREFIXES) for r in resources):
        return  # the kubernetes target: no cloud identity to bind
    # Only an account with a stated name can be named by a pod: Pulumi auto-names the others.
    accounts = {
        (_namespace(a), name): a
        for a in of_type(resources, SERVICE_ACCOUNT)
        if (name := get(a.props, "metadata.name")) is not None
    }
    for workload in of_type(resources, *WORKLOADS):
        servers = [c for c in containers(workload) if runs_mlflow_server(c)]
        if not servers:
            continue
        for container in servers:
            for env in items(container, "env"):
                if get(env, "name") in STATIC_KEYS:
                    yield f"MLflow gets a static cloud key ({get(env, 'name')})", workload.urn
        account = accounts.get((_namespace(workload), _account_name(pod_spec(workload))))
        annotations = get(account.props, "metadata.annotations", {}) if account else {}
        if not any(a in annotations for a in IDENTITY_ANNOTATIONS):
            yield "MLflow's service account is bound to no cloud workload identity", workload.urn


def _needs_api(resource: Resource) -> bool:
    """Whether the object carries the api-token annotation with a reason."""
    annotations = get(resource.props, "metadata.annotations", {})
    if not isinstance(annotations, Mapping) or TOKEN_ANNOTATION not in annotations:
        return False
    return str(annotations[TOKEN_ANNOTATION]).strip() != ""


def _api_tokens(resources: Sequence[Resource], _: Config) -> Iterator[tuple[str, str]]:
    for account in of_type(resources, SERVICE_ACCOUNT):
        mounts = get(account.props, "automountServiceAccountToken") is not False
        if mounts and not _needs_api(account):
            yield ACCOUNT_MOUNTS, account.urn
    for workload in of_type(resources, *WORKLOADS):
        spec = pod_spec(workload)
        own = get(spec, "automountServiceAccountToken")
        if own is False or _needs_api(workload):
            continue
        name = _account_name(spec)
        key = (_namespace(workload), name)
        accounts = [
            a
            for a in of_type(resources, SERVICE_ACCOUNT)
            if (_namespace(a), get(a.props, "metadata.name")) == key
        ]
        if any(_needs_api(a) for a in accounts):  # the account's reason covers its pods
            continue
        if own is True:
            yield POD_ASKS, workload.urn
            continue
        # Unset: the pod takes its service account's setting; an account the stack does not
        # create (the namespace's `default`, one made by hand) mounts a token by default.
        if any(get(a.props, "automountServiceAccountToken") is False for a in accounts):
            continue
        yield (
            (
                f"the pod mounts the API token of service account {name!r} (set "
                "automountServiceAccountToken: false on the pod spec or the account)"
            ),
            workload.urn,
        )


DEFAULT_ACCOUNT = (
    "https://godocs.io/k8s.io/kubernetes/plugin/pkg/admission/serviceaccount (ServiceAccount "
    "admission: \"If the pod does not specify a ServiceAccount, it sets the pod's ServiceAccount "
    "to 'default'\")"
)
AUTO_NAMED = (
    "https://www.pulumi.com/docs/iac/concepts/resources/names/ (auto-naming: the logical name "
    "and a random suffix); pulumi/pulumi-kubernetes#2539"
)
PROVIDER_NAMESPACE = (
    "https://www.pulumi.com/registry/packages/kubernetes/api-docs/provider/ (namespace: "
    "metadata.namespace, else the provider's namespace, else the kubeconfig context's)"
)
AUTOMOUNT = (
    "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"
    "#opt-out-of-api-credential-automounting; CIS GKE 4.1.5: automountServiceAccountToken "
    '"its default value is true"'
)


RULES = (
    Rule(
        id="MLP-WL-01",
        name="kubernetes-no-plaintext-credentials",
        description="No container takes a password, token, key or credential URL as a literal "
        "environment value.",
        enforcement="mandatory",
        severity="critical",
        resource_types=WORKLOADS,
        anchor="mlplatform",
        frameworks=("cis-kubernetes",),
        remediation="Put the value in a Secret and read it with valueFrom.secretKeyRef.",
        check=_plaintext,
        absent=(
            Absent(
                DEPLOYMENT,
                "spec.template.spec.containers[].env[].value",
                '"" unless valueFrom supplies it: no literal value',
                "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/ "
                "(EnvVar.value: 'Defaults to \"\"')",
                "safe",
            ),
        ),
    ),
    Rule(
        id="MLP-WL-02",
        name="kubernetes-mlflow-auth-enabled",
        description="The MLflow tracking server runs with authentication.",
        enforcement="mandatory",
        severity="critical",
        resource_types=WORKLOADS,
        anchor="mlplatform",
        frameworks=(),
        remediation="Run `mlflow server --app-name basic-auth` (MlflowServer does).",
        check=_mlflow_auth,
        absent=(
            Absent(
                DEPLOYMENT,
                "spec.template.spec.containers[].args",
                "no --app-name: MLflow serves every request without authentication",
                "https://mlflow.org/docs/latest/self-hosting/security/basic-http-auth (enable "
                'with "mlflow server --app-name basic-auth"; a restart "without the app-name '
                'flag" disables it)',
                "unsafe",
            ),
        ),
    ),
    Rule(
        id="MLP-WL-03",
        name="platform-mlflow-workload-identity",
        description="On a cloud, MLflow reaches its artifact store through a workload identity, "
        "never a static key.",
        enforcement="mandatory",
        severity="high",
        resource_types=(*WORKLOADS, SERVICE_ACCOUNT),
        anchor="mlplatform",
        frameworks=(),
        remediation="Annotate MLflow's service account with its cloud identity "
        "(add_cloud_mlflow does) and drop static keys.",
        stack_check=_mlflow_identity,
        absent=(
            Absent(
                DEPLOYMENT,
                "spec.template.spec.serviceAccountName",
                "default: the namespace's default service account, bound to no cloud identity "
                "unless the stack annotates one named default",
                DEFAULT_ACCOUNT,
                "unsafe",
            ),
            Absent(
                SERVICE_ACCOUNT,
                "metadata.name",
                "auto-named (<name>-<random suffix>): no pod names it",
                AUTO_NAMED,
                "unsafe",
            ),
            Absent(
                SERVICE_ACCOUNT,
                "metadata.annotations",
                "none: the account is bound to no cloud identity",
                "https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role"
                ".html (eks.amazonaws.com/role-arn); https://cloud.google.com/kubernetes-engine/"
                "docs/how-to/workload-identity (iam.gke.io/gcp-service-account); Azure Workload "
                "Identity (azure.workload.identity/client-id)",
                "unsafe",
            ),
            Absent(
                DEPLOYMENT,
                "metadata.namespace",
                "the provider's namespace, the same for the account created beside it",
                PROVIDER_NAMESPACE,
                "safe",
            ),
        ),
    ),
    Rule(
        id="MLP-WL-04",
        name="kubernetes-no-unneeded-api-token",
        description="No pod or service account mounts a Kubernetes API token it does not use.",
        enforcement="mandatory",
        severity="medium",
        resource_types=(*WORKLOADS, SERVICE_ACCOUNT),
        anchor="CIS Kubernetes 5.1.6 / CKV_K8S_38",
        frameworks=("cis-kubernetes",),
        remediation="Set automountServiceAccountToken: false on the ServiceAccount and the pod "
        "spec; where a workload calls the API server, annotate it (or its ServiceAccount) "
        "mlplatform.io/api-token: <why>.",
        stack_check=_api_tokens,
        absent=(
            Absent(
                SERVICE_ACCOUNT,
                "automountServiceAccountToken",
                "true: every pod of the account mounts an API token",
                AUTOMOUNT,
                "unsafe",
            ),
            Absent(
                DEPLOYMENT,
                "spec.template.spec.automountServiceAccountToken",
                "the service account's setting: true unless the account sets false",
                AUTOMOUNT + ' (ServiceAccount: "Can be overridden at the pod level")',
                "unsafe",
            ),
            Absent(
                DEPLOYMENT,
                "spec.template.spec.serviceAccountName",
                "default: the namespace's default service account, which mounts its token",
                DEFAULT_ACCOUNT,
                "unsafe",
            ),
            Absent(
                SERVICE_ACCOUNT,
                "metadata.name",
                "auto-named (<name>-<random suffix>): the pods naming the logical name run as an "
                "account outside the stack",
                AUTO_NAMED,
                "unsafe",
            ),
            Absent(
                DEPLOYMENT,
                "metadata.namespace",
                "the provider's namespace, the same for the account created beside it",
                PROVIDER_NAMESPACE,
                "safe",
            ),
        ),
    ),
)
