// The tables the database has, by name: readiness compares them with schema.cypher.
CALL show_tables() RETURN name
