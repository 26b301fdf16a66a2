"""The platform's own physical names (`mlplatform.naming`), which the components create and
preflight judges: the one copy of each. Pure functions, no Pulumi runtime."""

from __future__ import annotations

from mlplatform import naming
from mlplatform.catalog.limits.names import RULES


def test_a_compact_prefix_keeps_lowercase_letters_and_digits_and_room_for_the_suffix() -> None:
    """Azure storage account names are 3-24 lowercase letters and digits (resource-name-rules):
    24 less the 6 random characters leaves 18."""
    assert naming.compact_prefix("ml-Azure-dev-artifacts", 24) == "mlazuredevartifact"
    assert naming.SUFFIX_LENGTH == 6


def test_a_service_account_id_is_cleaned_padded_and_cut_with_a_hash() -> None:
    """IAM CreateServiceAccountRequest.account_id: 6-30 characters, lowercase, digits, dashes."""
    assert naming.account_id("ML_Team.X") == "ml-team-x"
    assert naming.account_id("ab") == "ab0000"
    assert naming.account_id("ml-gcp-dev-gke-nodes") == "ml-gcp-dev-gke-nodes"


def test_long_service_account_ids_stay_unique() -> None:
    """Cut to the rule's 30 characters, each keeps a hash of its whole name."""
    first = naming.account_id("ml-gcp-prod-team-computer-vision-research")
    second = naming.account_id("ml-gcp-prod-team-computer-vision-robotics")
    assert len(first) == len(second) == RULES["gcp-service-account-id"].max_length == 30
    assert first != second
    assert first.startswith("ml-gcp-prod-team-comput-")


def test_a_repository_id_starts_with_a_letter_and_ends_without_a_dash() -> None:
    """The platform's own RFC 1035 rule for Artifact Registry repository ids (63 at most)."""
    assert naming.repository_id("ml-gcp-dev-registry") == "ml-gcp-dev-registry"
    assert naming.repository_id("9-Lives!") == "r-9-lives"
    assert naming.repository_id("a" * 62 + "-tail") == "a" * 62


def test_an_aks_pool_name_is_12_lowercase_letters_and_digits() -> None:
    """AKS create-node-pools: Linux pool names are 1-12 lowercase alphanumerics."""
    assert naming.aks_pool_name("GPU-Pool_a100xyz") == "gpupoola100x"
    assert naming.aks_pool_name("a100") == "a100"
