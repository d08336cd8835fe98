// Prints the one closing line CI reads, "N passed, N failed, N skipped", from vitest's and Playwright's JSON.
// A missing report counts as a failure: a runner that crashed must not look like a clean run.
import { existsSync, readFileSync } from 'node:fs';

const [vitestFile, playwrightFile, typecheckFailed] = process.argv.slice(2);
let passed = 0;
let failed = Number(typecheckFailed) || 0;
let skipped = 0;

function readJson(file, label) {
  if (!existsSync(file)) {
    console.error(`${label}: no report at ${file}`);
    failed += 1;
    return null;
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

const vitest = readJson(vitestFile, 'vitest');
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests + countFilesFailedWithoutTests(vitest);
  skipped += vitest.numPendingTests + (vitest.numTodoTests ?? 0);
}

const playwright = readJson(playwrightFile, 'playwright');
if (playwright) {
  const s = playwright.stats;
  passed += s.expected + s.flaky;
  failed += s.unexpected + (playwright.errors?.length ?? 0);
  skipped += s.skipped;
}

// A file that failed to load (or failed in a hook) has no failed tests of its own, so it counts once
// itself; a file with failing tests is counted by them. (vitest's numFailedTestSuites counts describe
// blocks too, so it cannot be used for this.)
function countFilesFailedWithoutTests(report) {
  return report.testResults.filter((r) => r.status === 'failed' && !r.assertionResults.some((a) => a.status === 'failed')).length;
}

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
