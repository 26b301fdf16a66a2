"""mlplatform's CrossGuard policy pack. `pulumi preview --policy-pack policies` starts it;
`mlplatform check STACK` starts it too and speaks its gRPC analyzer protocol offline. Building
the PolicyPack serves the analyzer and never returns, so nothing imports this module."""

from mlplatform_policies import PACK_NAME, RULES
from mlplatform_policies.pack import policy
from pulumi_policy import EnforcementLevel, PolicyPack

PolicyPack(
    name=PACK_NAME,
    enforcement_level=EnforcementLevel.ADVISORY,
    policies=[policy(rule) for rule in RULES],
    description="Guardrails for mlplatform ML platforms on AWS, Azure, GCP and Kubernetes.",
    provider="multi-cloud",
    tags=["mlplatform", "gpu", "mlflow"],
)
