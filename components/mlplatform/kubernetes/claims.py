"""The volume claim of every in-cluster stand-in (artifact store, registry, PostgreSQL).

`storageClassName` is set only when the stack names a class: the cluster's default class
applies otherwise, and a null field would only be dropped by the Kubernetes provider's Check,
making what the program registers differ from what the engine records.
"""

import pulumi_kubernetes as k8s


def claim_spec(
    size_gi: int, storage_class: str | None
) -> k8s.core.v1.PersistentVolumeClaimSpecArgsDict:
    """A ReadWriteOnce claim of `size_gi` GiB in `storage_class` (None: the cluster default)."""
    spec: k8s.core.v1.PersistentVolumeClaimSpecArgsDict = {
        "access_modes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": f"{size_gi}Gi"}},
    }
    if storage_class:
        spec["storage_class_name"] = storage_class
    return spec
