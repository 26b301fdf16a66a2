"""Cluster Autoscaler for EKS managed node groups: scales GPU pools from minNodes (0) to maxNodes.

The upstream chart, pinned, with an IRSA role limited to the cluster's own
Auto Scaling groups (EKS tags every managed node group's ASG with
`k8s.io/cluster-autoscaler/<cluster>`); scale-from-zero reads labels and
taints through `eks:DescribeNodegroup`.
"""

from collections.abc import Mapping
from typing import Any, Required, TypedDict

import pulumi
import pulumi_kubernetes as k8s

from mlplatform import defaults
from mlplatform.aws.iam import AwsWorkloadIdentity
from mlplatform.component_args import check_args
from mlplatform.contracts import ChartSourceArgs, child
from mlplatform.kubernetes import charts

NAMESPACE = "kube-system"
SERVICE_ACCOUNT = "cluster-autoscaler"


def autoscaler_policy(cluster_name: str) -> list[dict[str, Any]]:
    """Least-privilege IAM statements (cluster-autoscaler AWS cloud provider README)."""
    return [
        {
            "Effect": "Allow",
            "Resource": "*",
            "Action": [
                "autoscaling:DescribeAutoScalingGroups",
                "autoscaling:DescribeAutoScalingInstances",
                "autoscaling:DescribeLaunchConfigurations",
                "autoscaling:DescribeScalingActivities",
                "autoscaling:DescribeTags",
                "ec2:DescribeImages",
                "ec2:DescribeInstanceTypes",
                "ec2:DescribeLaunchTemplateVersions",
                "ec2:GetInstanceTypesFromInstanceRequirements",
                "eks:DescribeNodegroup",
            ],
        },
        {
            "Effect": "Allow",
            "Resource": "*",
            "Action": [
                "autoscaling:SetDesiredCapacity",
                "autoscaling:TerminateInstanceInAutoScalingGroup",
            ],
            "Condition": {
                "StringEquals": {
                    f"aws:ResourceTag/k8s.io/cluster-autoscaler/{cluster_name}": "owned"
                }
            },
        },
    ]


class EksClusterAutoscalerArgs(TypedDict, total=False):
    """Args of `EksClusterAutoscaler`. Give the cluster's Kubernetes provider in the resource
    options (`providers`)."""

    cluster_name: Required[pulumi.Input[str]]
    """The EKS cluster's name (`EksGpuCluster.cluster_name`)."""
    oidc_provider_arn: Required[pulumi.Input[str]]
    """The cluster's IAM OIDC provider ARN (`EksGpuCluster.oidc_provider_arn`)."""
    oidc_issuer_url: Required[pulumi.Input[str]]
    """The cluster's OIDC issuer URL (`EksGpuCluster.oidc_issuer_url`)."""
    region: Required[str]
    """AWS region of the cluster."""
    kubernetes_version: Required[str]
    """The cluster's Kubernetes minor version: picks the matching autoscaler image."""
    tags: Mapping[str, str]
    """Tags on the autoscaler's IAM role. Default: none."""
    charts: ChartSourceArgs
    """Where the pinned cluster-autoscaler chart comes from. Default: its upstream repository."""


class EksClusterAutoscaler(pulumi.ComponentResource):
    """The cluster-autoscaler Helm release with its own workload identity."""

    role_arn: pulumi.Output[str]
    """ARN of the IAM role the autoscaler's service account assumes."""

    def __init__(
        self,
        name: str,
        args: EksClusterAutoscalerArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        # check_args holds kubernetes_version to the EKS versions with pinned add-ons, and each
        # has a pinned autoscaler image (tests/unit/test_aws_cluster.py holds the sets equal).
        check_args(self, name, EksClusterAutoscalerArgs, args)
        version = args["kubernetes_version"]
        super().__init__("mlplatform:index:EksClusterAutoscaler", name, None, opts)
        identity = AwsWorkloadIdentity(
            f"{name}-identity",
            {
                "oidc_provider_arn": args["oidc_provider_arn"],
                "oidc_issuer_url": args["oidc_issuer_url"],
                "namespace": NAMESPACE,
                "service_account": SERVICE_ACCOUNT,
                "tags": dict(args.get("tags", {})),
            },
            pulumi.ResourceOptions(parent=self),
        )
        cluster_name = pulumi.Output.from_input(args["cluster_name"])
        identity.allow("autoscaling", cluster_name.apply(autoscaler_policy))
        chart = charts.CLUSTER_AUTOSCALER
        # The autoscaler keeps the chart's Kubernetes API token: it watches pods and nodes.
        k8s.helm.v3.Release(
            f"{name}-release",
            name=chart.name,
            **charts.release_source(chart, args.get("charts")),
            namespace=NAMESPACE,
            values={
                "cloudProvider": "aws",
                "awsRegion": args["region"],
                "autoDiscovery": {"clusterName": cluster_name},
                "image": {"tag": charts.CLUSTER_AUTOSCALER_IMAGE_TAGS[version]},
                "rbac": {
                    "serviceAccount": {
                        "create": True,
                        "name": SERVICE_ACCOUNT,
                        "annotations": identity.annotations,
                    }
                },
                "extraArgs": {
                    "balance-similar-node-groups": True,
                    "expander": "least-waste",
                    "skip-nodes-with-local-storage": False,
                },
                "nodeSelector": {defaults.POOL_LABEL: "system"},
            },
            atomic=True,
            cleanup_on_fail=True,
            opts=child(self),
        )
        self.role_arn = identity.role_arn
        self.register_outputs({"role_arn": self.role_arn})
