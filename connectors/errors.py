"""Errors a connector raises; the sync engine decides what each means for the outbox.

    AppError
    └── ConnectorError              (502, connector_error)  the CRM refused or failed
        ├── CRMUnavailable          (503, crm_unavailable)  transient: retry later
        │   └── OutcomeUnknown      the request may have been applied (timeout, 5xx after
        │                           the body was sent); only idempotent retries are safe
        ├── RecordMissing           (404) the record does not exist (or is not shared)
        ├── RecordRejected          (422) the CRM refused this record's values
        └── MappingInvalid          (409) the CRM's schema does not match the mapping

Connectors translate their client's exceptions into these at their edge.
"""

from __future__ import annotations

from core.errors import AppError


class ConnectorError(AppError):
    status_code = 502
    code = "connector_error"


class CRMUnavailable(ConnectorError):
    status_code = 503
    code = "crm_unavailable"


class OutcomeUnknown(CRMUnavailable):
    code = "crm_outcome_unknown"


class RecordMissing(ConnectorError):
    status_code = 404
    code = "crm_record_missing"


class RecordRejected(ConnectorError):
    status_code = 422
    code = "crm_record_rejected"


class MappingInvalid(ConnectorError):
    status_code = 409
    code = "crm_mapping_invalid"


class UnknownConnector(ConnectorError):
    status_code = 404
    code = "unknown_connector"
