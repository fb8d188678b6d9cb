"""Authentication backend that puts django-axes in front of the admin log-in."""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


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


class StaffBackend(ModelBackend):
    """Django's model backend, loading the signed-in person's Author (and
    its county) with the user: every admin page names them (the header,
    notices) and scopes a correspondent's lists by that county, which was
    one more query on each page."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("author__county_union")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
