"""The application: settings, wiring, CLI, HTTP app and scheduled jobs."""

__version__ = "0.1.0"
