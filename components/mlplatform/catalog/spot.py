"""What each cloud marks its spot GPU nodes with: the node label it sets on them, and the taint
it adds (AKS only). Kueue's ResourceFlavors select spot pools by them.

Pure data, checked 2026-12-07:
- EKS managed node groups label every node with its capacity type (`eks.amazonaws.com/
  capacityType: SPOT` or `ON_DEMAND`): docs.aws.amazon.com/eks/latest/userguide/
  managed-node-groups.html, "Managed node group capacity types".
- AKS spot node pools: "Spot nodes are given the label kubernetes.azure.com/scalesetpriority:
  spot, the taint kubernetes.azure.com/scalesetpriority=spot:NoSchedule":
  learn.microsoft.com/azure/aks/spot-node-pool.
- GKE Spot VMs nodes carry `cloud.google.com/gke-spot: "true"` (select them with that node
  selector): docs.cloud.google.com/kubernetes-engine/docs/concepts/spot-vms.
"""

SPOT_NODE_LABEL = {
    "aws": ("eks.amazonaws.com/capacityType", "SPOT"),
    "azure": ("kubernetes.azure.com/scalesetpriority", "spot"),
    "gcp": ("cloud.google.com/gke-spot", "true"),
}
"""(label, value) every spot node of a cloud's node pool carries."""
SPOT_NODE_TAINT = {
    "azure": {
        "key": "kubernetes.azure.com/scalesetpriority",
        "value": "spot",
        "effect": "NoSchedule",
    }
}
"""The taint a cloud puts on every spot node by itself (AKS); none on EKS and GKE."""
