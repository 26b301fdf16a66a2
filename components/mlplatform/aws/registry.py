"""ECR registry: a private repository with scan on push, immutable tags, KMS and lifecycle."""

import json
from collections.abc import Mapping
from typing import Any, TypedDict

import pulumi
from pulumi_aws import ecr

from mlplatform import defaults
from mlplatform.aws.iam import AwsWorkloadIdentity, policy_document
from mlplatform.aws.kms import data_key
from mlplatform.component_args import check_args
from mlplatform.contracts import child


class EcrRegistryArgs(TypedDict, total=False):
    """Args of `EcrRegistry`."""

    tags: Mapping[str, str]
    """Tags on the repository and the key it creates. Default: none."""
    immutable_tags: bool
    """Refuse to overwrite a pushed tag. Default: immutable."""
    scan_on_push: bool
    """Basic scanning of every pushed image. Default: on."""
    untagged_expiry_days: int
    """Days before an untagged image is deleted. Default: 14."""
    keep_last_images: int
    """Newest images always kept. Default: 50."""
    kms_key_id: pulumi.Input[str] | None
    """ARN of a customer-managed KMS key to encrypt images with. Default: a dedicated KMS key
    with rotation is created."""
    protect: bool
    """Protect the repository and the key it creates from deletion. Default: protected."""


def lifecycle_policy(untagged_days: int, keep_last: int) -> str:
    """ECR lifecycle policy JSON: expire untagged images, keep the newest `keep_last` images.

    The `any` rule must have the highest priority number (ECR evaluates rules in order).
    """
    return json.dumps(
        {
            "rules": [
                {
                    "rulePriority": 1,
                    "description": f"Expire untagged images after {untagged_days} days",
                    "selection": {
                        "tagStatus": "untagged",
                        "countType": "sinceImagePushed",
                        "countUnit": "days",
                        "countNumber": untagged_days,
                    },
                    "action": {"type": "expire"},
                },
                {
                    "rulePriority": 2,
                    "description": f"Keep the newest {keep_last} images",
                    "selection": {
                        "tagStatus": "any",
                        "countType": "imageCountMoreThan",
                        "countNumber": keep_last,
                    },
                    "action": {"type": "expire"},
                },
            ]
        }
    )


class EcrRegistry(pulumi.ComponentResource):
    """A private ECR repository for ML images, secure by default.

    Children: a dedicated KMS key (unless one is given), the repository
    (protected, scan on push, immutable tags, KMS) and its lifecycle policy.
    """

    repository_url: pulumi.Output[str]
    """`<account>.dkr.ecr.<region>.amazonaws.com/<name>` to push and pull."""
    repository_arn: pulumi.Output[str]
    """Repository ARN, for IAM policies."""
    pull_policy: pulumi.Output[str]
    """IAM policy document (JSON) to pull the repository's images and decrypt them: what
    `grant_pull` attaches; in other languages, attach it to a workload's role as an inline
    policy."""

    def __init__(
        self, name: str, args: EcrRegistryArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, EcrRegistryArgs, args)
        super().__init__("mlplatform:index:EcrRegistry", name, None, opts)
        protect = args.get("protect", True)
        tags = args.get("tags", {})
        given_key = args.get("kms_key_id")
        key_arn = (
            given_key if given_key else data_key(name, "container images", self, protect, tags).arn
        )

        repo = ecr.Repository(
            f"{name}-repo",
            image_tag_mutability="IMMUTABLE" if args.get("immutable_tags", True) else "MUTABLE",
            image_scanning_configuration={"scan_on_push": args.get("scan_on_push", True)},
            encryption_configurations=[{"encryption_type": "KMS", "kms_key": key_arn}],
            force_delete=False,
            tags=tags,
            opts=child(self, protect=protect),
        )
        ecr.LifecyclePolicy(
            f"{name}-lifecycle",
            repository=repo.name,
            policy=lifecycle_policy(
                args.get("untagged_expiry_days", defaults.UNTAGGED_IMAGE_DAYS),
                args.get("keep_last_images", defaults.KEEP_LAST_IMAGES),
            ),
            opts=child(self),
        )
        self.repository_url = repo.repository_url
        self.repository_arn = repo.arn
        self._key_arn = pulumi.Output.from_input(key_arn)
        self._pull = _pull_statements(self.repository_arn, self._key_arn)
        self.pull_policy = self._pull.apply(policy_document)
        self.register_outputs(
            {
                "repository_url": self.repository_url,
                "repository_arn": self.repository_arn,
                "pull_policy": self.pull_policy,
            }
        )

    def grant_pull(self, identity: AwsWorkloadIdentity) -> None:
        """Let `identity` pull images from the repository."""
        identity.allow("registry-pull", self._pull)


def _pull_statements(
    repository_arn: pulumi.Output[str], key_arn: pulumi.Output[str]
) -> pulumi.Output[list[dict[str, Any]]]:
    """IAM statements to pull images from the repository (and decrypt them with its key)."""
    return pulumi.Output.all(repository_arn, key_arn).apply(
        lambda v: [
            {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
            {
                "Effect": "Allow",
                "Action": [
                    "ecr:BatchGetImage",
                    "ecr:GetDownloadUrlForLayer",
                    "ecr:BatchCheckLayerAvailability",
                ],
                "Resource": v[0],
            },
            {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": v[1]},
        ]
    )
