"""Writing in the node's folder without following links the Elasticsearch user planted there.

Run as root, Veille prepares a folder that the unprivileged ``veille-es`` user owns and can
change between two of our calls. Every path is therefore walked from an open directory with
``O_NOFOLLOW``: a symbolic link in place of a folder is refused, one in place of a file we
write is replaced (never written through), and ownership changes never follow links.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from core.errors import ESNodeError

logger = logging.getLogger(__name__)

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


@contextlib.contextmanager
def _directory(base: Path, parts: tuple[str, ...], *, create: bool) -> Iterator[int]:
    """An fd of ``base/parts...``, each step opened without following a link."""
    fd = os.open(base, _DIR_FLAGS)
    try:
        for name in parts:
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(name, 0o755, dir_fd=fd)
            try:
                child = os.open(name, _DIR_FLAGS, dir_fd=fd)
            except OSError as exc:
                raise ESNodeError(
                    f"{base.joinpath(*parts)}: {name!r} is not a plain folder (a symbolic link?); "
                    "refusing to write through it"
                ) from exc
            os.close(fd)
            fd = child
        yield fd
    finally:
        os.close(fd)


def _split(relative: str | Path) -> tuple[tuple[str, ...], str]:
    parts = Path(relative).parts
    if not parts or any(part in ("..", "/") for part in parts):
        raise ValueError(f"expected a relative path inside the node folder, got {relative!r}")
    return tuple(parts[:-1]), parts[-1]


def make_dirs(base: Path, relative: str | Path) -> None:
    with _directory(base, Path(relative).parts, create=True):
        pass


def open_file(base: Path, relative: str | Path, *, append: bool = False, mode: int = 0o644) -> int:
    """A new fd for writing ``base/relative``; a link or special file in its place is removed first."""
    folders, name = _split(relative)
    with _directory(base, folders, create=True) as parent:
        try:
            info = os.stat(name, dir_fd=parent, follow_symlinks=False)
        except FileNotFoundError:
            info = None
        if info is not None and not stat.S_ISREG(info.st_mode):
            logger.warning("replacing %s, which was not a regular file", base / relative)
            os.unlink(name, dir_fd=parent)
        # No O_TRUNC yet: a hard link to a file elsewhere must be found before anything is cut.
        flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | (os.O_APPEND if append else 0)
        try:
            fd = os.open(name, flags, mode, dir_fd=parent)
            if os.fstat(fd).st_nlink > 1:
                os.close(fd)
                logger.warning("replacing %s, which was a hard link", base / relative)
                os.unlink(name, dir_fd=parent)
                fd = os.open(name, flags | os.O_EXCL, mode, dir_fd=parent)
        except OSError as exc:
            raise ESNodeError(f"cannot write {base / relative}: {exc}") from exc
        if not append:
            os.ftruncate(fd, 0)
        return fd


def write_file(base: Path, relative: str | Path, data: str | bytes, *, mode: int = 0o644) -> None:
    payload = data.encode() if isinstance(data, str) else data
    fd = open_file(base, relative, mode=mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(payload)
        os.fchmod(handle.fileno(), mode)


def read_file(base: Path, relative: str | Path) -> bytes | None:
    """The bytes of a regular file (None if absent or a link): logs are read back as root too."""
    folders, name = _split(relative)
    try:
        with _directory(base, folders, create=False) as parent:
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, dir_fd=parent)
    except (OSError, ESNodeError):
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        return handle.read()


def copy_tree(source: Path, base: Path, relative: str | Path) -> None:
    """Copy a trusted folder (the distribution's config) into ``base/relative``, link-safely."""
    for folder, _dirs, files in os.walk(source):
        rel = Path(relative) / Path(folder).relative_to(source)
        make_dirs(base, rel)
        for name in files:
            write_file(base, rel / name, (Path(folder) / name).read_bytes(), mode=0o664)


def chown_tree(base: Path, uid: int, gid: int) -> None:
    """``chown -R`` that never follows a link (a planted one is chowned itself, not its target)."""
    os.chown(base, uid, gid, follow_symlinks=False)
    for _folder, dirs, files, dir_fd in os.fwalk(base, follow_symlinks=False):
        for name in [*dirs, *files]:
            os.chown(name, uid, gid, dir_fd=dir_fd, follow_symlinks=False)
