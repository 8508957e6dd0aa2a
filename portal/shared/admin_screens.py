"""A group of Wagtail admin screens: its URLs under ``/admin/<namespace>/``, one menu item.

Each screen group registers the same two Wagtail hooks: its URL patterns, included in
the admin under a URL namespace, and one menu item to its ``index`` view that only
users with a given permission see. ``register_admin_screens`` does both, so a group
states only what is its own (namespace, label, permission, icon, order).
"""

from django.urls import include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users with ``permission``."""

    permission = None

    def __init__(self, *args, permission=None, **kwargs):
        super().__init__(*args, **kwargs)
        if permission is not None:
            self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


def permission_menu_item_class(permission):
    """A ``PermissionMenuItem`` class for ``permission``, for a Wagtail ``ViewSet``'s
    ``menu_item_class`` (Wagtail makes the item itself, without our keyword)."""
    return type("PermissionMenuItem", (PermissionMenuItem,), {"permission": permission})


def register_admin_screens(urlpatterns, namespace, label, permission, *, icon, order):
    """Register ``urlpatterns`` under ``/admin/<namespace>/`` in ``namespace``, and a
    menu item ``label`` to ``<namespace>:index`` shown to users with ``permission``."""

    @hooks.register("register_admin_urls")
    def register_urls():
        return [
            path(
                f"{namespace}/", include((urlpatterns, namespace), namespace=namespace)
            )
        ]

    @hooks.register("register_admin_menu_item")
    def register_menu_item():
        return PermissionMenuItem(
            label,
            reverse_lazy(f"{namespace}:index"),
            name=namespace,
            icon_name=icon,
            order=order,
            permission=permission,
        )
