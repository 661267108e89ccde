"""The political map's system of record: relations, roles, interactions with our people,
score overrides and computed scores. The graph is projected from here."""
