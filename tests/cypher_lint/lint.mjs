// Reads [{name, query, parameters: [names], labels: [...], relationshipTypes: [...]}] as
// JSON on stdin and prints [{name, errors: [{message, offset}]}] on stdout: every
// error-severity diagnostic of Neo4j's own Cypher parser and semantic analysis.
//
// The schema handed to the linter knows Neo4j 5's built-in functions and procedures
// (the package's own catalogue, without the APOC plugin, which the service does not use),
// the statement's declared parameters, and the service's labels and relationship types.
import { lintCypherQuery, testData } from '@neo4j-cypher/language-support';

const withoutApoc = (registry) => Object.fromEntries(
  Object.entries(registry).map(([version, entries]) => [
    version,
    Object.fromEntries(Object.entries(entries).filter(([name]) => !name.startsWith('apoc.'))),
  ]),
);

const ERROR = 1;
let input = '';
for await (const chunk of process.stdin) input += chunk;
const statements = JSON.parse(input);
const results = statements.map((statement) => {
  const schema = {
    functions: withoutApoc(testData.mockSchema.functions),
    procedures: withoutApoc(testData.mockSchema.procedures),
    labels: statement.labels,
    relationshipTypes: statement.relationshipTypes,
    parameters: Object.fromEntries(statement.parameters.map((name) => [name, null])),
  };
  const { diagnostics } = lintCypherQuery(statement.query, schema);
  return {
    name: statement.name,
    errors: diagnostics
      .filter((d) => d.severity === ERROR)
      .map((d) => ({ message: d.message, offset: d.offsets?.start ?? null })),
  };
});
process.stdout.write(JSON.stringify(results));
