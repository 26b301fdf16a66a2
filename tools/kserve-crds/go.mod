module mlplatform.local/tools/kserve-crds

go 1.26.0

// KServe of the pinned charts (charts.py, KSERVE_CRD and KSERVE: v0.20.0); the loopback cluster
// installs the CRDs of its config/crd/full folder the platform's objects need, and
// tests/contract/test_kserve_crds.py validates the platform's KServe objects against their
// schemas. Only the module's own files are needed: kserve.go imports its one package with no
// imports of its own, so go.sum holds KServe's two hashes and nothing of its dependencies.
require github.com/kserve/kserve v0.20.0
