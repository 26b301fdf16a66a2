"""Network exposure: no firewall rule, security group or network security rule lets the whole
internet in, and no Kubernetes Ingress serves a host over plain HTTP. Each is judged on its own
resource, keyed on its type, so one in a user's program that uses none of mlplatform's
components fails as surely as one of ours (MLflow's Ingress and a served model's alike).

Properties are the camelCase inputs the Pulumi providers capture (checked against pulumi-aws
7.51.1, pulumi-gcp 10.2.0 and pulumi-azure-native 3.29.0, and their registry pages
aws/api-docs/ec2/securitygroup, ec2/securitygrouprule, vpc/securitygroupingressrule,
gcp/api-docs/compute/firewall, azure-native/api-docs/network/securityrule and
network/networksecuritygroup). Ingress: networking.k8s.io/v1 IngressSpec and IngressTLS (a TLS
entry's `hosts` "defaults to the wildcard host setting for the loadbalancer controller" when left
unspecified) and IngressRule.host (a wildcard `*.` is one whole first label, matching one label).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from mlplatform_policies.model import OPEN_TO_ALL, Absent, Config, Resource, Rule, get, items

SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
SECURITY_GROUP_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
GCP_FIREWALL = "gcp:compute/firewall:Firewall"
NETWORK_SECURITY_GROUP = "azure-native:network:NetworkSecurityGroup"
SECURITY_RULE = "azure-native:network:SecurityRule"
AZURE_ANYWHERE = ("*", "internet", *OPEN_TO_ALL)
"""Azure source prefixes meaning anyone: '*' matches every address and the Internet service
tag every public one (SecurityRule.sourceAddressPrefix; service tags are case-insensitive)."""
NO_SOURCE = "0.0.0.0/0 (no source given: GCP admits any address)"
"""What a GCP ingress rule with none of sourceRanges, sourceTags and sourceServiceAccounts
admits: the API fills in 0.0.0.0/0 (hashicorp/terraform-provider-google#6789 and #4031, the
latter for an empty list; the provider's doc calls one of the three required but does not
enforce it)."""
ANY_PROTOCOL = ("-1", "all", "*")
"""AWS (-1), GCP (all) and Azure (*) spellings of every protocol."""
INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
FIREWALL_DOCS = "https://www.pulumi.com/registry/packages/gcp/api-docs/compute/firewall/"
AWS_ONE_SOURCE = (
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ec2-"
    'securitygroup-ingress.html ("You must specify exactly one of the following sources: an '
    'IPv4 address range, an IPv6 address range, a prefix list, or a security group")'
)
AWS_RULE_SOURCE = (
    'terraform-aws-modules/terraform-aws-security-group#65 (the provider requires "One of '
    "['cidr_blocks', 'ipv6_cidr_blocks', 'self', 'source_security_group_id', "
    "'prefix_list_ids'] must be set\")"
)
AZURE_ONE_SOURCE = (
    'hashicorp/terraform-provider-azurerm#29675 ("One of `source_address_prefix`, '
    "`source_address_prefixes` or `source_application_security_group_ids` must be "
    'specified"); Azure/azure-rest-api-specs#1591 ("the user must supply one or the other")'
)
K8S_INGRESS_DOCS = (
    "https://kubernetes.io/docs/reference/kubernetes-api/service-resources/ingress-v1/"
)
"""Pages quoted for the defaults of left-out properties."""
ANY_HOST = (
    "answers any host name over plain HTTP (only a spec.tls entry without hosts, the "
    "controller's default certificate, covers it)"
)


def _traffic(protocol: Any, ports: Sequence[str]) -> str:
    if str(protocol).lower() in ANY_PROTOCOL:
        return "all traffic"
    return f"{protocol} {', '.join(ports)}" if ports else str(protocol)


def _port(value: Any) -> str:
    """A port number as written: the analyzer protocol carries numbers as floats (22.0)."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _aws_ports(rule: Mapping[str, Any], protocol: Any) -> list[str]:
    if str(protocol) in ANY_PROTOCOL:
        return []
    low, high = _port(get(rule, "fromPort")), _port(get(rule, "toPort"))
    return [low if low == high else f"{low}-{high}"]


def _opened(sources: Sequence[Any], anywhere: Sequence[str]) -> list[str]:
    return [str(s) for s in sources if str(s).lower() in anywhere]


def _allowed(opened: list[str], traffic: str) -> str:
    return f"ingress from {', '.join(opened)} is allowed: {traffic}"


def _aws_rule(rule: Mapping[str, Any], protocol_key: str = "protocol") -> Iterator[str]:
    """An inline security group ingress block or a SecurityGroupRule (cidrBlocks,
    ipv6CidrBlocks) or a SecurityGroupIngressRule (cidrIpv4, cidrIpv6)."""
    sources = [
        *items(rule, "cidrBlocks"),
        *items(rule, "ipv6CidrBlocks"),
        *(get(rule, key) for key in ("cidrIpv4", "cidrIpv6") if get(rule, key) is not None),
    ]
    if opened := _opened(sources, OPEN_TO_ALL):
        protocol = get(rule, protocol_key)
        yield _allowed(opened, _traffic(protocol, _aws_ports(rule, protocol)))


def _azure_rule(rule: Mapping[str, Any]) -> Iterator[str]:
    if str(get(rule, "direction")).lower() != "inbound":
        return
    if str(get(rule, "access")).lower() != "allow":
        return
    prefix = get(rule, "sourceAddressPrefix")
    sources = [*([prefix] if prefix is not None else []), *items(rule, "sourceAddressPrefixes")]
    if opened := _opened(sources, AZURE_ANYWHERE):
        single = get(rule, "destinationPortRange")
        ports = [*([single] if single is not None else []), *items(rule, "destinationPortRanges")]
        ports = [p for p in map(str, ports) if p != "*"]
        yield _allowed(opened, _traffic(get(rule, "protocol"), ports))


def _gcp_firewall(props: Mapping[str, Any]) -> Iterator[str]:
    if get(props, "direction", "INGRESS") != "INGRESS" or get(props, "disabled") is True:
        return
    allows = items(props, "allows")
    if not allows:  # a deny rule, or nothing allowed
        return
    ranges = items(props, "sourceRanges")
    sources = [*ranges, *items(props, "sourceTags"), *items(props, "sourceServiceAccounts")]
    # An ingress rule naming no source (or an empty sourceRanges) admits 0.0.0.0/0.
    opened = _opened(ranges, OPEN_TO_ALL) if sources else [NO_SOURCE]
    if opened:
        traffic = [
            _traffic(get(a, "protocol"), [str(p) for p in items(a, "ports")]) for a in allows
        ]
        yield _allowed(opened, "; ".join(traffic))


def _no_internet_ingress(resource: Resource, _: Config) -> Iterator[str]:
    props = resource.props
    if resource.type == SECURITY_GROUP:
        for rule in items(props, "ingress"):
            yield from _aws_rule(rule)
    elif resource.type == SECURITY_GROUP_RULE:
        if get(props, "type") == "ingress":
            yield from _aws_rule(props)
    elif resource.type == SECURITY_GROUP_INGRESS:
        yield from _aws_rule(props, "ipProtocol")
    elif resource.type == GCP_FIREWALL:
        yield from _gcp_firewall(props)
    elif resource.type == SECURITY_RULE:
        yield from _azure_rule(props)
    else:  # network security group with inline rules
        for rule in items(props, "securityRules"):
            yield from (f"rule {get(rule, 'name')}: {m}" for m in _azure_rule(rule))


def _certified(names: Sequence[str], host: str) -> bool:
    """Whether a TLS entry's hosts cover `host`: the same name, or a wildcard `*.example.com`
    over a name one label longer (`api.example.com`)."""
    label, dot, rest = host.partition(".")
    wildcard = f"*.{rest}" if dot and label else None
    return any(n in (host, wildcard) for n in names)


def _ingress_tls(resource: Resource, _: Config) -> Iterator[str]:
    spec = get(resource.props, "spec", {})
    entries = items(spec, "tls")
    names = [str(h) for entry in entries for h in items(entry, "hosts")]
    any_host = any(not items(entry, "hosts") for entry in entries)
    hosts = [(i, get(rule, "host")) for i, rule in enumerate(items(spec, "rules"))]
    default = get(spec, "defaultBackend")
    if not entries:
        served = [str(h) for _, h in hosts if h not in (None, "")]
        if default is not None or any(h in (None, "") for _, h in hosts):
            served.append("any host")
        if served:
            shown = ", ".join(served)
            yield f"the Ingress has no TLS (spec.tls): it serves {shown} over plain HTTP"
        return
    for i, host in hosts:
        if host in (None, ""):
            if not any_host:
                yield f"spec.rules[{i}] has no host: it {ANY_HOST}"
        elif not any_host and not _certified(names, str(host)):
            yield (
                f"host {str(host)!r} (spec.rules[{i}].host) is in no spec.tls[].hosts: it is "
                "served over plain HTTP"
            )
    if default is not None and not any_host:
        yield f"spec.defaultBackend {ANY_HOST}"


RULES = (
    Rule(
        id="MLP-NET-01",
        name="platform-network-no-ingress-from-internet",
        description="No security group, firewall or network security rule admits the whole "
        "internet.",
        enforcement="mandatory",
        severity="high",
        resource_types=(
            SECURITY_GROUP,
            SECURITY_GROUP_RULE,
            SECURITY_GROUP_INGRESS,
            GCP_FIREWALL,
            NETWORK_SECURITY_GROUP,
            SECURITY_RULE,
        ),
        anchor="CKV_AWS_24 / CKV_AZURE_10 / CKV_GCP_2 (there SSH only; here every port)",
        frameworks=("cis-aws-foundations", "cis-azure-foundations", "cis-gcp-foundations"),
        remediation="Admit the networks, security groups or service tags that need the port "
        "(mlplatform admits the VPC and the cluster), never 0.0.0.0/0, ::/0, * or Internet.",
        check=_no_internet_ingress,
        absent=(
            Absent(
                GCP_FIREWALL,
                "sourceRanges",
                "with no sourceTags or sourceServiceAccounts either (or an empty list), GCP "
                "admits 0.0.0.0/0",
                'hashicorp/terraform-provider-google#6789 ("Firewall source_ranges defaults to '
                '0.0.0.0/0 when source_tags not provided"), #4031 (an empty list too); '
                'ManageIQ/manageiq#7673 ("Per docs, set default to 0.0.0.0/0 unless otherwise '
                'specified")',
                "unsafe",
            ),
            Absent(
                GCP_FIREWALL,
                "sourceTags",
                "no tag source: the rule's sources are its ranges and service accounts (none of "
                "the three: see sourceRanges)",
                f'{FIREWALL_DOCS} (sourceRanges: "For INGRESS traffic, one of sourceRanges, '
                'sourceTags or sourceServiceAccounts is required")',
                "safe",
            ),
            Absent(
                GCP_FIREWALL,
                "sourceServiceAccounts",
                "no service account source: the rule's sources are its ranges and tags (none of "
                "the three: see sourceRanges)",
                f'{FIREWALL_DOCS} (sourceRanges: "For INGRESS traffic, one of sourceRanges, '
                'sourceTags or sourceServiceAccounts is required")',
                "safe",
            ),
            Absent(
                GCP_FIREWALL,
                "direction",
                "INGRESS: the rule admits traffic into the network and is judged so",
                'Compute API Firewall.direction: "The default is INGRESS" '
                "(https://docs.rs/google-compute1/1.0.10+20190618/google_compute1/struct."
                "Firewall.html)",
                "unsafe",
            ),
            Absent(
                GCP_FIREWALL,
                "disabled",
                "false: the rule is enforced and judged",
                f'{FIREWALL_DOCS} (disabled: "If this is unspecified, the firewall rule will be '
                'enabled")',
                "unsafe",
            ),
            Absent(
                SECURITY_GROUP,
                "ingress[].cidrBlocks",
                "no range of this family: the source is another range, a security group, a "
                "prefix list or self",
                AWS_ONE_SOURCE,
                "safe",
            ),
            Absent(
                SECURITY_GROUP,
                "ingress[].ipv6CidrBlocks",
                "no range of this family: the source is another range, a security group, a "
                "prefix list or self",
                AWS_ONE_SOURCE,
                "safe",
            ),
            Absent(
                SECURITY_GROUP_RULE,
                "cidrBlocks",
                "no range of this family: the source is another range, a security group, a "
                "prefix list or self",
                AWS_RULE_SOURCE,
                "safe",
            ),
            Absent(
                SECURITY_GROUP_RULE,
                "ipv6CidrBlocks",
                "no range of this family: the source is another range, a security group, a "
                "prefix list or self",
                AWS_RULE_SOURCE,
                "safe",
            ),
            Absent(
                SECURITY_GROUP_INGRESS,
                "cidrIpv4",
                "no range of this family: the source is another range, a security group, a "
                "prefix list or self",
                AWS_ONE_SOURCE,
                "safe",
            ),
            Absent(
                SECURITY_GROUP_INGRESS,
                "cidrIpv6",
                "no range of this family: the source is another range, a security group, a "
                "prefix list or self",
                AWS_ONE_SOURCE,
                "safe",
            ),
            Absent(
                SECURITY_RULE,
                "sourceAddressPrefix",
                "no source of this form: the source is sourceAddressPrefixes or application "
                "security groups",
                AZURE_ONE_SOURCE,
                "safe",
            ),
            Absent(
                SECURITY_RULE,
                "sourceAddressPrefixes",
                "no source of this form: the source is sourceAddressPrefix or application "
                "security groups",
                AZURE_ONE_SOURCE,
                "safe",
            ),
            Absent(
                NETWORK_SECURITY_GROUP,
                "securityRules[].sourceAddressPrefix",
                "no source of this form: the source is sourceAddressPrefixes or application "
                "security groups",
                AZURE_ONE_SOURCE,
                "safe",
            ),
            Absent(
                NETWORK_SECURITY_GROUP,
                "securityRules[].sourceAddressPrefixes",
                "no source of this form: the source is sourceAddressPrefix or application "
                "security groups",
                AZURE_ONE_SOURCE,
                "safe",
            ),
        ),
    ),
    Rule(
        id="MLP-NET-02",
        name="kubernetes-ingress-tls",
        description="Every Ingress serves each of its hosts over TLS.",
        enforcement="mandatory",
        severity="high",
        resource_types=(INGRESS,),
        anchor="mlplatform",
        frameworks=(),
        remediation="List every rule's host under spec.tls[].hosts with the Secret of its "
        "certificate (mlflow.ingress and serving.models[].ingress do, cert-manager filling it "
        "with clusterIssuer).",
        check=_ingress_tls,
        absent=(
            Absent(
                INGRESS,
                "spec.tls",
                "no TLS: every host is served over plain HTTP",
                f'{K8S_INGRESS_DOCS} (IngressSpec.tls: "tls represents the TLS configuration"; '
                "without it only port 80 is served)",
                "unsafe",
            ),
            Absent(
                INGRESS,
                "spec.tls[].hosts",
                "the controller's wildcard host setting: the entry covers every host",
                f'{K8S_INGRESS_DOCS} (IngressTLS.hosts: "Defaults to the wildcard host setting '
                'for the loadbalancer controller fulfilling this Ingress, if left unspecified")',
                "safe",
            ),
            Absent(
                INGRESS,
                "spec.rules[].host",
                "any host: the rule serves every host name",
                f'{K8S_INGRESS_DOCS} (IngressRule.host: "If the host is unspecified, the Ingress '
                'routes all traffic based on the specified IngressRuleValue")',
                "unsafe",
            ),
            Absent(
                INGRESS,
                "spec.defaultBackend",
                "none: unmatched requests are the controller's (its own default backend)",
                f'{K8S_INGRESS_DOCS} (IngressSpec.defaultBackend: "If DefaultBackend is not set, '
                "the handling of requests that do not match any of the rules will be up to the "
                'Ingress controller")',
                "safe",
            ),
        ),
    ),
)
