"""Pilar in the field: the installable web app (manifest, service worker) and the offline field home."""
