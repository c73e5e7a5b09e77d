"""Where templates live: a unit's own ``templates/`` beside ``humaskit.toml`` wins over the
packaged ones (``templates/`` in the repository, ``humaskit/templates`` in a wheel)."""

from __future__ import annotations

from pathlib import Path

from humaskit.archive.profile import Profile

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the humaskit package


def packaged_templates_dir() -> Path:
    installed = _PACKAGE_DIR / "templates"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent.parent / "templates"  # a source checkout (editable install)


def template_dirs(profile: Profile | None) -> list[Path]:
    dirs: list[Path] = []
    if profile is not None and profile.templates_dir is not None and profile.templates_dir.is_dir():
        dirs.append(profile.templates_dir)
    dirs.append(packaged_templates_dir())
    return dirs


def find_template(name: str, profile: Profile | None) -> Path:
    """The first ``name`` in the template folders; ``name`` is a bare file name."""
    if Path(name).name != name or name.startswith("."):
        from humaskit.errors import InputError
        from humaskit.i18n import t

        raise InputError(t("template.bad_name", name=name))
    for folder in template_dirs(profile):
        candidate = folder / name
        if candidate.is_file():
            if not candidate.resolve().is_relative_to(folder.resolve()):
                from humaskit.errors import InputError
                from humaskit.i18n import t

                raise InputError(t("template.bad_name", name=name))
            return candidate
    from humaskit.errors import HumasError
    from humaskit.i18n import t

    raise HumasError(t("template.missing", name=name))
