"""The zip an export job leaves: a small, deterministic archive naming the exported assets.

The fake has no image bytes; each exported asset becomes a short placeholder file under its own name (``fmt`` orig:
its file name; any other format: ``<name>.jpg``), beside ``manifest.json`` that lists every asset with its handle,
folder, type and size and notes the format. Every entry carries the run's end time (in the server zone), so the
same scenario and clock moves give the same bytes.
"""

from __future__ import annotations

import io
import json
import zipfile
from zoneinfo import ZoneInfo

from .effects import ExportArchive

__all__ = ["export_zip"]


def export_zip(archive: ExportArchive, zone: ZoneInfo) -> bytes:
    local = archive.created.astimezone(zone)
    stamp = (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second)
    original = archive.fmt == "orig"
    manifest = {
        "job": archive.run_name,
        "fmt": archive.fmt,
        "note": "original files" if original else f"converted to {archive.fmt} (ips-mock writes placeholders)",
        "created": local.isoformat(timespec="milliseconds"),
        "assets": [
            {
                "assetHandle": a.handle,
                "name": a.name,
                "fileName": a.file_name if original else f"{a.name}.jpg",
                "folder": a.folder,
                "type": a.type,
                "fileSize": a.size,
            }
            for a in archive.assets
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:

        def add(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)

        add("manifest.json", (json.dumps(manifest, indent=2) + "\n").encode("utf-8"))
        for entry in manifest["assets"]:
            assert isinstance(entry, dict)
            body = f"ips-mock placeholder for {entry['assetHandle']} ({entry['folder']}{entry['fileName']})\n"
            add(str(entry["fileName"]), body.encode("utf-8"))
    return buffer.getvalue()
