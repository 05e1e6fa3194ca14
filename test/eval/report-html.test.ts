import { buildReport } from '../../eval/report';
import type { EvaluatedItem, ExpectedFields } from '../../eval/runner-output';
import { esc, renderReportHtml } from '../../eval/report-html';

const HOSTILE = '<script>alert(1)</script>';

const LABELS: ExpectedFields = {
  matterType: 'real_estate',
  urgency: 'high',
  jurisdiction: 'US-TX',
  clientName: 'Dana Whitfield',
  opposingParties: ['Lone Star Property Group LLC'],
  conflict: false,
};

/** An item the pipeline got entirely right, with `changes` on top. */
function item(id: string, changes: Partial<EvaluatedItem> = {}): EvaluatedItem {
  return {
    id,
    expected: LABELS,
    predicted: { ...LABELS },
    escalated: false,
    escalationReasons: [],
    confidence: { classifier: 0.92, reasoner: 0.81, drafter: 0.77 },
    costUsd: 0.015,
    agentCostUsd: { classifier: 0.0005, reasoner: 0.01, drafter: 0.0045 },
    tokens: { classifier: { input: 700, output: 250 } },
    latencyMs: { classify: 700, reason: 3100, draft: 1800, file: 45 },
    caught: { conflict: false, deadline: false },
    naiveBaselineUsd: 0.07,
    ...changes,
  };
}

function render(items: EvaluatedItem[], corpusFiles = ['eval/corpus/dev.jsonl']): string {
  return renderReportHtml(
    buildReport(items, {
      generatedAt: '2026-12-01T09:00:00.000Z',
      corpusFiles,
      models: { fast: 'sim-fast', reasoning: 'sim-reasoning', drafting: 'sim-drafting' },
      simulator: true,
      confidenceThresholds: { classifier: 0.75, reasoner: 0.7, drafter: 0.6 },
    }),
  );
}

describe('report.html', () => {
  const html = render([
    item('ok-1'),
    item('wrong-urgency', {
      predicted: { ...LABELS, urgency: 'low' },
      escalated: true,
      escalationReasons: ['low_confidence'],
    }),
    item('failed', {
      predicted: null,
      confidence: {},
      latencyMs: { classify: 700 },
      caught: { conflict: null, deadline: null },
      error: 'timeout',
    }),
  ]);

  it('stands alone: no scripts and nothing fetched from anywhere', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(src|href|xlink:href|srcset|action)\s*=/i);
    expect(html).not.toMatch(/url\(|@import|@font-face/i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('draws the confusion matrix, a reliability diagram per agent, the escalation curve and the cost bars', () => {
    expect(html.match(/<svg /g)).toHaveLength(6);
    expect(html).toContain('class="confusion"');
    expect(html.match(/class="reliability"/g)).toHaveLength(3);
    expect(html).toContain('class="curve"');
    expect(html).toContain('class="cost"');
    expect(html).toContain('expected real estate, predicted real estate: 2'); // the heatmap's diagonal cell
    expect(html).toContain('no answer'); // the failed run's column
  });

  it('shows the summary, the field table and the latency per stage', () => {
    expect(html).toContain('Run on the offline simulator');
    expect(html).toMatch(/<td>urgency<\/td><td class="n">1 \/ 3<\/td><td class="n">33\.3%<\/td>/);
    expect(html).toMatch(/<td>reason<\/td><td class="n">2<\/td><td class="n">3\.10 s<\/td>/);
  });

  it('highlights the wrong fields of an item with the expected value', () => {
    const row = html.split('<tr>').find((r) => r.startsWith('<td>wrong-urgency</td>')) ?? '';
    expect(row).toContain('<td class="wrong">low<span class="exp">expected: high</span></td>');
    expect(row.match(/class="wrong"/g)).toHaveLength(1);
    const failed = html.split('<tr>').find((r) => r.startsWith('<td>failed</td>')) ?? '';
    expect(failed.match(/class="wrong"/g)).toHaveLength(5);
  });

  it('says where conflicts and deadlines were caught, and where the false alarms came from', () => {
    const conflictLabels = { ...LABELS, conflict: true, mustReview: true };
    const page = render([
      item('mentioned', { caught: { conflict: true, deadline: false, conflictSources: ['recognized'] } }),
      item('sender-and-text', {
        caught: { conflict: true, deadline: false, conflictSources: ['sender', 'recognized'] },
      }),
      item('opposing', {
        expected: conflictLabels,
        caught: { conflict: true, deadline: false, conflictSources: ['model:opposing'] },
      }),
      item('written-date', {
        expected: { ...LABELS, deadline: true, mustReview: true },
        caught: { conflict: false, deadline: true, deadlineSources: ['recognized'] },
      }),
    ]);
    expect(page).toContain('Where conflicts and deadlines were caught');
    const table = page.slice(page.indexOf('<table class="sources">'));
    /** A source's row as [caught, false alarms]. */
    const counts = (check: string, source: string) => {
      const row = table
        .split('<tr>')
        .find((r) => r.startsWith(`<td>${check}</td><td><code>${source}</code>`));
      const cells = /<td class="n">(\d+)<\/td><td class="n">(\d+)<\/td><\/tr>/.exec(row ?? '');
      return cells ? [Number(cells[1]), Number(cells[2])] : null;
    };
    expect(counts('conflict', 'recognized')).toEqual([0, 2]);
    expect(counts('conflict', 'sender')).toEqual([0, 1]);
    expect(counts('conflict', 'model:opposing')).toEqual([1, 0]);
    expect(counts('deadline', 'recognized')).toEqual([1, 0]);
    expect(counts('deadline', 'classified')).toBeNull();
    expect(page).toContain(
      "false alarms from the model's parties and the sender: <b>1</b>; from recognized names only: <b>1</b> (each one's review says why)",
    );
    const mentioned = page.split('<tr>').find((r) => r.startsWith('<td>mentioned</td>')) ?? '';
    expect(mentioned).toContain('flagged <span class="small">recognized</span>');
  });

  it('escapes text that comes from intakes and corpus files', () => {
    const hostile = render(
      [
        item(HOSTILE, {
          predicted: { ...LABELS, clientName: HOSTILE, opposingParties: [`"><img src=x onerror=alert(1)>`] },
          escalated: true,
          escalationReasons: [HOSTILE],
          caught: { conflict: true, deadline: false, conflictSources: [HOSTILE] },
          error: HOSTILE,
        }),
      ],
      [`${HOSTILE}.jsonl`],
    );
    expect(hostile).not.toContain(HOSTILE);
    expect(hostile).not.toMatch(/<script|<img/i);
    expect(hostile).toContain(esc(HOSTILE));
    expect(hostile).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  });
});
