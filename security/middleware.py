"""Request and response guards: the CSP header and NUL rejection in URLs."""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation


def policy_header(policy):
    return "; ".join(
        " ".join([directive, *sources]) for directive, sources in policy.items()
    )


NUL_REJECTED_QUERY_PATHS = ("/admin/",)


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
    """Answer 400 to a NUL in the URL path, or in a query parameter of the
    admin.

    PostgreSQL refuses NUL in text, so a path segment carrying one (a tag
    slug) ended in a DataError and a 500. So did the admin's list filters
    (`?author=%00`): Django's changelist hands its query parameters to the
    ORM, so under NUL_REJECTED_QUERY_PATHS a NUL anywhere in the query
    string is refused before any view runs. Reader views validate their
    parameters as form fields (a Chinese field error) or clean them (search
    drops control characters). tests/test_hostile_urls.py sweeps every
    reader and admin URL with NUL, overlong and wrong-typed values.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise SuspiciousOperation("NUL character in the request path")
        if (
            request.META.get("QUERY_STRING")
            and request.path.startswith(NUL_REJECTED_QUERY_PATHS)
            and any(
                "\x00" in key or any("\x00" in value for value in values)
                for key, values in request.GET.lists()
            )
        ):
            raise SuspiciousOperation("NUL character in a query parameter")
        return self.get_response(request)
