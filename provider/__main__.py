"""Entry point of the mlplatform component package: Pulumi runs `python provider ENGINE`."""

from mlplatform.provider import main

if __name__ == "__main__":
    main()
