"""CRM connectors: the connector protocol, registry, sync engine and the Notion connector."""
