"""Who is posting: the name and role the user gave at the first start, where the site lets them.

The disclaimer signs every post with the author's name and the lesson-hours rule looks at the
role (Communiceren 6, 14, 19), so on the demo site a new user says who they are instead of posting
as the example author. A deployed site names its authors itself; there the site's names stand.
"""

from __future__ import annotations

from dataclasses import replace

from app.i18n import N_
from app.site.config import Site
from app.store import Store

NAME_SETTING, ROLE_SETTING, WELCOMED_SETTING = "author_name", "author_role", "welcomed"
# The roles offered at the first start; the site's exempt roles (communicatie, directie) are added.
ROLES = (N_("leerkracht"), N_("pedagogisch medewerker"), N_("onderwijsassistent"))


def may_choose(site: Site) -> bool:
    """Whether the user may give their own name and role: always on the demo site."""
    return site.is_demo


def role_choices(site: Site) -> list[str]:
    roles = list(ROLES) + list(site.policy.lesson_hours_exempt_roles)
    roles += [a.role for a in site.authors]
    return list(dict.fromkeys(r for r in roles if r))


def with_saved_identity(site: Site, store: Store) -> Site:
    """The site with the user's own name and role on their author, where that is allowed."""
    name, role = store.setting(NAME_SETTING).strip(), store.setting(ROLE_SETTING).strip()
    if not may_choose(site) or not (name or role):
        return site
    author = site.default_author()
    mine = replace(author, name=name or author.name, role=role or author.role)
    return replace(site, authors=tuple(mine if a.id == author.id else a for a in site.authors))


def save_identity(store: Store, name: str, role: str) -> None:
    store.set_setting(NAME_SETTING, name.strip())
    store.set_setting(ROLE_SETTING, role.strip())


def first_start(store: Store) -> bool:
    return store.setting(WELCOMED_SETTING) != "1"


def mark_welcomed(store: Store) -> None:
    store.set_setting(WELCOMED_SETTING, "1")
