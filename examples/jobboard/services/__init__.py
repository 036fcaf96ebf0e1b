"""Service layer: each service takes a ``DatabaseService`` and opens its own sessions."""
