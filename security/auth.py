"""Authentication backend that puts django-axes in front of the admin log-in."""

from axes.backends import AxesStandaloneBackend


class LoginAttemptBackend(AxesStandaloneBackend):
    """Axes' lock-out check, skipped for log-ins that come with no request.

    Every log-in a person makes (the admin form) carries its request, so the
    lock-out applies to all of them. Code that authenticates without one,
    such as the test client's login() or a shell, has no address to lock and
    would otherwise crash with AxesBackendRequestParameterRequired.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(
            request, username=username, password=password, **kwargs
        )
