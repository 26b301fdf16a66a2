"""Left-out cases for the rules of policies/mlplatform_policies/network.py."""

from __future__ import annotations

from tests.policy.absent.common import left_out
from tests.policy.cases import (
    ANY_HOST,
    FIREWALL,
    INGRESS,
    INGRESS_TLS,
    MODEL_HOST,
    MODEL_TLS,
    NSG,
    NSG_RULE,
    OPEN,
    SG,
    SG_INGRESS,
    SG_RULE,
    Case,
    inbound,
    ingress,
    res,
)

SSH = [{"protocol": "tcp", "ports": ["22"]}]
HTTPS = {"protocol": "tcp", "fromPort": 443, "toPort": 443}

CASES: list[Case] = [
    left_out(
        OPEN,
        FIREWALL,
        "sourceRanges",
        res(FIREWALL, {"allows": SSH}),
        ["ingress from 0.0.0.0/0 (no source given: GCP admits any address) is allowed: tcp 22"],
    ),
    left_out(
        OPEN,
        FIREWALL,
        "sourceTags",
        res(
            FIREWALL,
            {"sourceServiceAccounts": ["bastion@p.iam.gserviceaccount.com"], "allows": SSH},
        ),
        [],
    ),
    left_out(
        OPEN,
        FIREWALL,
        "sourceServiceAccounts",
        res(FIREWALL, {"sourceTags": ["bastion"], "allows": SSH}),
        [],
    ),
    # direction and disabled left out: GCP enforces the rule on incoming traffic, so an open
    # source range is judged as an opening.
    left_out(
        OPEN,
        FIREWALL,
        "direction",
        res(FIREWALL, {"sourceRanges": ["0.0.0.0/0"], "allows": [{"protocol": "tcp"}]}),
        ["ingress from 0.0.0.0/0 is allowed: tcp"],
    ),
    left_out(
        OPEN,
        FIREWALL,
        "disabled",
        res(
            FIREWALL,
            {"direction": "INGRESS", "sourceRanges": ["::/0"], "allows": [{"protocol": "all"}]},
        ),
        ["ingress from ::/0 is allowed: all traffic"],
    ),
    left_out(
        OPEN,
        SG,
        "ingress[].cidrBlocks",
        res(SG, {"ingress": [{**HTTPS, "securityGroups": ["sg-1"]}]}),
        [],
    ),
    left_out(
        OPEN,
        SG,
        "ingress[].ipv6CidrBlocks",
        res(SG, {"ingress": [{**HTTPS, "cidrBlocks": ["10.0.0.0/16"]}]}),
        [],
    ),
    left_out(
        OPEN,
        SG_RULE,
        "cidrBlocks",
        res(SG_RULE, {"type": "ingress", **HTTPS, "sourceSecurityGroupId": "sg-1"}),
        [],
    ),
    left_out(
        OPEN,
        SG_RULE,
        "ipv6CidrBlocks",
        res(SG_RULE, {"type": "ingress", **HTTPS, "cidrBlocks": ["10.0.0.0/16"]}),
        [],
    ),
    left_out(
        OPEN,
        SG_INGRESS,
        "cidrIpv4",
        res(
            SG_INGRESS,
            {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "prefixListId": "pl-1"},
        ),
        [],
    ),
    left_out(
        OPEN,
        SG_INGRESS,
        "cidrIpv6",
        res(
            SG_INGRESS,
            {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "10.0.0.0/16"},
        ),
        [],
    ),
    left_out(
        OPEN,
        NSG_RULE,
        "sourceAddressPrefix",
        res(NSG_RULE, inbound(sourceAddressPrefixes=["10.0.0.0/8"], destinationPortRange="443")),
        [],
    ),
    left_out(
        OPEN,
        NSG_RULE,
        "sourceAddressPrefixes",
        res(NSG_RULE, inbound(sourceAddressPrefix="VirtualNetwork", destinationPortRange="443")),
        [],
    ),
    left_out(
        OPEN,
        NSG,
        "securityRules[].sourceAddressPrefix",
        res(NSG, {"securityRules": [inbound(name="vnet", sourceAddressPrefixes=["10.0.0.0/8"])]}),
        [],
    ),
    left_out(
        OPEN,
        NSG,
        "securityRules[].sourceAddressPrefixes",
        res(NSG, {"securityRules": [inbound(name="lb", sourceAddressPrefix="AzureLoadBalancer")]}),
        [],
    ),
    left_out(
        INGRESS_TLS,
        INGRESS,
        "spec.tls",
        ingress(None, MODEL_HOST),
        [f"the Ingress has no TLS (spec.tls): it serves {MODEL_HOST} over plain HTTP"],
    ),
    left_out(
        INGRESS_TLS,
        INGRESS,
        "spec.tls[].hosts",
        ingress([{"secretName": "default-certificate"}], MODEL_HOST),
        [],
    ),
    left_out(
        INGRESS_TLS,
        INGRESS,
        "spec.rules[].host",
        ingress(MODEL_TLS, None),
        [f"spec.rules[0] has no host: it {ANY_HOST}"],
    ),
    left_out(INGRESS_TLS, INGRESS, "spec.defaultBackend", ingress(MODEL_TLS, MODEL_HOST), []),
]
