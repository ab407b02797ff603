"""The web layer shared by every module: city resolution, templates, errors, the portal home."""
