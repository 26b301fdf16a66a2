"""Layer 4, cloud-agnostic Kubernetes platform pieces; also the `kubernetes` target's stand-ins."""
