"""Layer 3 on GCP: GCS artifact store, Artifact Registry (and, later, GKE, Cloud SQL, IAM)."""
