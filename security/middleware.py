"""Content-Security-Policy header, shaped like Django 6's SECURE_CSP."""

from django.conf import settings


def policy_header(policy):
    return "; ".join(
        " ".join([directive, *sources]) for directive, sources in policy.items()
    )


class ContentSecurityPolicyMiddleware:
    """Send CSP_POLICY, or CSP_ADMIN_POLICY under the admin paths.

    A response that already carries its own policy keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = policy_header(settings.CSP_POLICY)
        self.admin_header = policy_header(settings.CSP_ADMIN_POLICY)
        self.admin_paths = tuple(settings.CSP_ADMIN_PATHS)

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path.startswith(self.admin_paths)
            response["Content-Security-Policy"] = (
                self.admin_header if admin else self.header
            )
        return response
