/**
 * The evaluation: the labelled corpora, the runner that puts them through the real pipeline, the scoring,
 * report.json / report.html and the comparison of two reports (DESIGN.md "Evaluation corpus format"), for
 * legal intake and (eval/clinical/) the clinical summary.
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
export { CLINICAL_CORPUS_DIR, ClinicalCorpusItem, loadClinicalCorpus } from './clinical/corpus';
export { CLINICAL_SUMMARY_REST_NAME, runClinicalEvaluation, type ClinicalRunResult } from './clinical/run';
export { buildClinicalReport, formatClinicalSummary, type ClinicalReport } from './clinical/report';
export { renderClinicalReportHtml } from './clinical/report-html';
