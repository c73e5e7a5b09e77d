"""Release → Markdown through the Jinja2 template ``release.md.j2``.

User text is passed to the template as data, never compiled as template code, so a title
such as ``{{ 7*7 }}`` stays literally that.
"""

from __future__ import annotations

from humaskit.archive.profile import Profile
from humaskit.document.compose import Document
from humaskit.document.templates import render_template, template_dirs

TEMPLATE_NAME = "release.md.j2"


def front_matter(document: Document) -> str:
    import yaml

    release = document.release
    data: dict = {"title": release.title, "date": release.date.isoformat(), "unit": release.unit}
    if release.tags:
        data["tags"] = list(release.tags)
    if release.speakers:
        data["speakers"] = [{"name": s.name, "title": s.title} for s in release.speakers]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def render_markdown(document: Document, profile: Profile | None = None) -> str:
    text = render_template(
        template_dirs(profile),
        TEMPLATE_NAME,
        {
            "doc": document,
            "release": document.release,
            "profile": profile,
            "front_matter": front_matter(document),
        },
    )
    return text.rstrip("\n") + "\n"
