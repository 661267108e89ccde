"""The worker loops the process runs beside the API: outbox workers and the CRM sync."""
