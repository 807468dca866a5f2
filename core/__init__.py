"""wismo's domain: models, status taxonomy and services. No chat SDK is imported here."""
