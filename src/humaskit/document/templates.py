"""Where templates live: a unit's own ``templates/`` beside ``humaskit.toml`` wins over the
packaged ones (``templates/`` in the repository, ``humaskit/templates`` in a wheel)."""

from __future__ import annotations

import functools
import re
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from humaskit.archive.fsio import check_confined
from humaskit.archive.profile import Profile
from humaskit.errors import HumasError, InputError
from humaskit.i18n import t
from humaskit.packaged import PACKAGE_DIR


def packaged_templates_dir() -> Path:
    installed = PACKAGE_DIR / "templates"
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent.parent / "templates"  # a source checkout (editable install)


def template_dirs(profile: Profile | None) -> list[Path]:
    dirs: list[Path] = []
    if profile is not None and profile.templates_dir is not None and profile.templates_dir.is_dir():
        dirs.append(profile.templates_dir)
    dirs.append(packaged_templates_dir())
    return dirs


def find_template(name: str, profile: Profile | None) -> Path:
    """The first ``name`` in the template folders; ``name`` is a bare file name."""
    if Path(name).name != name or name.startswith("."):
        raise InputError(t("template.bad_name", name=name))
    for folder in template_dirs(profile):
        candidate = folder / name
        if candidate.is_symlink():  # never followed: it could lead anywhere on the machine
            raise InputError(t("template.symlink", path=candidate))
        if candidate.is_file():
            return candidate
    raise HumasError(t("template.missing", name=name))


# --------------------------------------------------------------------------- sandboxed rendering

# What a unit template may cost (docs/docx.md): every Jinja2 template humaskit renders runs
# in Jinja2's sandbox and within these bounds, so a template copied from anywhere can
# neither reach the machine nor keep a save waiting.
TEMPLATE_SECONDS = 5.0
TEMPLATE_OUTPUT_CHARS = 5_000_000
TEMPLATE_SIZE = 100_000  # longest string or list an operator or filter may build
_DIGITS = re.compile(r"\d{6,}")


class TemplateLimit(Exception):
    """A template went past one of the bounds above."""


def render_template(dirs: list[Path], name: str, values: dict[str, Any]) -> str:
    """Render template ``name`` from ``dirs`` in a bounded sandbox.

    Any failure — a syntax error, ``{{ 1/0 }}``, a template that extends itself, a loop
    past the time bound, a symlinked template — is one :class:`InputError` naming the
    template file and line, never a traceback.
    """
    import jinja2

    env = _cached_environment(tuple(str(d) for d in dirs))
    deadline = time.monotonic() + TEMPLATE_SECONDS
    previous = sys.gettrace()
    where: dict[str, Any] = {"file": name, "line": "?"}
    try:
        template = env.get_template(name)
        where["file"] = template.filename or name
        sys.settrace(_tracer(tuple(str(d) for d in dirs), deadline))
        pieces, size = [], 0
        for piece in template.generate(**values):
            size += len(piece)
            if size > TEMPLATE_OUTPUT_CHARS:
                raise TemplateLimit(t("template.too_much", limit=TEMPLATE_OUTPUT_CHARS))
            pieces.append(piece)
        return "".join(pieces)
    except HumasError:
        raise
    except TemplateLimit as err:
        where.update(_template_line(err, where["file"]))
        raise InputError(
            t("template.error", template=where["file"], line=where["line"], error=err)
        ) from None
    except RecursionError:
        where.update(_template_line(None, where["file"]))
        raise InputError(t("template.recursion", template=where["file"])) from None
    except Exception as err:
        where.update(_template_line(err, where["file"]))
        if isinstance(err, jinja2.TemplateSyntaxError) and err.lineno:
            where["file"], where["line"] = err.filename or where["file"], err.lineno
        message = (
            str(err) if isinstance(err, jinja2.TemplateError) else f"{type(err).__name__}: {err}"
        )
        raise InputError(
            t(
                "template.error",
                template=where["file"],
                line=where["line"],
                error=message.rstrip("."),
            )
        ) from None
    finally:
        sys.settrace(previous)


def _environment(jinja2: Any, dirs: list[Path]) -> Any:
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedSandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%", "+"})

        def call_binop(self, context, operator, left, right):
            if operator == "**" and (abs(_number(right)) > 64 or abs(_number(left)) > 10**6):
                raise TemplateLimit(t("template.too_big", what=f"** {right}"))
            if operator == "%" and isinstance(left, str) and _DIGITS.search(left):
                raise TemplateLimit(t("template.too_big", what=left[:40]))
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    if isinstance(seq, str | list | tuple) and isinstance(times, int):
                        _check_size(len(seq) * times)
            if operator == "+" and isinstance(left, str | list | tuple):
                _check_size(len(left) + len(right) if hasattr(right, "__len__") else 0)
            return super().call_binop(context, operator, left, right)

        def call(__self, __context, __obj, *args, **kwargs):
            _check_arguments((*args, *kwargs.values()))
            receiver = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
            if isinstance(receiver, str) and _DIGITS.search(receiver):
                raise TemplateLimit(t("template.too_big", what=receiver[:40]))
            return super().call(__context, __obj, *args, **kwargs)

    class NoSymlinkLoader(jinja2.FileSystemLoader):
        def get_source(self, environment, template):
            source, filename, _ = super().get_source(environment, template)
            folder = next(
                (Path(d) for d in self.searchpath if Path(filename).is_relative_to(d)), None
            )
            if folder is not None:
                try:
                    check_confined(folder, Path(filename))
                except HumasError:
                    raise InputError(t("template.symlink", path=filename)) from None
            if len(source) > TEMPLATE_OUTPUT_CHARS:
                raise TemplateLimit(t("template.too_much", limit=TEMPLATE_OUTPUT_CHARS))
            return source, filename, _still_same(folder, Path(filename))

    env = BoundedSandbox(
        loader=NoSymlinkLoader([str(d) for d in dirs]),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters = {name: _bounded_filter(f) for name, f in env.filters.items()}
    return env


@functools.lru_cache(maxsize=8)
def _cached_environment(dirs: tuple[str, ...]) -> Any:
    """One environment per template folders and process, so each template is compiled
    once (compiling costs more than rendering). A cached template is used only while its
    file is the same file, unchanged and still no symlink (``_still_same``); else Jinja
    loads it again through the checks of ``get_source``."""
    import jinja2

    return _environment(jinja2, [Path(d) for d in dirs])


def _still_same(folder: Path | None, path: Path) -> Any:
    def key() -> tuple[int, int, int, int] | None:
        try:
            info = path.lstat()
        except OSError:
            return None
        return (info.st_mode, info.st_ino, info.st_size, info.st_mtime_ns)

    loaded = key()

    def uptodate() -> bool:
        if loaded is None or key() != loaded:
            return False
        if folder is not None:
            try:
                check_confined(folder, path)
            except HumasError:
                return False
        return True

    return uptodate


def _bounded_filter(function: Any) -> Any:
    """A filter refusing numbers past the size bound (``center(10**9)``, ``indent(10**9)``)."""

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _check_arguments((*args, *kwargs.values()))
        return function(*args, **kwargs)

    return bounded


def _check_arguments(values: tuple[Any, ...]) -> None:
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and value > TEMPLATE_SIZE:
            raise TemplateLimit(t("template.too_big", what=value))


def _number(value: Any) -> float:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _check_size(size: int) -> None:
    if size > TEMPLATE_SIZE:
        raise TemplateLimit(t("template.too_big", what=size))


def _tracer(folders: tuple[str, ...], deadline: float) -> Any:
    """A trace function that watches only templates' own code (compiled with their file
    name): each line checks the clock, so even a loop that calls nothing stops in time."""
    counter = 0

    def local(frame: Any, event: str, arg: Any) -> Any:
        nonlocal counter
        counter += 1
        if counter % 1000 == 0 and time.monotonic() > deadline:
            raise TemplateLimit(t("template.too_slow", seconds=int(TEMPLATE_SECONDS)))
        return local

    def global_(frame: Any, event: str, arg: Any) -> Any:
        if event == "call" and frame.f_code.co_filename.startswith(folders):
            return local
        return None

    return global_


def _template_line(err: BaseException | None, filename: str) -> dict[str, Any]:
    """The template line a failure happened on (Jinja maps its frames to template lines)."""
    if err is None or err.__traceback__ is None:
        return {}
    frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename == filename]
    return {"line": frames[-1].lineno} if frames else {}
