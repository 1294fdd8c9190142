"""Scenario files: YAML in, a validated :class:`Scenario` out."""

from __future__ import annotations

from .loader import DEFAULT_SCENARIO, Scenario, load_scenario, load_scenario_text, scenario_json_schema

__all__ = ["DEFAULT_SCENARIO", "Scenario", "load_scenario", "load_scenario_text", "scenario_json_schema"]
