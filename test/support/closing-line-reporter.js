/**
 * A Jest reporter that ends every run with one plain line, `jest: N passed, N failed, N skipped`, the closing
 * line any CI reads as a test count. Jest's own summary ("Tests: 849 passed, 849 total") is not one of the
 * formats CI recognises, and a later tool's closing line (schemathesis prints pytest-style ones) would
 * otherwise be taken for the whole run's.
 *
 * With DOCKET_TEST_TALLY set to a file path, the counts are also appended to it as one JSON line, so
 * `.ci/run` can add up the runs it made.
 */
const fs = require('node:fs');

class ClosingLineReporter {
  onRunComplete(_testContexts, results) {
    const passed = results.numPassedTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\njest: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    const tally = process.env.DOCKET_TEST_TALLY;
    if (tally) fs.appendFileSync(tally, `${JSON.stringify({ passed, failed, skipped })}\n`);
  }
}

module.exports = ClosingLineReporter;
