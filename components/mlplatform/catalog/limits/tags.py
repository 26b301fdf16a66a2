"""Layer 1, data: what each cloud accepts as a tag (AWS, Azure) or label (GCP), and what
Kubernetes accepts as a label, with the source of every rule. The spec's `tags` reach all of
them: every cloud resource the platform creates carries them with the platform's own tags
(`mlplatform.platform.platform_tags`), and the platform's Kubernetes objects (namespaces,
MLflow, monitoring, team objects; GKE nodes too) carry them as labels.
`mlplatform.environment.preflight.tags` judges the spec's tags against these rules.

Character classes name Unicode general categories (L letters, Ll lowercase letters, Lo
letters without case, N numbers, Z separators), as the providers' own patterns do.
"""

from __future__ import annotations

import re

from mlplatform.catalog.limits.kubernetes import DNS_SUBDOMAIN_FORM, QUALIFIED_NAME_FORM

# --- AWS tags -----------------------------------------------------------------------------
# botocore 1.44.18 service models (data files 2026-12-02): EKS `TagMap` ("Maximum number of
# tags per resource - 50", "Maximum key length - 128 Unicode characters in UTF-8", "Maximum
# value length - 256 Unicode characters in UTF-8", "Do not use aws:, AWS:, or any upper or
# lowercase combination of such as a prefix for either keys or values as it is reserved for
# Amazon Web Services use ... Tags with this prefix do not count against your tags per resource
# limit."); EC2 `Tag.Key` ("Tag keys are case-sensitive and accept a maximum of 127 Unicode
# characters. May not begin with aws:"); IAM `tagKeyType` / `tagValueType` and CloudWatch Logs
# `TagKey` / `TagValue` (pattern `[\p{L}\p{Z}\p{N}_.:/=+\-@]`); RDS `Tag.Key` / `Tag.Value`
# ("can't be prefixed with aws: or rds:").

AWS_TAGS_PER_RESOURCE = 50
AWS_KEY_MAX = 127
"""128 on most services, 127 on EC2 resources (the VPC, subnets, launch templates), which
every AWS stack creates."""
AWS_VALUE_MAX = 256
AWS_CATEGORIES = ("L", "Z", "N")
AWS_PUNCTUATION = "_.:/=+-@"
"""Besides letters, separators and numbers, the only characters IAM and CloudWatch Logs
accept in a tag key or value."""
AWS_RESERVED_PREFIX = "aws:"
"""Reserved in any case, for keys and values."""
RDS_RESERVED_PREFIX = "rds:"
"""Refused by RDS for keys and values (the MLflow database)."""
AWS_SOURCE = "botocore 1.44.18 EKS TagMap, EC2 Tag, IAM tagKeyType, RDS Tag"

# --- Azure tags ---------------------------------------------------------------------------
# MicrosoftDocs/azure-docs articles/azure-resource-manager/management/tag-resources.md
# (ms.date 02/06/2025; https://learn.microsoft.com/azure/azure-resource-manager/management/
# tag-resources#limitations): "Each resource, resource group, and subscription can have a
# maximum of 50 tag name-value pairs." "The tag name has a limit of 512 characters and the tag
# value has a limit of 256 characters. For storage accounts, the tag name has a limit of 128
# characters" "Tag names can't contain these characters: <, >, %, &, \, ?, /" "Azure DNS zones
# don't support the use of spaces or parentheses in the tag or a tag that starts with a number.
# Azure DNS tag names don't support special and Unicode characters." "The following Azure
# resources only support 15 tags: ... Azure Private DNS (Zone and A records)".

AZURE_TAGS_PER_RESOURCE = 50
AZURE_DNS_TAGS_PER_RESOURCE = 15
"""On private DNS zones, which an Azure stack creates for its private endpoints and its
PostgreSQL server."""
AZURE_NAME_MAX = 512
AZURE_STORAGE_NAME_MAX = 128
"""On storage accounts (the artifact store)."""
AZURE_VALUE_MAX = 256
AZURE_NAME_FORBIDDEN = "<>%&\\?/"
AZURE_DNS_NAME = re.compile(r"[A-Za-z_.-][A-Za-z0-9_.-]*")
"""A tag name Azure DNS zones keep: ASCII letters, digits, `.`, `-` and `_`, not starting
with a digit (the doc above; the characters as OpenShift found them: openshift/enhancements
PR 1329, "DNS zones and records allows to add tags with keys having only letters, numbers,
period, hyphen or underscore characters"). Other names are dropped without an error
(Azure/azure-rest-api-specs issue 11748, Azure/azure-resource-manager-schemas issue 3367)."""
AZURE_SOURCE = "Azure tag limits, tag-resources.md ms.date 2025-02-06"

# --- GCP labels ---------------------------------------------------------------------------
# Google API reference text on labels, pointing to "Requirements for labels" in the Resource
# Manager docs (e.g. Bigtable Admin v2 `Instance.labels`, Retail v2 `labels`, read 2026-12-06):
# "Each resource can have multiple labels, up to a maximum of 64." "Keys have a minimum length
# of 1 character and a maximum length of 63 characters and cannot be empty. Values can be empty
# and have a maximum length of 63 characters." "Keys and values can contain only lowercase
# letters, numeric characters, underscores, and dashes. All characters must use UTF-8
# encoding, and international characters are allowed." "Keys must start with a lowercase
# letter or international character." Patterns: keys `[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}`,
# values `[\p{Ll}\p{Lo}\p{N}_-]{0,63}`.

GCP_LABELS_PER_RESOURCE = 64
GCP_LABEL_MAX = 63
GCP_FIRST_CATEGORIES = ("Ll", "Lo")
GCP_CATEGORIES = ("Ll", "Lo", "N")
GCP_PUNCTUATION = "_-"
GCP_SOURCE = "GCP label requirements"

# --- Kubernetes labels --------------------------------------------------------------------
# kubernetes/apimachinery@eed236ce (2026-07-23) pkg/api/validate/content/kube.go `IsLabelKey`
# and `IsValidLabelValue`, dns.go `IsDNS1123Subdomain`: a key is an optional prefix (a DNS-1123
# subdomain of at most 253 characters) and `/`, then a name of at most 63 characters matching
# `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`; a value is empty or matches the same, at most 63.

K8S_NAME_MAX = 63
K8S_PREFIX_MAX = 253
K8S_VALUE_MAX = 63
K8S_NAME = re.compile(QUALIFIED_NAME_FORM)
K8S_PREFIX = re.compile(DNS_SUBDOMAIN_FORM)
K8S_SOURCE = "Kubernetes label syntax, apimachinery IsLabelKey"
