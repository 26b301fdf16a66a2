"""Exposure controls and API tokens judged on their own resources: a user's program that uses
none of mlplatform's components, written with the real provider SDKs (so the captured camelCase
inputs and type tokens are the SDKs' own), fails each rule on the very resource that opens
access, through the pack's gRPC protocol."""

from __future__ import annotations

import json
from typing import Any

from mlplatform.checks.analyzer import analyze
from mlplatform.checks.report import build_report
from mlplatform.engine import run_program
from tests.conftest import ROOT

PACK = ROOT / "policies"


def user_program() -> None:
    import pulumi_aws as aws
    import pulumi_azure_native as azure_native
    import pulumi_gcp as gcp
    import pulumi_kubernetes as k8s

    aws.s3.BucketPublicAccessBlock(
        "their-block",
        bucket="a-bucket-made-elsewhere",
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=False,
        restrict_public_buckets=True,
    )
    aws.ec2.SecurityGroup(
        "ssh-anywhere",
        ingress=[{"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}],
    )
    aws.ec2.SecurityGroupRule(
        "https-anywhere",
        type="ingress",
        security_group_id="sg-1",
        protocol="tcp",
        from_port=443,
        to_port=443,
        ipv6_cidr_blocks=["::/0"],
    )
    aws.vpc.SecurityGroupIngressRule(
        "postgres-anywhere",
        security_group_id="sg-1",
        ip_protocol="tcp",
        from_port=5432,
        to_port=5432,
        cidr_ipv4="0.0.0.0/0",
    )
    gcp.compute.Firewall(
        "open-firewall",
        network="default",
        source_ranges=["0.0.0.0/0"],
        allows=[{"protocol": "tcp", "ports": ["22"]}],
    )
    rule: dict[str, Any] = {
        "direction": "Inbound",
        "access": "Allow",
        "protocol": "Tcp",
        "priority": 100,
        "source_port_range": "*",
        "destination_address_prefix": "*",
    }
    azure_native.network.SecurityRule(
        "rdp-from-internet",
        resource_group_name="rg",
        network_security_group_name="nsg",
        source_address_prefix="Internet",
        destination_port_range="3389",
        **rule,
    )
    azure_native.network.NetworkSecurityGroup(
        "open-nsg",
        resource_group_name="rg",
        security_rules=[
            azure_native.network.SecurityRuleArgs(
                name="ssh", source_address_prefix="*", destination_port_range="22", **rule
            )
        ],
    )
    azure_native.storage.StorageAccount(
        "open-account",
        resource_group_name="rg",
        kind="StorageV2",
        sku={"name": "Standard_LRS"},
        public_network_access="Enabled",
    )
    azure_native.dbforpostgresql.FirewallRule(
        "everyone",
        resource_group_name="rg",
        server_name="pg",
        start_ip_address="0.0.0.0",
        end_ip_address="255.255.255.255",
    )
    gcp.storage.BucketIAMMember(
        "public-read",
        bucket="a-bucket-made-elsewhere",
        role="roles/storage.objectViewer",
        member="allUsers",
    )
    gcp.artifactregistry.RepositoryIamPolicy(
        "public-images",
        repository="images",
        location="us-central1",
        policy_data=json.dumps(
            {"bindings": [{"role": "roles/artifactregistry.reader", "members": ["allUsers"]}]}
        ),
    )
    k8s.core.v1.ServiceAccount("app-sa", metadata={"name": "app", "namespace": "ml"})
    k8s.apps.v1.Deployment(
        "app",
        metadata={"name": "app", "namespace": "ml"},
        spec={
            "selector": {"match_labels": {"app": "app"}},
            "template": {
                "metadata": {"labels": {"app": "app"}},
                "spec": {"containers": [{"name": "app", "image": "registry.example/app:1"}]},
            },
        },
    )
    backend: k8s.networking.v1.IngressBackendArgsDict = {
        "service": {"name": "app", "port": {"number": 80}}
    }
    http: k8s.networking.v1.HTTPIngressRuleValueArgsDict = {
        "paths": [{"path": "/", "path_type": "Prefix", "backend": backend}]
    }
    k8s.networking.v1.Ingress(
        "app-http",
        metadata={"name": "app", "namespace": "ml"},
        spec={"rules": [{"host": "app.example.com", "http": http}]},
    )


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:exposure::test::{type_}::{name}"


def test_a_users_own_exposed_resources_fail_on_themselves() -> None:
    plan = run_program(user_program, stack="exposure")
    report = build_report("exposure", analyze(plan, PACK))
    found = {
        r.policy.name: sorted((v.urn, v.message) for v in r.violations) for r in report.results
    }
    assert found["aws-s3-public-access-block-all-on"] == [
        (
            urn("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "their-block"),
            "ignorePublicAcls is not true",
        )
    ]
    assert found["platform-network-no-ingress-from-internet"] == sorted(
        [
            (
                urn("aws:ec2/securityGroup:SecurityGroup", "ssh-anywhere"),
                "ingress from 0.0.0.0/0 is allowed: tcp 22",
            ),
            (
                urn("aws:ec2/securityGroupRule:SecurityGroupRule", "https-anywhere"),
                "ingress from ::/0 is allowed: tcp 443",
            ),
            (
                urn(
                    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "postgres-anywhere"
                ),
                "ingress from 0.0.0.0/0 is allowed: tcp 5432",
            ),
            (
                urn("gcp:compute/firewall:Firewall", "open-firewall"),
                "ingress from 0.0.0.0/0 is allowed: tcp 22",
            ),
            (
                urn("azure-native:network:SecurityRule", "rdp-from-internet"),
                "ingress from Internet is allowed: Tcp 3389",
            ),
            (
                urn("azure-native:network:NetworkSecurityGroup", "open-nsg"),
                "rule ssh: ingress from * is allowed: Tcp 22",
            ),
        ]
    )
    assert found["azure-storage-public-network-disabled"] == [
        (
            urn("azure-native:storage:StorageAccount", "open-account"),
            "publicNetworkAccess is 'Enabled' and networkRuleSet.defaultAction is not Deny: any "
            "network can reach the account",
        )
    ]
    assert found["platform-database-not-public"] == [
        (
            urn("azure-native:dbforpostgresql:FirewallRule", "everyone"),
            "the firewall rule admits every IPv4 address (0.0.0.0-255.255.255.255)",
        )
    ]
    assert found["gcp-storage-bucket-iam-not-public"] == [
        (
            urn("gcp:storage/bucketIAMMember:BucketIAMMember", "public-read"),
            "allUsers holds roles/storage.objectViewer on the bucket",
        )
    ]
    assert found["platform-registry-no-public-pull"] == [
        (
            urn("gcp:artifactregistry/repositoryIamPolicy:RepositoryIamPolicy", "public-images"),
            "the repository is readable by allUsers / allAuthenticatedUsers",
        )
    ]
    assert found["kubernetes-ingress-tls"] == [
        (
            urn("kubernetes:networking.k8s.io/v1:Ingress", "app-http"),
            "the Ingress has no TLS (spec.tls): it serves app.example.com over plain HTTP",
        )
    ]
    assert found["kubernetes-no-unneeded-api-token"] == [
        (
            urn("kubernetes:apps/v1:Deployment", "app"),
            "the pod mounts the API token of service account 'default' (set "
            "automountServiceAccountToken: false on the pod spec or the account)",
        ),
        (
            urn("kubernetes:core/v1:ServiceAccount", "app-sa"),
            "automountServiceAccountToken is not false: every pod of the account gets a "
            "Kubernetes API token (set it false, or annotate mlplatform.io/api-token with why "
            "its pods call the API)",
        ),
    ]
