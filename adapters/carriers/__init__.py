"""adapters/carriers."""
