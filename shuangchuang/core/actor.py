"""Who is acting: a person, the organisation they act for, and their roles there.

Every service takes `actor: Actor`; views build it from the request (core.middleware), commands and
tasks use Actor.system(...).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shuangchuang.core.models import Organisation, OrganisationKind, Role, User


@dataclass(frozen=True)
class Actor:
    user: User | None
    organisation: Organisation | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    system_label: str = ""
    memberships: tuple = ()  # the person's active memberships, when built from a request

    @classmethod
    def anonymous(cls) -> Actor:
        return cls(user=None)

    @classmethod
    def system(cls, label: str) -> Actor:
        return cls(user=None, system_label=label)

    @property
    def is_anonymous(self) -> bool:
        return self.user is None and not self.system_label

    @property
    def is_system(self) -> bool:
        return bool(self.system_label)

    @property
    def label(self) -> str:
        if self.system_label:
            return f"system:{self.system_label}"
        if self.user is None:
            return "anonymous"
        return f"{self.user.username}"

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def department(self) -> Organisation | None:
        """The department this actor acts for as an officer, if any."""
        if self.organisation is not None and self.organisation.kind == OrganisationKind.DEPARTMENT:
            if self.roles & {Role.OFFICER, Role.ADMIN}:
                return self.organisation
        return None

    @property
    def is_platform_admin(self) -> bool:
        if self.user is not None and self.user.is_superuser:
            return True
        return (
            self.organisation is not None
            and self.organisation.kind == OrganisationKind.PLATFORM
            and Role.ADMIN in self.roles
        )
