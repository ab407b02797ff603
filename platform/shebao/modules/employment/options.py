"""The ``modules.employment`` section of a city's YAML."""

from ...tenancy.modules import ModuleOptions


class EmploymentOptions(ModuleOptions):
    public: bool = True
    """Reachable without logging in."""

    def entries_public(self) -> bool:
        return self.public
