"""Handles are read by one parser (IPS-REFERENCE §7.1)."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ips_mock"


def test_handles_are_parsed_in_one_place() -> None:
    from ips_mock.model.handles import company_id_of, parse_job_handle

    assert parse_job_handle("j|100|nightly||").kind == "submit"  # type: ignore[union-attr]
    assert parse_job_handle("j|100||nightly_2026-01-06-00:00:00.000|1001").name == "nightly"  # type: ignore[union-attr]
    assert parse_job_handle("j|100||nightly_2026-01-06-00:00:00.000").kind == "log"  # type: ignore[union-attr]
    assert parse_job_handle("47|My Test Job|").company_id == 47  # type: ignore[union-attr]
    for bad in ("", "j|x|a||", "j|100", "j|100|a|b|c", "j|\u00b2|a||", "c|100"):
        assert parse_job_handle(bad) is None, bad
    assert (company_id_of("c|100"), company_id_of("c|\u0661"), company_id_of("j|100|a||")) == (100, None, None)
    sources = [p.read_text() for p in PACKAGE.rglob("*.py") if p.name != "handles.py"]
    assert not [s for s in sources if '.split("|")' in s], "parse handles with ips_mock.model.handles"
