"""Job log messages, rendered in the reader's locale (IPS localizes ``logMessage`` by the authHeader locale).

A locale ``ll`` or ``ll-CC`` picks the language ``ll``; languages ips-mock has no text for fall back to English.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = ["render"]

_TEXTS: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "begin": "{0} has begun!",
        "end": "{0} has completed.",
        "success": "{0} was processed into IPS",
        "warning": "{0} was processed into IPS with warnings",
        "error": "{0} could not be processed",
        "cancel": "{0} was not processed: the job was stopped",
        "stopped": "{0} was stopped by {1}.",
        "fatal": "Fatal error: {0}",
        "duplicate": "{0} was skipped: an asset named {1} already exists",
        "download": "The export is ready: {0}",
    },
    "de": {
        "begin": "{0} hat begonnen!",
        "end": "{0} ist abgeschlossen.",
        "success": "{0} wurde in IPS verarbeitet",
        "warning": "{0} wurde mit Warnungen in IPS verarbeitet",
        "error": "{0} konnte nicht verarbeitet werden",
        "cancel": "{0} wurde nicht verarbeitet: der Job wurde angehalten",
        "stopped": "{0} wurde von {1} angehalten.",
        "fatal": "Schwerwiegender Fehler: {0}",
        "duplicate": "{0} wurde übersprungen: ein Asset namens {1} existiert bereits",
        "download": "Der Export ist bereit: {0}",
    },
    "fr": {
        "begin": "{0} a commencé !",
        "end": "{0} est terminé.",
        "success": "{0} a été traité dans IPS",
        "warning": "{0} a été traité dans IPS avec des avertissements",
        "error": "{0} n'a pas pu être traité",
        "cancel": "{0} n'a pas été traité : la tâche a été arrêtée",
        "stopped": "{0} a été arrêté par {1}.",
        "fatal": "Erreur fatale : {0}",
        "duplicate": "{0} a été ignoré : un élément nommé {1} existe déjà",
        "download": "L'export est prêt : {0}",
    },
}


def render(key: str, args: tuple[str, ...], locale: str | None) -> str:
    language = (locale or "en").split("-", 1)[0].lower()
    texts = _TEXTS.get(language, _TEXTS["en"])
    return texts[key].format(*args)
