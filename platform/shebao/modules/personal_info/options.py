"""The ``modules.personal_info`` section of a city's YAML."""

from ...tenancy.modules import ModuleOptions


class PersonalInfoOptions(ModuleOptions):
    business_progress: bool = True
    """Offer 中心业务办理进度 (look up a business serial number)."""

    def entry_enabled(self, key: str) -> bool:
        return key != "progress" or self.business_progress
