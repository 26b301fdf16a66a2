"""The engine tier: the real Pulumi CLI, language hosts and Kubernetes provider, built from pinned
Go modules (tools/), against a real Kubernetes control plane on loopback."""
