"""The Neo4j console's check of the server's own plan (explorer.store.neo4j_engine.
check_plan), on plans shaped as the driver gives them: no server needed."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from explorer.store.errors import ReadOnlyViolation
from explorer.store.guard import RefusedQuery
from explorer.store.neo4j_engine import check_plan


def summary(query_type: str, *operators: tuple[str, str]) -> SimpleNamespace:
    """A summary whose plan is a chain of (operator, details), root first."""
    plan: dict | None = None
    for name, details in reversed(operators):
        plan = {"operatorType": f"{name}@neo4j", "args": {"Details": details},
                "children": [plan] if plan else []}
    return SimpleNamespace(query_type=query_type, plan=plan)


def test_a_call_of_an_allowed_dbms_procedure_passes_though_typed_as_schema():
    check_plan(summary("s", ("ProduceResults", "name"),
                       ("ProcedureCall", "dbms.components() :: (name, versions, edition)")))
    check_plan(summary("r", ("ProduceResults", "label"), ("ProcedureCall", "db.labels()")))


@pytest.mark.parametrize("plan, refusal", [
    (summary("s", ("CreateIndex", "RANGE INDEX FOR (n:A) ON (n.x)")), ReadOnlyViolation),
    (summary("s", ("ProduceResults", ""), ("ProcedureCall", "dbms.components()"),
             ("CreateConstraint", "")), ReadOnlyViolation),
    (summary("s", ("ProduceResults", "")), ReadOnlyViolation),
    (summary("s", ("ProduceResults", ""), ("ProcedureCall", "dbms.setConfigValue(k, v)")),
     RefusedQuery),
    (summary("w", ("ProduceResults", ""), ("Create", "(n:A)")), ReadOnlyViolation),
    (summary("r", ("ProduceResults", ""), ("LoadCSV", "LOAD CSV FROM 'file:///x'")),
     RefusedQuery),
])
def test_schema_changes_writes_files_and_other_procedures_are_refused(plan, refusal):
    with pytest.raises(refusal):
        check_plan(plan)
