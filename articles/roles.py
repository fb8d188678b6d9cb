"""The newsroom's roles: staff groups made by a data migration."""

from django.contrib.auth.models import Group
from django.db import transaction

EDITOR = "编辑"
CORRESPONDENT = "通讯员"
PHOTOGRAPHER = "摄影"

ROLE_GROUPS = {
    "editor": EDITOR,
    "correspondent": CORRESPONDENT,
    "photographer": PHOTOGRAPHER,
    "chief": "主编",  # 三审: signs 复审 (review app)
    "director": "总编",  # 三审: signs 终审 and publishes
}


@transaction.atomic
def assign_role(user, role):
    """Make user a staff member of exactly one role group."""
    groups = Group.objects.filter(name__in=ROLE_GROUPS.values())
    user.groups.remove(*groups)
    user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    user.is_staff = True
    user.save(update_fields=["is_staff"])


def display_name(user):
    """How the newsroom names a staff member: their Author's name (as given to
    `add_staff --name`), else the full name in Chinese order (刘静), else the
    username."""
    if user is None:
        return "—"
    author = getattr(user, "author", None)  # no Author: the accessor raises
    username = user.get_username()
    # add_staff without --name names the Author after the login, which says
    # no more than the username: a full name is better then.
    if author is not None and author.name and author.name != username:
        return author.name
    return f"{user.last_name}{user.first_name}".strip() or username
