"""Package discovery for the `mlplatform` distribution (the rest is in pyproject.toml).

The library is every package found under components/ (components/mlplatform/...), so a new
subpackage ships without being listed. The policy pack ships inside it as mlplatform/policies/,
from its source folder policies/ at the repository's top (a real CrossGuard pack that Pulumi
runs from there), with the packages found under it.
"""

from setuptools import find_packages, setup

PACK = "mlplatform.policies"

setup(
    packages=[
        *find_packages("components"),
        PACK,
        *(f"{PACK}.{p}" for p in find_packages("policies")),
    ],
    package_dir={"": "components", PACK: "policies"},
)
