"""Cluster Autoscaler for EKS managed node groups: scales GPU pools from minNodes (0) to maxNodes.

The upstream chart, pinned, with an IRSA role limited to the cluster's own
Auto Scaling groups (EKS tags every managed node group's ASG with
`k8s.io/cluster-autoscaler/<cluster>`); scale-from-zero reads labels and
taints through `eks:DescribeNodegroup`.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from mlplatform import defaults
from mlplatform.aws.cluster import EksGpuCluster
from mlplatform.contracts import child
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


class EksClusterAutoscaler(pulumi.ComponentResource):
    """The cluster-autoscaler Helm release with its own workload identity."""

    def __init__(
        self,
        name: str,
        cluster: EksGpuCluster,
        region: str,
        kubernetes_version: str,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("mlplatform:index:EksClusterAutoscaler", name, None, opts)
        identity = cluster.workload_identity(
            f"{name}-identity", NAMESPACE, SERVICE_ACCOUNT, parent=self
        )
        identity.allow("autoscaling", cluster.cluster_name.apply(autoscaler_policy))
        chart = charts.CLUSTER_AUTOSCALER
        k8s.helm.v3.Release(
            f"{name}-release",
            name=chart.name,
            chart=chart.name,
            version=chart.version,
            repository_opts={"repo": chart.repo},
            namespace=NAMESPACE,
            values={
                "cloudProvider": "aws",
                "awsRegion": region,
                "autoDiscovery": {"clusterName": cluster.cluster_name},
                "image": {"tag": charts.CLUSTER_AUTOSCALER_IMAGE_TAGS[kubernetes_version]},
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
            opts=child(self, provider=cluster.provider),
        )
        self.register_outputs({})
