from shuangchuang.core.models import Role
from shuangchuang.core.selectors import unread_count
from shuangchuang.web.modules import MODULES


def shell(request):
    """Navigation, the acting organisation and the unread count for the base layout."""
    context = {"modules": MODULES}
    actor = getattr(request, "actor", None)
    if actor is not None and actor.user is not None:
        context["acting_organisation"] = actor.organisation
        context["actor_roles"] = [str(Role(role).label) for role in sorted(actor.roles) if role in Role.values]
        context["my_memberships"] = actor.memberships
        context["unread_count"] = unread_count(actor.user)
    return context
