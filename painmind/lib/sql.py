"""Names for the few statements built by hand from the models' metadata, on hot paths where the
ORM took longer to build a query than the database to answer it (docs/benchmarks.md): every
name comes from the model, quoted by the backend; every value stays a parameter."""

from __future__ import annotations

from django.db import connections, models


def table(alias: str, model: type[models.Model]) -> str:
    """The model's table, quoted for the database `alias` names."""
    return connections[alias].ops.quote_name(model._meta.db_table)


def column(alias: str, model: type[models.Model], name: str) -> str:
    """``"table"."column"`` of a model field (a foreign key's ``…_id`` column for a relation)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return f"{table(alias, model)}.{connections[alias].ops.quote_name(str(field.column))}"
