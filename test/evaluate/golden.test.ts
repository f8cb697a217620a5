import { describe, expect, it } from 'vitest';
import golden from '../golden/metrics.json';
import { averagePrecision, brierScore, logLoss, rocAuc } from '../../src/lib/evaluate/metrics.ts';
import { precisionRecallCurve, rocCurve } from '../../src/lib/evaluate/curves.ts';
import { confusionAt, confusionAtTopK } from '../../src/lib/evaluate/operating-point.ts';
import { calibrationCurve, expectedCalibrationError } from '../../src/lib/evaluate/calibration.ts';

type Ref = number | null | { error: string };
interface GoldenCase {
  name: string;
  labels: number[];
  scores: number[];
  weights: number[] | null;
  averagePrecision: Ref;
  rocAuc: Ref;
  brier: Ref;
  logLoss: Ref;
  pr?: { precision: (number | null)[]; recall: (number | null)[]; thresholds: number[] };
  roc?: { fpr: (number | null)[]; tpr: (number | null)[]; thresholds: number[] };
  atThreshold?: { threshold: number; tp: number; fp: number; fn: number; tn: number }[];
  topK?: { topPct: number; nTarget: number; threshold: number; tp: number; fp: number; fn: number; tn: number }[];
  calibration?: { nBins: number; probTrue: number[]; probPred: number[]; ece: number }[];
}

const TOL = 1e-12;
const cases = (golden as unknown as { cases: GoldenCase[] }).cases;

function close(actual: number | null, expected: number | null): void {
  if (expected === null) expect(Number.isNaN(actual as number) || actual === null).toBe(true);
  else expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(TOL);
}
function closeArray(actual: Float64Array, expected: (number | null)[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => close(v, expected[i]));
}
const positives = (c: GoldenCase) => c.labels.reduce((a, b) => a + b, 0);

describe(`golden values from scikit-learn ${(golden as { sklearn: string }).sklearn}`, () => {
  for (const c of cases) {
    const y = Uint8Array.from(c.labels);
    const s = Float64Array.from(c.scores);
    const w = c.weights ? Float64Array.from(c.weights) : undefined;
    const probabilities = c.scores.every((v) => v >= 0 && v <= 1);
    describe(c.name, () => {
      it('average precision (null without positives, where sklearn gives 0)', () => {
        const ap = averagePrecision(y, s, w);
        if (positives(c) === 0) {
          expect(ap).toBeNull();
          expect(c.averagePrecision).toBe(-0);
        } else close(ap, c.averagePrecision as number);
      });
      it('ROC AUC (null where sklearn raises)', () => {
        const auc = rocAuc(y, s, w);
        if (typeof c.rocAuc === 'object' && c.rocAuc !== null) expect(auc).toBeNull();
        else close(auc, c.rocAuc);
      });
      it('Brier score and log loss (null for scores that are not probabilities)', () => {
        if (!probabilities) {
          expect(brierScore(y, s, w)).toBeNull();
          expect(logLoss(y, s, w)).toBeNull();
        } else {
          close(brierScore(y, s, w), c.brier as number);
          close(logLoss(y, s, w), c.logLoss as number);
        }
      });
      if (c.pr && c.roc) {
        it('precision-recall curve', () => {
          const pr = precisionRecallCurve(y, s);
          closeArray(pr.precision, c.pr!.precision);
          closeArray(pr.recall, c.pr!.recall);
          closeArray(pr.thresholds, c.pr!.thresholds);
        });
        it('ROC curve (drop_intermediate)', () => {
          const roc = rocCurve(y, s);
          closeArray(roc.fpr, c.roc!.fpr);
          closeArray(roc.tpr, c.roc!.tpr);
          closeArray(roc.thresholds, c.roc!.thresholds);
        });
      }
      if (c.atThreshold) {
        it('confusion counts at thresholds', () => {
          for (const ref of c.atThreshold!) {
            const op = confusionAt(y, s, ref.threshold);
            expect([op.tp, op.fp, op.fn, op.tn]).toEqual([ref.tp, ref.fp, ref.fn, ref.tn]);
          }
        });
      }
      if (c.topK) {
        it('confusion counts at top K%', () => {
          for (const ref of c.topK!) {
            const op = confusionAtTopK(y, s, ref.topPct);
            expect([op.nTarget, op.threshold, op.tp, op.fp, op.fn, op.tn]).toEqual([ref.nTarget, ref.threshold, ref.tp, ref.fp, ref.fn, ref.tn]);
            expect(op.nFlagged!).toBeGreaterThanOrEqual(op.nTarget!);
          }
        });
      }
      for (const cal of c.calibration ?? []) {
        it(`calibration curve and ECE, ${cal.nBins} bins`, () => {
          const cc = calibrationCurve(y, s, cal.nBins)!;
          closeArray(cc.probTrue, cal.probTrue);
          closeArray(cc.probPred, cal.probPred);
          close(expectedCalibrationError(y, s, cal.nBins), cal.ece);
        });
      }
    });
  }
});
