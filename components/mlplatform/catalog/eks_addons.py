"""EKS managed add-on versions, pinned per Kubernetes minor, with where each was found.

Cloud facts kept beside the GPU catalog, so the spec can reject a version
that has no pinned add-ons before any resource exists.

AWS publishes the latest add-on build per Kubernetes version on the add-on
pages of the EKS user guide; vpc-cni and the EBS CSI driver builds below were
seen as the EKS default in live clusters (Sept 2026), their upstream releases
checked in the projects' repositories. Re-check before moving a minor version.
"""

from __future__ import annotations

ADDON_VERSIONS: dict[str, dict[str, str]] = {
    "1.35": {
        "vpc-cni": "v1.22.4-eksbuild.3",
        "kube-proxy": "v1.35.3-eksbuild.13",
        "coredns": "v1.14.3-eksbuild.3",
        "aws-ebs-csi-driver": "v1.66.0-eksbuild.1",
        "amazon-cloudwatch-observability": "v6.7.0-eksbuild.1",
    },
    "1.36": {
        "vpc-cni": "v1.22.4-eksbuild.3",
        "kube-proxy": "v1.36.0-eksbuild.14",
        "coredns": "v1.14.3-eksbuild.3",
        "aws-ebs-csi-driver": "v1.66.0-eksbuild.1",
        "amazon-cloudwatch-observability": "v6.7.0-eksbuild.1",
    },
}
SOURCES = {
    "kube-proxy": "https://docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html",
    "coredns": "https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html",
    "vpc-cni": "https://docs.aws.amazon.com/eks/latest/userguide/managing-vpc-cni.html "
    "(observed EKS default; upstream aws/amazon-vpc-cni-k8s)",
    "aws-ebs-csi-driver": "https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html "
    "(observed EKS build; upstream kubernetes-sigs/aws-ebs-csi-driver)",
    "amazon-cloudwatch-observability": "https://docs.aws.amazon.com/eks/latest/userguide/"
    "amazon-cloudwatch-observability.html (v6.2.0+ supports EKS 1.28+; v6.7.0-eksbuild.1 seen "
    "as the newest build EKS returns for 1.36, Sept 2026; the 1.35 pin is inferred from that "
    "range: confirm with aws eks describe-addon-versions)",
}
CHECKED = "2026-11-27"
SUPPORTED_VERSIONS = tuple(sorted(ADDON_VERSIONS))
