"""Documents the platform prints: A4 PDFs with real (selectable) CJK text."""
