"""The serving image: MLServer with its MLflow runtime and the tracking server's MLflow, built
from images/serving (its requirements.txt pins each package) by the platform team and pushed to
the platform's registry. The stock MLServer images carry MLflow 2.x, which cannot load the
skops-serialized models MLflow 3 logs (see docs/workloads.md)."""

RUNTIME_REPOSITORY = "mlplatform-serving"
"""The serving image's repository in the platform's registry."""
RUNTIME_TAG = "mlserver-1.7.1-mlflow-3.17.2"
"""Its tag: the MLServer and MLflow versions images/serving/requirements.txt pins (a unit test
keeps them equal). The platform's registries refuse to overwrite a tag."""
