"""`python -m mlplatform` runs the command-line interface."""

from mlplatform.cli import main

main()
