"""Hand-written corrections to the description generated from Adobe's WSDLs (:mod:`.ipsapi_types`).

Two WSDLs are at hand, 2014-04-03 and 2013-02-15; they are served as generated. Every other namespace ips-mock
speaks has no WSDL here, and this module says how its field set is derived (IPS-REFERENCE §1.4, §5.9, §5.10,
§7.4; REAL-CLIENTS §5; the README's Choices table, "Field sets of versions with no WSDL here"):

* **Older namespaces** (2012-02-14 back to pre-4.0) carry the 2013-02-15 field set and operations, minus each
  field whose later arrival is on record (:data:`FIELDS_ADDED_IN`): a field is left out of every version older
  than the one that introduced it. The record is the changelog and real replies: 2010-01-31 replies have no
  ``TaskProgress/taskState`` (dated to 6.0, 2012-02-14) and their ``uploadUrlsJob`` echo has no ``numUrls`` (the
  first WSDL that has it is the 2013 one; taken to arrive with 6.0 as well, since 2012-02-14 is served as 2013);
  the ``JobLog`` transfer counts came with 4.4 (2009-07-31); ``JobLog`` ``endDate``, ``fileDuplicateCount``
  and ``fileUpdateCount`` with 4.0 (2008-01-15). A field with no such record is assumed to be as old as the
  2013 WSDL says.
* **Betas** (2016-01-14-beta, 2017-10-29-beta, 2021-04-26-beta, 2022-11-01-beta) carry the 2014-04-03 field set
  and operations plus the optional fields Adobe's javadoc shows (:data:`BETA_FIELDS`), and the operations ips-mock
  models that only the betas have, with their types (:data:`BETA_OPERATIONS`, :data:`BETA_TYPES`,
  :data:`BETA_ELEMENTS`).

Observed replies that differ from what the WSDL of their own version says would be corrected here too. None is
known: every observed deviation so far (2010-01-31 replies) concerns a namespace with no WSDL, covered above.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, NamedTuple

from .ns import ApiVersion

__all__ = [
    "BETA_ELEMENTS",
    "BETA_FIELDS",
    "BETA_OPERATIONS",
    "BETA_TYPES",
    "FIELDS_ADDED_IN",
    "BetaField",
    "wsdl_version_for",
]

_NEWEST_WSDL: Final = "2014-04-03"
_OLDER_WSDL: Final = "2013-02-15"


def wsdl_version_for(version: ApiVersion) -> str:
    """The WSDL whose description ``version`` starts from: 2014-04-03 for it and the betas, else 2013-02-15."""
    return _NEWEST_WSDL if version >= _NEWEST_WSDL else _OLDER_WSDL


# (type or element, field) -> the first version that has the field. Applied to the versions older than the
# 2013 WSDL only: the two WSDLs are served exactly as they are.
FIELDS_ADDED_IN: Final[Mapping[tuple[str, str], str]] = {
    # 6.0 (2012-02-14): missing from observed 2010-01-31 replies; the changelog dates taskState to 6.0 (§1.4).
    ("TaskProgress", "taskState"): "2012-02-14",
    # Missing from the observed 2010-01-31 uploadUrlsJob echo (REAL-CLIENTS §5, IPS-REFERENCE §7.4), where the
    # server fills in defaults for what the client left out; present in the 2013 WSDL.
    ("UploadUrlsJob", "numUrls"): "2012-02-14",
    # 4.4 (2009-07-31): the transfer counts, per the changelog (§5.3).
    ("JobLog", "transferSuccessCount"): "2009-07-31",
    ("JobLog", "transferErrorCount"): "2009-07-31",
    ("JobLog", "transferWarningCount"): "2009-07-31",
    # 4.0 (2008-01-15): endDate and the duplicate/update counts (§4.6).
    ("JobLog", "endDate"): "2008-01-15",
    ("JobLog", "fileDuplicateCount"): "2008-01-15",
    ("JobLog", "fileUpdateCount"): "2008-01-15",
}


_SMART_CROPS: Final = "2017-10-29-beta"
"""The first namespace with smart crops: W7's client (REAL-CLIENTS) sends updateSmartCrops in it, and AEM 6.4's
javadoc, of that namespace, has the sub-asset types. 2016-01-14-beta is taken not to have them."""


class BetaField(NamedTuple):
    """Optional fields a beta namespace adds to a 2014-04-03 type or element."""

    owner: str
    after: str  # the field they follow ("" for first)
    spec: str  # in the field-list syntax of :mod:`.ipsapi_types`
    since: str  # the first beta that has them (later betas keep them)


# Beta additions from Adobe's javadoc (IPS-REFERENCE §5.9).
BETA_FIELDS: Final[tuple[BetaField, ...]] = (
    BetaField("authHeader", "accessToken", "samlResponse:string?", "2016-01-14-beta"),
    # The reference does not place synchronizationComplete in AutomatedSetGenerationJob, so it goes last there.
    BetaField("AutomatedSetGenerationJob", "emailSetting", "synchronizationComplete:boolean?", "2021-04-26-beta"),
    BetaField("UploadUrlsJob", "preservePublishState", "synchronizationComplete:boolean?", "2022-11-01-beta"),
    # Smart crops are sub-assets of an image (AEM 6.4's classes, namespace 2017-10-29-beta, have them).
    BetaField("getAssociatedAssetsReturn", "generatedArray", "subAssetArray:SubAssetArray?", _SMART_CROPS),
)

# Types and elements only the betas have: (field list, the first beta that has them), from Adobe's javadoc of
# com.scene7.ipsapi. SubAsset leaves out the javadoc's userDataArray, whose UserData type no page at hand shows
# (ips-mock never fills it).
BETA_TYPES: Final[Mapping[str, tuple[str, str]]] = {
    "NormalizedCropRect": ("leftN:double topN:double widthN:double heightN:double", _SMART_CROPS),
    "SmartCrop": ("cropRect:NormalizedCropRect? width:int height:int", _SMART_CROPS),
    "SubAsset": (
        "subAssetHandle:string? type:string? subType:string? name:string? created:dateTime? createUser:string? "
        "lastModified:dateTime? lastModifyUser:string? metadataArray:MetadataArray? smartCrop:SmartCrop?",
        _SMART_CROPS,
    ),
    "SubAssetArray": ("items:SubAsset*", _SMART_CROPS),
    "SmartCropUpdate": ("ownerHandle:string subAssetHandle:string cropRect:NormalizedCropRect?", _SMART_CROPS),
    "SmartCropUpdateArray": ("items:SmartCropUpdate*", _SMART_CROPS),
    "SubAssetOperationFault": ("subAssetHandle:string? subAssetName:string? code:int reason:string", _SMART_CROPS),
    "SubAssetOperationFaultArray": ("items:SubAssetOperationFault*", _SMART_CROPS),
}
BETA_ELEMENTS: Final[Mapping[str, tuple[str, str]]] = {
    "updateSmartCropsParam": ("companyHandle:string updateArray:SmartCropUpdateArray", _SMART_CROPS),
    "updateSmartCropsReturn": (
        "successCount:int warningCount:int errorCount:int warningDetailArray:SubAssetOperationFaultArray? "
        "errorDetailArray:SubAssetOperationFaultArray?",
        _SMART_CROPS,
    ),
}
BETA_OPERATIONS: Final[Mapping[str, str]] = {"updateSmartCrops": _SMART_CROPS}
"""Operation -> the first beta that has it (after the 2014 operations, in the port type's order)."""
