/**
 * The evaluation: the labelled corpus, the runner that puts it through the real pipeline, the scoring,
 * report.json / report.html and the comparison of two reports (DESIGN.md "Evaluation corpus format").
 */
export { CORPUS_DIR, CorpusError, CorpusItem, loadCorpus } from './corpus';
export { runEvaluation, type EvalProgress, type EvalRunOptions, type EvalRunResult } from './run';
export { startEvalStack, type EvalStack, type EvalStackOptions } from './stack';
export { naiveBaselineUsd, naiveCallTokens, type RecordedCall } from './baseline';
export { buildReport, readReport, type EvalReport, type ReportItem } from './report';
export { EvaluatedItem, RunInfo } from './runner-output';
export { renderReportHtml } from './report-html';
export { compareReports, formatComparison, type ReportComparison } from './compare';
export { EVAL_AGENTS, SCORED_FIELDS } from './metrics';
