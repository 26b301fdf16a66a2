"""Namespaces the platform creates on any target: labelled like its other objects, their pods
held to the restricted Pod Security Standard."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi


def restricted_namespace(
    resource_name: str, namespace: str, tags: Mapping[str, str], opts: pulumi.ResourceOptions
) -> pulumi.Output[str]:
    """The namespace `namespace` (resource `resource_name`), restricted; its name once it
    exists."""
    import pulumi_kubernetes as k8s

    from mlplatform.kubernetes.labels import labels

    created = k8s.core.v1.Namespace(
        resource_name,
        metadata={
            "name": namespace,
            "labels": {
                **labels(namespace, "namespace", tags),
                "pod-security.kubernetes.io/enforce": "restricted",
            },
        },
        opts=opts,
    )
    return created.metadata.apply(lambda m: m.name or namespace)
