"""A file export: one SS 12000 JSON file per entity kind (``persons.json`` …), in a folder or a
zip, each read as a stream (``ijson``), so memory stays bounded whatever the file's size.

A file may hold the API's page shape (``{"data": [...]}``), the schemas' array shape
(``{"persons": [...]}``) or a bare array; the first array in it is read. ``deletedEntities.json``
(the API's shape) is read too when present.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

import ijson

from .runs import SourceError

DELETED = "deletedEntities"
# deletedEntities' keys (the reference spells activities "activitites") -> our kinds
DELETED_KINDS = {
    "organisations": "organisations",
    "persons": "persons",
    "groups": "groups",
    "duties": "duties",
    "activities": "activities",
    "activitites": "activities",
}


class FileExport:
    def __init__(self, path: Path) -> None:
        if not path.exists():
            raise SourceError(_("There is no file or folder %(path)s.") % {"path": path})
        self.path = path
        self.zip = zipfile.ZipFile(path) if path.is_file() else None
        if self.zip is None and not path.is_dir():
            raise SourceError(_("Give a folder or a zip file."))

    def _name(self, kind: str) -> str | None:
        wanted = f"{kind}.json".lower()
        if self.zip is not None:
            names = [n for n in self.zip.namelist() if n.lower().rsplit("/", 1)[-1] == wanted]
        else:
            names = [p.name for p in self.path.iterdir() if p.name.lower() == wanted]
        return names[0] if names else None

    @contextmanager
    def _open(self, name: str) -> Iterator[IO[bytes]]:
        if self.zip is not None:
            with self.zip.open(name) as handle:
                yield handle
        else:
            with (self.path / name).open("rb") as handle:
                yield handle

    def records(self, kind: str) -> Iterator[Any]:
        name = self._name(kind)
        if name is None:
            return
        with self._open(name) as handle:
            prefix = _first_array(handle)
        if prefix is None:
            raise SourceError(_("%(name)s holds no list of records.") % {"name": name})
        with self._open(name) as handle:
            try:
                yield from ijson.items(
                    handle, f"{prefix}.item" if prefix else "item", use_float=True
                )
            except ijson.JSONError as error:
                raise SourceError(
                    _("%(name)s is not valid JSON (%(error)s).") % {"name": name, "error": error}
                ) from None

    def deleted(self) -> dict[str, list[str]]:
        name = self._name(DELETED)
        if name is None:
            return {}
        with self._open(name) as handle:
            try:
                content = json.load(handle)
            except ValueError as error:
                raise SourceError(
                    _("%(name)s is not valid JSON (%(error)s).") % {"name": name, "error": error}
                ) from None
        return deleted_ids(content.get("data") if isinstance(content, dict) else None)


def deleted_ids(data: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    if isinstance(data, dict):
        for key, ids in data.items():
            if key in DELETED_KINDS and isinstance(ids, list):
                found.setdefault(DELETED_KINDS[key], []).extend(str(i) for i in ids)
    return found


def _first_array(handle: IO[bytes]) -> str | None:
    try:
        for prefix, event, _value in ijson.parse(handle):
            if event == "start_array":
                return str(prefix)
    except ijson.JSONError:
        return None
    return None
