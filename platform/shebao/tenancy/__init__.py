"""Cities: their YAML (validated by pydantic), host → city, template lookup, query scoping.

Tenancy knows what a feature module *is* (``tenancy.modules``) but no feature: the module
declarations are handed to the loader by the caller (the app factory or the CLI).
"""
