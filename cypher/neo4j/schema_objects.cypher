// The indexes the database has (a constraint's backing index carries its name), by name:
// readiness compares them with schema.cypher.
SHOW INDEXES YIELD name RETURN name
