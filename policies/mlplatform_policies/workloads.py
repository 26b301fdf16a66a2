"""The platform's workloads: MLflow runs with authentication and a cloud identity, and no pod
takes a credential as a literal environment value."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from mlplatform_policies.model import Config, Resource, Rule, get, items, of_type

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


def containers(workload: Resource) -> list[Any]:
    """Every container and init container of a workload's pod template."""
    props = workload.props
    if workload.type == POD:
        spec = get(props, "spec", {})
    elif workload.type == CRON_JOB:
        spec = get(props, "spec.jobTemplate.spec.template.spec", {})
    else:
        spec = get(props, "spec.template.spec", {})
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
    accounts = {
        (get(a.props, "metadata.namespace"), get(a.props, "metadata.name")): a
        for a in of_type(resources, SERVICE_ACCOUNT)
    }
    for workload in of_type(resources, *WORKLOADS):
        servers = [c for c in containers(workload) if runs_mlflow_server(c)]
        if not servers:
            continue
        for container in servers:
            for env in items(container, "env"):
                if get(env, "name") in STATIC_KEYS:
                    yield f"MLflow gets a static cloud key ({get(env, 'name')})", workload.urn
        spec = get(workload.props, "spec.template.spec", {})
        key = (get(workload.props, "metadata.namespace"), get(spec, "serviceAccountName"))
        account = accounts.get(key)
        annotations = get(account.props, "metadata.annotations", {}) if account else {}
        if not any(a in annotations for a in IDENTITY_ANNOTATIONS):
            yield "MLflow's service account is bound to no cloud workload identity", workload.urn


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
    ),
)
