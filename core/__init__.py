"""The kernel: database and unit of work, the error tree, pagination, the outbox, tenancy.

It imports nothing of the project; every other package may import it."""
