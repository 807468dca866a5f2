"""The web channel: the shopper's tracking page rendered as one small, server-side HTML page."""
