"""Artifact Registry docker repository: private, immutable tags, scanning, cleanup policies."""

from collections.abc import Mapping
from typing import Required, TypedDict

import pulumi
from pulumi_gcp import artifactregistry

from mlplatform import defaults
from mlplatform.component_args import check_args
from mlplatform.contracts import SECONDS_PER_DAY, child
from mlplatform.gcp.identity import GcpWorkloadIdentity
from mlplatform.naming import repository_id


class ArtifactRegistryDockerArgs(TypedDict, total=False):
    """Args of `ArtifactRegistryDocker`."""

    project: Required[pulumi.Input[str]]
    """GCP project id."""
    location: Required[pulumi.Input[str]]
    """Repository region, e.g. us-central1."""
    tags: Mapping[str, str]
    """Labels on the repository. Default: none."""
    immutable_tags: bool
    """Refuse to overwrite a pushed tag. Default: immutable."""
    scan_on_push: bool
    """Artifact Analysis scanning of pushed images (the project's setting). Default: on."""
    untagged_expiry_days: int
    """Days before an untagged image is deleted. Default: 14."""
    keep_last_images: int
    """Newest images always kept. Default: 50."""
    kms_key_id: pulumi.Input[str] | None
    """Cloud KMS key to encrypt images with. Default: Google-managed encryption."""
    protect: bool
    """Protect the repository from deletion. Default: protected."""


class ArtifactRegistryDocker(pulumi.ComponentResource):
    """A private Docker repository in Artifact Registry for ML images.

    Cleanup: untagged images older than `untagged_expiry_days` are deleted;
    the newest `keep_last_images` versions are always kept (KEEP wins over DELETE).
    Unlike ECR's count rule, a KEEP policy only exempts: tagged images beyond
    `keep_last_images` are not deleted.
    """

    repository_url: pulumi.Output[str]
    """`<region>-docker.pkg.dev/<project>/<repo>` to push and pull."""
    repository_name: pulumi.Output[str]
    """Full resource name, the scope for IAM bindings."""

    def __init__(
        self,
        name: str,
        args: ArtifactRegistryDockerArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_args(self, name, ArtifactRegistryDockerArgs, args)
        super().__init__("mlplatform:index:ArtifactRegistryDocker", name, None, opts)
        protect = args.get("protect", True)
        untagged_days = args.get("untagged_expiry_days", defaults.UNTAGGED_IMAGE_DAYS)
        repo = artifactregistry.Repository(
            f"{name}-repo",
            project=args["project"],
            location=args["location"],
            repository_id=repository_id(name),
            format="DOCKER",
            mode="STANDARD_REPOSITORY",
            description="mlplatform: training and serving images",
            docker_config={"immutable_tags": args.get("immutable_tags", True)},
            vulnerability_scanning_config={
                "enablement_config": "INHERITED" if args.get("scan_on_push", True) else "DISABLED"
            },
            cleanup_policy_dry_run=False,
            cleanup_policies=[
                {
                    "id": "delete-untagged",
                    "action": "DELETE",
                    "condition": {
                        "tag_state": "UNTAGGED",
                        "older_than": f"{untagged_days * SECONDS_PER_DAY}s",
                    },
                },
                {
                    "id": "keep-recent",
                    "action": "KEEP",
                    "most_recent_versions": {
                        "keep_count": args.get("keep_last_images", defaults.KEEP_LAST_IMAGES)
                    },
                },
            ],
            kms_key_name=args.get("kms_key_id"),
            deletion_policy="PREVENT" if protect else "DELETE",
            labels=args.get("tags", {}),
            opts=child(self, protect=protect),
        )
        self._repo = repo
        self.repository_name = repo.name
        self.repository_url = pulumi.Output.concat(
            repo.location, "-docker.pkg.dev/", repo.project, "/", repo.repository_id
        )
        self.register_outputs(
            {"repository_url": self.repository_url, "repository_name": self.repository_name}
        )

    def grant_pull(self, identity: GcpWorkloadIdentity) -> None:
        """Let `identity` pull images from this repository only."""
        artifactregistry.RepositoryIamMember(
            f"{identity._name}-registry-pull",
            project=self._repo.project,
            location=self._repo.location,
            repository=self._repo.repository_id,
            role="roles/artifactregistry.reader",
            member=identity.member,
            opts=child(identity),
        )
