/**
 * The baseline every chart needs: predict the training prevalence for everyone. Its average
 * precision equals the test prevalence (the "random" line) and its ROC AUC is 0.5.
 */
export interface BaselineFit {
  prevalence: number;
}

/** Training prevalence; 0 for an empty training set (there is nothing to predict from). */
export function fitBaseline(y: Uint8Array): BaselineFit {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i];
  return { prevalence: y.length ? pos / y.length : 0 };
}

/** The same score for each of n rows. */
export function predictBaseline(fit: BaselineFit, n: number): Float64Array {
  return new Float64Array(n).fill(fit.prevalence);
}
