// Independent checks of the pipeline's documents, with tools nobody on the
// team wrote. Usage:
//   node validate.mjs validate FILE...   -> one JSON line per file: {file, valid, version, errors}
//   node validate.mjs down-convert FILE  -> @apiture/openapi-down-convert's 3.0 output, as JSON
import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Converter } from "@apiture/openapi-down-convert";
import * as yaml from "js-yaml";

const [command, ...files] = process.argv.slice(2);
const load = (file) => {
  const text = readFileSync(file, "utf8");
  return file.endsWith(".json") ? JSON.parse(text) : yaml.load(text);
};

if (command === "validate") {
  for (const file of files) {
    const validator = new Validator();
    const result = await validator.validate(load(file));
    // Errors come as a list of Ajv errors, or as one message.
    const raw = result.errors ?? [];
    const errors = Array.isArray(raw)
      ? raw.map((e) => `${e.instancePath} ${e.message}`)
      : [String(typeof raw === "string" ? raw : JSON.stringify(raw))];
    console.log(JSON.stringify({ file, valid: result.valid, version: validator.version, errors }));
  }
} else if (command === "down-convert") {
  const converted = new Converter(load(files[0]), { verbose: false }).convert();
  console.log(JSON.stringify(converted));
} else {
  console.error("usage: node validate.mjs validate FILE... | down-convert FILE");
  process.exit(2);
}
