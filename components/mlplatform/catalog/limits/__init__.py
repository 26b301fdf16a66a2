"""Layer 1, data: each cloud's and Kubernetes' own limits, the facts preflight
(`mlplatform.environment.preflight`) judges a spec against. Every fact is recorded with the
public source it was read from and the date that source gives (or the day it was read), as
the GPU catalog records its rows; a fact that can go stale says when it was checked."""
