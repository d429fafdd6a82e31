// Copies the repository's JSON schemas (../../schema/*.json) into schemas/, where
// contributes.tomlValidation points. schemas/ is git-ignored: the repository's schema/ is
// the only source. Fails when the schema tomlValidation needs is missing or not JSON, so a
// .vsix never ships a dangling schema reference.
import * as fs from 'node:fs';
import * as path from 'node:path';

const extensionDir = path.resolve(import.meta.dirname, '..');
const sourceDir = path.resolve(extensionDir, '../../schema');
const targetDir = path.join(extensionDir, 'schemas');
const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
const required = (manifest.contributes?.tomlValidation ?? []).map((entry) => path.basename(entry.url));

const sources = fs.existsSync(sourceDir)
  ? fs.readdirSync(sourceDir).filter((name) => name.endsWith('.json')).sort()
  : [];

if (sources.length > 0) {
  fs.rmSync(targetDir, { recursive: true, force: true });
  fs.mkdirSync(targetDir, { recursive: true });
  for (const name of sources) {
    fs.copyFileSync(path.join(sourceDir, name), path.join(targetDir, name));
  }
  console.log(`copy-schemas: copied ${sources.join(', ')} from ${path.relative(extensionDir, sourceDir)}`);
} else {
  console.warn(`copy-schemas: no *.json in ${sourceDir}; keeping whatever is in schemas/`);
}

let failed = false;
for (const name of required) {
  const file = path.join(targetDir, name);
  if (!fs.existsSync(file)) {
    console.error(`copy-schemas: ${name} is missing: tomlValidation points to schemas/${name}; add it to ${sourceDir}.`);
    failed = true;
    continue;
  }
  try {
    JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`copy-schemas: ${file} is not valid JSON: ${error.message}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
