"""The domain services by IPS area, as plain Python: who may do what, and what each operation does.

``IpsService`` (:mod:`ips_mock.service`) is the one object the binding calls; it is composed of one class per
area: :class:`~.base.ServiceBase` (who is calling, which company), :class:`~.assets.AssetService` (folders and
assets), with the company and job operations on ``IpsService`` itself. Pure domain code: decoded parameters in,
model objects out, :class:`ips_mock.errors.IpsFault` for every refusal; never XML.
"""

from __future__ import annotations

from .assets import AssetService
from .base import ServiceBase

__all__ = ["AssetService", "ServiceBase"]
