"""Request and response guards: the CSP header and NUL rejection in paths."""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation


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


class RejectNullCharactersMiddleware:
    """Answer 400 to a NUL character in the URL path.

    PostgreSQL refuses NUL in text, so a path segment carrying one (a tag
    slug) would otherwise end in a 500. Query parameters are left to the
    views, which clean them (search drops control characters) or validate
    them as form fields (ProhibitNullCharactersValidator); the URL sweep in
    tests/test_hostile_urls.py holds them to that.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise SuspiciousOperation("NUL character in the request path")
        return self.get_response(request)
