"""Layer 3 on Azure: Storage artifact store, ACR registry (and, later, AKS, Postgres, identity)."""
