"""The Notion connector (API version 2025-09-03: databases hold data sources; rows are pages)."""
