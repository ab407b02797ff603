"""The ``modules.card`` section of a city's YAML."""

from ...tenancy.modules import ModuleOptions


class CardOptions(ModuleOptions):
    loss_report: bool = True
    """Residents may report their card lost online (挂失)."""
    cancel_loss_report: bool = False
    """Residents may cancel their own loss report online."""

    def entry_enabled(self, key: str) -> bool:
        return key != "report_loss" or self.loss_report
