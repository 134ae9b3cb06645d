"""Sensitivity labels (Microsoft Purview / MIP) of Office files.

>>> import docseal
>>> labelled = docseal.labels.set(package, id="3a6c1e7e-...", tenant="5e2d1c3b-...",
...                               name="Confidential")                  # doctest: +SKIP
>>> docseal.labels.read(labelled)[0]["name"]                           # doctest: +SKIP
'Confidential'

Encrypted packages need their password; they are decrypted, relabelled and encrypted again
with the same keys.
"""

import json
from typing import Any, Dict, List, Optional

from .. import _credentials, _label_args, _native, _source, _as_bytes

__all__ = ["read", "report", "set", "remove"]


def report(data_or_path: Any, password: Optional[str] = None) -> Dict[str, Any]:
    """The full label report (``docseal label show --json``): labels in force, every location's
    labels, warnings."""
    return json.loads(_native.read_labels(_source(data_or_path), _credentials(password)))


def read(data_or_path: Any, password: Optional[str] = None) -> List[Dict[str, Any]]:
    """The labels in force, one dict per tenant: ``id``, ``tenant``, ``name``, ``method``,
    ``set_date``, ``location``, ..."""
    return report(data_or_path, password)["labels"]


def set(
    data: bytes,
    *,
    id: str,
    tenant: str,
    name: Optional[str] = None,
    method: str = "standard",
    password: Optional[str] = None,
    scheme: Optional[str] = None,
) -> bytes:
    """Sets ``tenant``'s label (replacing its old one) and returns the new file.

    ``method``: standard or privileged; ``scheme``: where to write it (labelinfo, custom,
    both; default: where the file keeps labels, else both).
    """
    label = _label_args({"id": id, "tenant": tenant, "name": name, "method": method}, scheme)
    changes = {"set": label, "remove_id": None, "remove_tenant": None, "remove_all": False}
    return _native.relabel(_as_bytes(data), _credentials(password), changes)


def remove(
    data: bytes,
    *,
    id: Optional[str] = None,
    tenant: Optional[str] = None,
    all: bool = False,
    password: Optional[str] = None,
) -> bytes:
    """Removes labels by ``id``, by ``tenant``, or ``all`` of them; returns the new file."""
    changes = {"set": None, "remove_id": id, "remove_tenant": tenant, "remove_all": bool(all)}
    return _native.relabel(_as_bytes(data), _credentials(password), changes)
