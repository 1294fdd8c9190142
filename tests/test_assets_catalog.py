"""The catalog's indexes agree with its contents after every kind of change (the operations read only the
indexes), and :func:`ips_mock.testing.add_asset` keeps asset names unique."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ips_mock import FakeIps
from ips_mock.model.catalog import Asset, Catalog, join_path
from ips_mock.testing import add_asset

NOW = datetime(2026, 1, 5, 17, 0, tzinfo=UTC)


def asset(asset_id: int, name: str, folder: str, company_id: int = 100) -> Asset:
    return Asset(asset_id, company_id, name, f"{name}.jpg", folder, "Image", NOW, NOW, "a@x", "a@x")


def scan_subfolders(catalog: Catalog, company_id: int, path: str) -> list[str]:
    return sorted(p for (co, p), f in catalog.folders.items() if co == company_id and f.parent_path == path)


def test_indexes_follow_folders_and_assets() -> None:
    catalog = Catalog()
    catalog.ensure_folder(100, "Example/a/b/c/", NOW)
    catalog.ensure_folder(100, "Example/a/x/", NOW)
    catalog.ensure_folder(200, "Other/a/", NOW)
    for i, (name, folder) in enumerate([("one", "Example/a/"), ("two", "Example/a/b/c/"), ("three", "Example/")]):
        catalog.add(asset(i + 1, name, folder))
    catalog.add(asset(9, "one", "Other/a/", company_id=200))

    assert [f.path for f in catalog.subfolders(100, "Example/a/")] == ["Example/a/b/", "Example/a/x/"]
    assert [f.path for f in catalog.below(100, "Example/")] == [
        "Example/a/",
        "Example/a/b/",
        "Example/a/b/c/",
        "Example/a/x/",
    ]
    assert [a.name for a in catalog.of_company(200)] == ["one"]

    removed = catalog.delete_folder(catalog.folders[(100, "Example/a/b/")])
    catalog.move(catalog.assets[1], name="uno", folder="Example/")

    assert [a.name for a in removed] == ["two"]
    assert catalog.named(100, "two") is None
    assert catalog.named(100, "one") is None
    assert catalog.named(100, "uno") is catalog.assets[1]
    assert catalog.named(200, "one") is catalog.assets[9]
    for path in ("Example/", "Example/a/", "Example/a/b/"):
        assert [f.path for f in catalog.subfolders(100, path)] == scan_subfolders(catalog, 100, path)
    assert not catalog.has_subfolders(100, "Example/a/x/")
    assert sorted(a.id for a in catalog.of_company(100)) == [1, 3]
    catalog.remove(catalog.assets[3])
    assert catalog.named(100, "three") is None
    assert [a.id for a in catalog.of_company(100)] == [1]


def test_a_deleted_folder_can_be_made_again() -> None:
    catalog = Catalog()
    catalog.ensure_folder(100, "Example/a/b/", NOW)
    catalog.delete_folder(catalog.folders[(100, "Example/a/")])
    catalog.ensure_folder(100, "Example/a/", NOW)

    assert [f.path for f in catalog.below(100, "Example/")] == ["Example/a/"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("", "Example/"),
        ("Example", "Example/"),
        ("Example/img", "Example/img/"),
        ("img/", "Example/img/"),
        ("/img//sub/", "Example/img/sub/"),
        ("img/../../..", "Example/"),
        ("Examples/x", "Example/Examples/x/"),
        ("a\\b", "Example/a/b/"),
    ],
)
def test_join_path(path: str, expected: str) -> None:
    assert join_path("Example/", path) == expected


def test_add_asset_keeps_names_unique_and_takes_state_ids() -> None:
    fake = FakeIps()
    first = add_asset(fake, "Example/a/pic.jpg")
    second = add_asset(fake, "Example/b/other.png")

    assert second.id == first.id + 1 == fake.state.next_asset_id - 1
    assert (first.created_by, first.folder) == ("admin@example.com", "Example/a/")
    with pytest.raises(ValueError, match="already has an asset named 'pic'"):
        add_asset(fake, "Example/b/pic.png")
    with pytest.raises(ValueError, match="not a file path"):
        add_asset(fake, "Nowhere/pic.jpg")
