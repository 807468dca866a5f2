"""The outside world: chat channels and tracking sources. Each imports `core`, never `bot`."""
