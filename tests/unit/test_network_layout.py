"""How the platform carves `network.cidr` on each cloud (`mlplatform.network_layout`): the one
layout the network components create and preflight judges. Pure functions, no Pulumi runtime."""

from __future__ import annotations

from mlplatform import network_layout as layout


def test_aws_splits_the_vpc_in_quarters_public_subnets_in_the_first() -> None:
    assert layout.aws_subnets("10.0.0.0/16", 3) == (
        ["10.0.0.0/22", "10.0.4.0/22", "10.0.8.0/22"],
        ["10.0.64.0/18", "10.0.128.0/18", "10.0.192.0/18"],
    )
    assert layout.aws_subnets("10.8.0.0/20", 2) == (
        ["10.8.0.0/26", "10.8.0.64/26"],
        ["10.8.4.0/22", "10.8.8.0/22"],
    )


def test_azure_gives_nodes_half_endpoints_and_the_database_an_eighth_each() -> None:
    assert layout.azure_subnets("10.0.0.0/16") == ("10.0.0.0/17", "10.0.128.0/19", "10.0.160.0/19")


def test_gcp_gives_nodes_and_services_a_quarter_and_pods_half() -> None:
    assert layout.gcp_ranges("10.0.0.0/16") == ("10.0.0.0/18", "10.0.64.0/18", "10.0.128.0/17")


def test_the_aks_cluster_ranges() -> None:
    assert (layout.AKS_POD_CIDR, layout.AKS_SERVICE_CIDR, layout.AKS_DNS_SERVICE_IP) == (
        "192.168.0.0/16",
        "172.16.0.0/16",
        "172.16.0.10",
    )
