"""The sync engine: outbox consumer, shadows, field rules, conflict log and cursors for
every CRM connection; connectors plug in through `connectors.protocol`."""
