"""Template context every portal page needs."""

from django.conf import settings

from accounts.oidc import providers


def portal(request):
    return {
        "demo_banner": settings.DEMO_BANNER,
        # The banner's sentence that the e-mail login is not for real applications
        # belongs only where that login is offered.
        "login_email_link": settings.LOGIN_EMAIL_LINK,
        # Called by the template only where it asks (the admin's login page).
        "staff_sign_on": providers.staff_sign_on,
    }
