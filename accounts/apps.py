from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import audit
        from .roles import sync_role_groups

        audit.connect()

        # Groups need the permissions, which Django itself creates after migrate.
        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")
