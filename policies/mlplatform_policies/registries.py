"""Container registries: no anonymous or public pulls, ECR scan on push, ACR admin user off;
immutable tags (advice, mandatory in production), private network access, customer-managed
keys and cleanup policies as advice."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from mlplatform_policies.model import (
    PUBLIC_MEMBERS,
    Absent,
    Config,
    Resource,
    Rule,
    Verdict,
    get,
    iam_grants,
    is_production,
    items,
    of_type,
)

ECR = "aws:ecr/repository:Repository"
ECR_POLICY = "aws:ecr/repositoryPolicy:RepositoryPolicy"
ECR_LIFECYCLE = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
ACR = "azure-native:containerregistry:Registry"
GAR = "gcp:artifactregistry/repository:Repository"
GAR_IAM = (
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
    "gcp:artifactregistry/repositoryIamBinding:RepositoryIamBinding",
    "gcp:artifactregistry/repositoryIamPolicy:RepositoryIamPolicy",
)
"""Artifact Registry's IAM member, binding and whole-policy resources (`member`, `members`,
`policyData`: pulumi-gcp 10.2.0, registry page
gcp/api-docs/artifactregistry/repositoryiampolicy)."""
IMMUTABLE_ECR = ("IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION")
ECR_DOCS = "pulumi_aws 7.51.1 ecr.Repository (registry page aws/api-docs/ecr/repository)"
ACR_DEFAULTS = (
    "pulumi-azure-native 3.29.0 containerregistry.Registry (registry page azure-native/"
    "api-docs/containerregistry/registry): the SDK sends adminUserEnabled false, "
    "anonymousPullEnabled false and publicNetworkAccess 'Enabled' when they are left out"
)
UNTAGGED = "no tags, so no environment tag: mlplatform holds the registry to production rules"
UNTAGGED_SOURCE = (
    "mlplatform_policies.model.is_production (an untagged resource is production); AWS and GCP "
    "add only the provider's defaultTags / defaultLabels, which the rule reads"
)


def _untagged(verdict: Verdict) -> tuple[Absent, Absent]:
    """ECR tags and Artifact Registry labels left out: the production rule judges the
    repository, the non-production one lets it be."""
    return (
        Absent(ECR, "tags", UNTAGGED, UNTAGGED_SOURCE, verdict),
        Absent(GAR, "labels", UNTAGGED, UNTAGGED_SOURCE, verdict),
    )


MUTABLE = (
    Absent(
        ECR,
        "imageTagMutability",
        "MUTABLE",
        f"{ECR_DOCS}: 'Defaults to `MUTABLE`'",
        "unsafe",
    ),
    Absent(
        GAR,
        "dockerConfig.immutableTags",
        "false: tags can be moved",
        "pulumi-gcp 10.2.0 artifactregistry.Repository dockerConfig.immutableTags (optional; "
        "'The repository which enabled this flag prevents all tags from being modified'); "
        "https://cloud.google.com/artifact-registry/docs/repositories/update-repo-settings "
        "(immutable tags are a setting you turn on)",
        "unsafe",
    ),
)
"""Tag mutability left out, shared by the production and non-production rules."""


def _public_pull(resource: Resource, _: Config) -> Iterator[str]:
    props = resource.props
    if resource.type == ACR:
        if get(props, "anonymousPullEnabled") is True:
            yield "anonymousPullEnabled is true"
    elif resource.type == ECR_POLICY:
        policy = get(props, "policy", "{}")
        document = json.loads(policy) if isinstance(policy, str) else policy
        statements = get(document, "Statement", [])
        if isinstance(statements, Mapping):  # one statement may stand alone
            statements = [statements]
        for statement in statements:
            if get(statement, "Effect") == "Allow" and _everyone(get(statement, "Principal")):
                yield "the repository policy allows any principal (*)"
    else:  # Artifact Registry IAM
        try:
            grants = iam_grants(props)
        except ValueError:
            yield "policyData is not a JSON IAM policy: who it grants cannot be read"
            return
        if any(member in PUBLIC_MEMBERS for _, member in grants):
            yield "the repository is readable by allUsers / allAuthenticatedUsers"


def _everyone(principal: Any) -> bool:
    """Whether an IAM principal includes anyone: "*" or {"AWS": "*"} / {"AWS": [..., "*"]}."""
    if principal == "*":
        return True
    aws = get(principal, "AWS")
    return aws == "*" or (isinstance(aws, Sequence) and not isinstance(aws, str) and "*" in aws)


def _scan_on_push(resource: Resource, _: Config) -> Iterator[str]:
    if get(resource.props, "imageScanningConfiguration.scanOnPush") is not True:
        yield "imageScanningConfiguration.scanOnPush is not true"


def _immutable(resource: Resource) -> str | None:
    props = resource.props
    if resource.type == GAR and get(props, "format") != "DOCKER":
        return None  # tags are a Docker notion
    if resource.type == ECR:
        mutability = get(props, "imageTagMutability", "MUTABLE")
        return None if mutability in IMMUTABLE_ECR else f"imageTagMutability is {mutability}"
    if get(props, "dockerConfig.immutableTags") is not True:
        return "dockerConfig.immutableTags is not true"
    return None


def _immutable_tags(resource: Resource, _: Config) -> Iterator[str]:
    if not is_production(resource) and (problem := _immutable(resource)):
        yield f"{problem}: a pushed tag can be overwritten"


def _immutable_tags_prod(resource: Resource, _: Config) -> Iterator[str]:
    if is_production(resource) and (problem := _immutable(resource)):
        yield f"{problem}: a production tag can be overwritten"


def _admin_user(resource: Resource, _: Config) -> Iterator[str]:
    if get(resource.props, "adminUserEnabled") is not False:
        yield "the admin user (a shared static password) is not disabled"


def _acr_network(resource: Resource, _: Config) -> Iterator[str]:
    if get(resource.props, "publicNetworkAccess") != "Disabled":
        yield "publicNetworkAccess is not Disabled"


def _cmk(resource: Resource, _: Config) -> Iterator[str]:
    props = resource.props
    if resource.type == ECR:
        kms = [
            e for e in items(props, "encryptionConfigurations") if get(e, "encryptionType") == "KMS"
        ]
        if not kms:
            yield "images are encrypted with an AWS-owned key, not a KMS key you manage"
        elif get(kms[0], "kmsKey") is None:
            yield "images are encrypted with the AWS managed key aws/ecr, not a KMS key you manage"
    elif resource.type == ACR:
        if get(props, "encryption.status") != "enabled":
            yield "images are encrypted with a Microsoft-managed key"
    elif get(props, "kmsKeyName") is None:
        yield "images are encrypted with a Google-managed key"


def _cleanup(resources: Sequence[Resource], _: Config) -> Iterator[tuple[str, str]]:
    lifecycles = list(of_type(resources, ECR_LIFECYCLE))
    for repo in of_type(resources, ECR):
        if not any(p.depends_on(repo, "repository") for p in lifecycles):
            yield "no lifecycle policy expires old images", repo.urn
    for registry in of_type(resources, ACR):
        if get(registry.props, "policies.retentionPolicy.status") != "enabled":
            yield "untagged manifests are kept for ever (retention policy off)", registry.urn
    for repo in of_type(resources, GAR):
        if not items(repo.props, "cleanupPolicies"):
            yield "no cleanup policy deletes old images", repo.urn
        elif get(repo.props, "cleanupPolicyDryRun") is True:
            yield "cleanupPolicyDryRun is true: the cleanup policies delete nothing", repo.urn


RULES = (
    Rule(
        id="MLP-REG-01",
        name="platform-registry-no-public-pull",
        description="Registries allow no anonymous or public image pulls.",
        enforcement="mandatory",
        severity="critical",
        resource_types=(ACR, ECR_POLICY, *GAR_IAM),
        anchor="CKV_AWS_32 / CKV_AZURE_138",
        frameworks=("cis-aws-foundations", "cis-azure-foundations", "cis-gcp-foundations"),
        remediation="Grant pulls to identities (registry.grant_pull), never to everyone.",
        check=_public_pull,
        absent=(
            Absent(
                ACR,
                "anonymousPullEnabled",
                "false: pulls need credentials",
                ACR_DEFAULTS,
                "safe",
            ),
        ),
    ),
    Rule(
        id="MLP-REG-02",
        name="aws-ecr-scan-on-push",
        description="ECR scans every pushed image for vulnerabilities.",
        enforcement="mandatory",
        severity="medium",
        resource_types=(ECR,),
        anchor="CKV_AWS_163",
        frameworks=("cis-aws-foundations",),
        remediation="Set imageScanningConfiguration.scanOnPush: true (EcrRegistry does).",
        check=_scan_on_push,
        absent=(
            Absent(
                ECR,
                "imageScanningConfiguration",
                "no scan on push",
                f"{ECR_DOCS}: 'By default, image scanning must be manually triggered'",
                "unsafe",
            ),
        ),
    ),
    Rule(
        id="MLP-REG-03",
        name="platform-registry-immutable-tags",
        description="Outside production, image tags cannot be overwritten.",
        enforcement="advisory",
        severity="low",
        resource_types=(ECR, GAR),
        anchor="CKV_AWS_51",
        frameworks=(),
        remediation="Set registry.immutableTags: true.",
        check=_immutable_tags,
        absent=(*MUTABLE, *_untagged("safe")),
    ),
    Rule(
        id="MLP-REG-04",
        name="platform-registry-immutable-tags-prod",
        description="In production, image tags cannot be overwritten.",
        enforcement="mandatory",
        severity="medium",
        resource_types=(ECR, GAR),
        anchor="CKV_AWS_51",
        frameworks=(),
        remediation="Set registry.immutableTags: true.",
        check=_immutable_tags_prod,
        absent=(*MUTABLE, *_untagged("stricter")),
    ),
    Rule(
        id="MLP-REG-05",
        name="azure-acr-admin-user-disabled",
        description="ACR's admin user is disabled.",
        enforcement="mandatory",
        severity="high",
        resource_types=(ACR,),
        anchor="CKV_AZURE_137",
        frameworks=("cis-azure-foundations",),
        remediation="Set adminUserEnabled: false; pull with managed identities (AcrPull).",
        check=_admin_user,
        absent=(
            Absent(
                ACR,
                "adminUserEnabled",
                "false (the admin user is off); the rule wants it stated",
                ACR_DEFAULTS,
                "stricter",
            ),
        ),
    ),
    Rule(
        id="MLP-REG-06",
        name="azure-acr-public-network-disabled",
        description="ACR is reachable through private endpoints only.",
        enforcement="advisory",
        severity="medium",
        resource_types=(ACR,),
        anchor="CKV_AZURE_139",
        frameworks=("cis-azure-foundations",),
        remediation="Premium SKU, publicNetworkAccess: Disabled and a private endpoint.",
        check=_acr_network,
        absent=(
            Absent(
                ACR,
                "publicNetworkAccess",
                "Enabled: any network reaches the registry",
                ACR_DEFAULTS,
                "unsafe",
            ),
        ),
    ),
    Rule(
        id="MLP-REG-07",
        name="platform-registry-customer-managed-key",
        description="Registries encrypt images with a key you manage.",
        enforcement="advisory",
        severity="low",
        resource_types=(ECR, ACR, GAR),
        anchor="CKV_AWS_136 / CKV_GCP_84",
        frameworks=(),
        remediation="Give the registry a KMS / Key Vault / Cloud KMS key.",
        check=_cmk,
        absent=(
            Absent(
                ECR,
                "encryptionConfigurations",
                "AES256 with keys AWS manages",
                f"{ECR_DOCS}: encryptionType 'Defaults to `AES256`'",
                "unsafe",
            ),
            Absent(
                ECR,
                "encryptionConfigurations[].encryptionType",
                "AES256 with keys AWS manages",
                f"{ECR_DOCS}: encryptionType 'Defaults to `AES256`'",
                "unsafe",
            ),
            Absent(
                ECR,
                "encryptionConfigurations[].kmsKey",
                "the AWS managed key for ECR (aws/ecr), not a key you manage",
                f"{ECR_DOCS}: kmsKey 'If not specified, uses the default AWS managed key for ECR'",
                "unsafe",
            ),
            Absent(
                ACR,
                "encryption.status",
                "disabled: a Microsoft-managed key",
                "pulumi-azure-native 3.29.0 containerregistry.Registry encryption.status "
                "('Indicates whether or not the encryption is enabled for container registry'; "
                "enum enabled, disabled; customer-managed keys only when enabled)",
                "unsafe",
            ),
            Absent(
                GAR,
                "kmsKeyName",
                "a Google-managed key",
                "pulumi-gcp 10.2.0 artifactregistry.Repository kmsKeyName: 'The Cloud KMS "
                "resource name of the customer managed encryption key that's used to encrypt the "
                "contents of the Repository'",
                "unsafe",
            ),
        ),
    ),
    Rule(
        id="MLP-REG-08",
        name="platform-registry-cleanup-policy",
        description="Registries delete untagged and old images.",
        enforcement="advisory",
        severity="low",
        resource_types=(ECR, ECR_LIFECYCLE, ACR, GAR),
        anchor="AWS FSBP ECR.3 / CKV_AZURE_167",
        frameworks=(),
        remediation="Add a lifecycle / retention / cleanup policy (mlplatform's registries do).",
        stack_check=_cleanup,
        absent=(
            Absent(
                ACR,
                "policies.retentionPolicy.status",
                "disabled: untagged manifests are kept",
                "pulumi-azure-native 3.29.0 containerregistry RetentionPolicy: the SDK fills "
                "status 'disabled' (and days 7) when it is left out",
                "unsafe",
            ),
            Absent(
                GAR,
                "cleanupPolicies",
                "no policy: every version is kept",
                "https://cloud.google.com/artifact-registry/docs/repositories/cleanup-policy "
                "(cleanup policies are what automate artifact removal)",
                "unsafe",
            ),
            Absent(
                GAR,
                "cleanupPolicyDryRun",
                "false: the cleanup policies delete what they match (a dry run only reports)",
                "https://cloud.google.com/artifact-registry/docs/repositories/cleanup-policy "
                '("you can preview changes with a dry run before applying them"); Artifact '
                "Registry API Repository.cleanupPolicyDryRun: if true, the cleanup pipeline is "
                "prevented from deleting versions",
                "safe",
            ),
        ),
    ),
)
