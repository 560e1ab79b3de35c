"""Cost figures follow every contract write, whichever service, admin page or shell made
it (the figures are derived data; see apps.finance.cost_figures)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from apps.finance.cost_figures import contract_changed
from apps.placement.models import Contract


@receiver(post_save, sender=Contract, dispatch_uid="costs-contract-saved")
@receiver(post_delete, sender=Contract, dispatch_uid="costs-contract-deleted")
def contract_written(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures load rows as they are; `recompute_all` follows them
        return
    contract_changed(instance)
