"""Release → Markdown through the Jinja2 template ``release.md.j2``.

User text is passed to the template as data, never compiled as template code, so a title
such as ``{{ 7*7 }}`` stays literally that.
"""

from __future__ import annotations

from humaskit.archive.profile import Profile
from humaskit.document.compose import Document
from humaskit.document.templates import template_dirs
from humaskit.errors import InputError
from humaskit.i18n import t

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
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(profile)]),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    try:
        template = env.get_template(TEMPLATE_NAME)
        text = template.render(
            doc=document,
            release=document.release,
            profile=profile,
            front_matter=front_matter(document),
        )
    except jinja2.TemplateError as err:
        where = getattr(err, "filename", None) or TEMPLATE_NAME
        line = getattr(err, "lineno", None)
        raise InputError(t("template.error", template=where, line=line or "?", error=err)) from None
    return text.rstrip("\n") + "\n"
