"""Layer 5 builders: one module per target turning a `PlatformConfig` into components.

Each module imports only its own cloud's SDK, and only when its target is built.
"""
