/**
 * One regression tree on gradients, grown leaf-wise as scikit-learn's `TreeGrower`:
 * the splittable leaf with the largest gain is split next until `maxLeafNodes` leaves;
 * the smaller child's histogram is built from its samples and the larger child's is the
 * parent's minus it (in the parent's buffer); missing values go to the side that gains
 * more, and when a feature had no missing value in training, to the larger child.
 *
 * Gains and leaf values are scikit-learn's: value = -G / (H + l2 + 1e-15),
 * gain = loss(parent) - loss(left) - loss(right) with loss(node) = G * value.
 */

/** A fitted tree, flat. Node 0 is the root; a leaf has left[k] === -1. */
export interface Tree {
  feature: Int32Array;
  /** Go left when bin code <= binThreshold (codes of missing values never are). */
  binThreshold: Int32Array;
  /** Go left when x <= threshold; +Infinity for a split that sends only missing values right. */
  threshold: Float64Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  /** Leaf value after shrinkage (0 for internal nodes). */
  value: Float64Array;
}

export interface GrowerConfig {
  p: number;
  maxLeafNodes: number;
  minSamplesLeaf: number;
  l2: number;
  learningRate: number;
  nBinsNonMissing: Int32Array;
  hasMissing: Uint8Array;
  thresholds: Float64Array[];
}

const MIN_HESSIAN_TO_SPLIT = 1e-3;
/** A feature is stored sparsely when at most this fraction of rows are off its mode. */
const SPARSE_FRACTION = 0.5;

/**
 * Reusable state for growing trees on one binned training set (buffers are allocated
 * once per fit: this matters more than it seems on machines slow to touch fresh memory).
 */
export class TreeGrower {
  private readonly n: number;
  private readonly codes: Uint8Array;
  private readonly cfg: GrowerConfig;
  /** Histogram slot offset (in bins) of each feature; slots = nBinsNonMissing + 1. */
  private readonly slotOffset: Int32Array;
  private readonly histLength: number;
  private readonly histPool: Float64Array[] = [];
  private readonly idx: Int32Array;
  private readonly scratch: Int32Array;
  private readonly og: Float32Array;
  private readonly oh: Float32Array;
  // Per-node state, indexed by node id (at most 2 * maxLeafNodes - 1 nodes).
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly sumG: Float64Array;
  private readonly sumH: Float64Array;
  private readonly nodeValue: Float64Array;
  private readonly hist: (Float64Array | null)[];
  private readonly sFeature: Int32Array;
  private readonly sBin: Int32Array;
  private readonly sMissingLeft: Uint8Array;
  private readonly sGain: Float64Array;
  private readonly sGL: Float64Array;
  private readonly sHL: Float64Array;
  private readonly sNL: Int32Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly splittable: Int32Array;
  private nSplittable = 0;
  private nNodes = 0;
  /**
   * Sparse features: most rows share one code (the mode; one-hot and missing-indicator
   * columns). Their histograms are built from the other entries only, kept per row
   * (CSR: the pre-multiplied histogram offsets of row i are sparseSlot[rowStart[i] ..
   * rowStart[i+1])), and the mode's slot is the node total minus the rest. On a one-hot
   * design this does a fraction of the work of the dense loop, at every node size.
   */
  private readonly mode: Int32Array;
  private readonly sparseFeatures: Int32Array;
  private readonly denseFeatures: Int32Array;
  private readonly rowStart: Int32Array;
  private readonly sparseSlot: Int32Array;

  constructor(codes: Uint8Array, n: number, cfg: GrowerConfig) {
    this.codes = codes;
    this.n = n;
    this.cfg = cfg;
    const { p } = cfg;
    this.slotOffset = new Int32Array(p + 1);
    for (let f = 0; f < p; f++) this.slotOffset[f + 1] = this.slotOffset[f] + cfg.nBinsNonMissing[f] + 1;
    this.histLength = 3 * this.slotOffset[p];
    this.idx = new Int32Array(n);
    this.scratch = new Int32Array(n);
    this.og = new Float32Array(n);
    this.oh = new Float32Array(n);
    const maxNodes = 2 * Math.max(1, cfg.maxLeafNodes) + 1;
    this.start = new Int32Array(maxNodes);
    this.end = new Int32Array(maxNodes);
    this.sumG = new Float64Array(maxNodes);
    this.sumH = new Float64Array(maxNodes);
    this.nodeValue = new Float64Array(maxNodes);
    this.hist = new Array<Float64Array | null>(maxNodes).fill(null);
    this.sFeature = new Int32Array(maxNodes);
    this.sBin = new Int32Array(maxNodes);
    this.sMissingLeft = new Uint8Array(maxNodes);
    this.sGain = new Float64Array(maxNodes);
    this.sGL = new Float64Array(maxNodes);
    this.sHL = new Float64Array(maxNodes);
    this.sNL = new Int32Array(maxNodes);
    this.left = new Int32Array(maxNodes);
    this.right = new Int32Array(maxNodes);
    this.splittable = new Int32Array(maxNodes);
    this.mode = new Int32Array(p);
    const sparse: number[] = [];
    const dense: number[] = [];
    const counts = new Int32Array(256);
    const rowStart = new Int32Array(n + 1);
    for (let f = 0; f < p; f++) {
      counts.fill(0);
      const cb = f * n;
      for (let i = 0; i < n; i++) counts[codes[cb + i]]++;
      let md = 0;
      for (let c = 1; c < 256; c++) if (counts[c] > counts[md]) md = c;
      this.mode[f] = md;
      if (n - counts[md] <= SPARSE_FRACTION * n) {
        sparse.push(f);
        for (let i = 0; i < n; i++) if (codes[cb + i] !== md) rowStart[i + 1]++;
      } else {
        dense.push(f);
      }
    }
    for (let i = 0; i < n; i++) rowStart[i + 1] += rowStart[i];
    const sparseSlot = new Int32Array(rowStart[n]);
    const cursor = rowStart.slice(0, n);
    for (const f of sparse) {
      const cb = f * n;
      const md = this.mode[f];
      const so = this.slotOffset[f];
      for (let i = 0; i < n; i++) {
        const c = codes[cb + i];
        if (c !== md) sparseSlot[cursor[i]++] = 3 * (so + c);
      }
    }
    this.sparseFeatures = Int32Array.from(sparse);
    this.denseFeatures = Int32Array.from(dense);
    this.rowStart = rowStart;
    this.sparseSlot = sparseSlot;
  }

  /**
   * Grow one tree on gradients g and hessians h (length n), add its shrunk leaf values to
   * `raw` (the training raw predictions) and the split gains to `featureGain`.
   */
  grow(g: Float32Array, h: Float32Array, raw: Float64Array, featureGain: Float64Array): Tree {
    const { n, cfg, idx } = this;
    const { minSamplesLeaf, maxLeafNodes } = cfg;
    for (let i = 0; i < n; i++) idx[i] = i;
    this.nNodes = 1;
    this.nSplittable = 0;
    this.start[0] = 0;
    this.end[0] = n;
    let G = 0;
    let H = 0;
    for (let i = 0; i < n; i++) {
      G += g[i];
      H += h[i];
    }
    this.sumG[0] = G;
    this.sumH[0] = H;
    this.nodeValue[0] = 0;
    this.left.fill(-1);
    this.right.fill(-1);
    let nLeaves = 1;
    if (n >= 2 * minSamplesLeaf && H >= MIN_HESSIAN_TO_SPLIT) {
      const hist0 = this.takeHist();
      this.buildRootHistogram(hist0, g, h, G, H);
      this.hist[0] = hist0;
      this.splitOrFinalize(0);
    }
    while (this.nSplittable > 0 && nLeaves < maxLeafNodes) {
      // Largest gain first; the list is at most maxLeafNodes long.
      let best = 0;
      for (let k = 1; k < this.nSplittable; k++) {
        if (this.sGain[this.splittable[k]] > this.sGain[this.splittable[best]]) best = k;
      }
      const node = this.splittable[best];
      this.splittable[best] = this.splittable[--this.nSplittable];
      const [l, r] = this.applySplit(node);
      featureGain[this.sFeature[node]] += this.sGain[node];
      nLeaves++;
      if (nLeaves === maxLeafNodes) {
        this.releaseHist(node);
        break;
      }
      const nl = this.end[l] - this.start[l];
      const nr = this.end[r] - this.start[r];
      const splitLeft = nl >= 2 * minSamplesLeaf;
      const splitRight = nr >= 2 * minSamplesLeaf;
      if (splitLeft || splitRight) {
        const small = nl < nr ? l : r;
        const large = small === l ? r : l;
        const hs = this.takeHist();
        this.buildHistogram(hs, small, g, h);
        const hl = this.hist[node]!;
        this.hist[node] = null;
        for (let k = 0; k < hl.length; k++) hl[k] -= hs[k];
        this.hist[small] = hs;
        this.hist[large] = hl;
        if (splitLeft) this.splitOrFinalize(l);
        else this.releaseHist(l);
        if (splitRight) this.splitOrFinalize(r);
        else this.releaseHist(r);
      } else {
        this.releaseHist(node);
      }
    }
    for (let k = 0; k < this.nSplittable; k++) this.releaseHist(this.splittable[k]);
    this.nSplittable = 0;
    return this.finishTree(raw);
  }

  private takeHist(): Float64Array {
    const h = this.histPool.pop();
    if (h) {
      h.fill(0);
      return h;
    }
    return new Float64Array(this.histLength);
  }

  private releaseHist(node: number): void {
    const h = this.hist[node];
    if (h) this.histPool.push(h);
    this.hist[node] = null;
  }

  /** Find the node's best split; keep it splittable if the gain is positive. */
  private splitOrFinalize(node: number): void {
    this.findBestSplit(node);
    if (this.sGain[node] > 0) this.splittable[this.nSplittable++] = node;
    else this.releaseHist(node);
  }

  private buildRootHistogram(hist: Float64Array, g: Float32Array, h: Float32Array, G: number, H: number): void {
    const { n, codes, slotOffset, denseFeatures, sparseFeatures, rowStart, sparseSlot } = this;
    for (let d = 0; d < denseFeatures.length; d++) {
      const f = denseFeatures[d];
      const cb = f * n;
      const hb = 3 * slotOffset[f];
      for (let i = 0; i < n; i++) {
        const b = hb + 3 * codes[cb + i];
        hist[b] += g[i];
        hist[b + 1] += h[i];
        hist[b + 2] += 1;
      }
    }
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const hi = h[i];
      for (let k = rowStart[i], e = rowStart[i + 1]; k < e; k++) {
        const b = sparseSlot[k];
        hist[b] += gi;
        hist[b + 1] += hi;
        hist[b + 2] += 1;
      }
    }
    for (let k = 0; k < sparseFeatures.length; k++) this.fillModeSlot(hist, sparseFeatures[k], G, H, n);
  }

  /** The mode's slot of a sparse feature: the node's totals minus every other slot. */
  private fillModeSlot(hist: Float64Array, f: number, G: number, H: number, N: number): void {
    const hb = 3 * this.slotOffset[f];
    const he = 3 * this.slotOffset[f + 1];
    const mo = hb + 3 * this.mode[f];
    let gs = 0;
    let hs = 0;
    let ns = 0;
    for (let o = hb; o < he; o += 3) {
      if (o === mo) continue;
      gs += hist[o];
      hs += hist[o + 1];
      ns += hist[o + 2];
    }
    hist[mo] = G - gs;
    hist[mo + 1] = H - hs;
    hist[mo + 2] = N - ns;
  }

  private buildHistogram(hist: Float64Array, node: number, g: Float32Array, h: Float32Array): void {
    const { n, codes, slotOffset, idx, og, oh, denseFeatures, sparseFeatures, rowStart, sparseSlot } = this;
    const s = this.start[node];
    const m = this.end[node] - s;
    for (let i = 0; i < m; i++) {
      const j = idx[s + i];
      og[i] = g[j];
      oh[i] = h[j];
    }
    // Dense features two per pass: they share the loads of the index and the gradients.
    const nd = denseFeatures.length;
    let d = 0;
    for (; d + 1 < nd; d += 2) {
      const f0 = denseFeatures[d];
      const f1 = denseFeatures[d + 1];
      const cb0 = f0 * n;
      const cb1 = f1 * n;
      const hb0 = 3 * slotOffset[f0];
      const hb1 = 3 * slotOffset[f1];
      for (let i = 0; i < m; i++) {
        const j = idx[s + i];
        const gi = og[i];
        const hi = oh[i];
        const b0 = hb0 + 3 * codes[cb0 + j];
        const b1 = hb1 + 3 * codes[cb1 + j];
        hist[b0] += gi;
        hist[b0 + 1] += hi;
        hist[b0 + 2] += 1;
        hist[b1] += gi;
        hist[b1 + 1] += hi;
        hist[b1 + 2] += 1;
      }
    }
    if (d < nd) {
      const f = denseFeatures[d];
      const cb = f * n;
      const hb = 3 * slotOffset[f];
      for (let i = 0; i < m; i++) {
        const b = hb + 3 * codes[cb + idx[s + i]];
        hist[b] += og[i];
        hist[b + 1] += oh[i];
        hist[b + 2] += 1;
      }
    }
    if (sparseFeatures.length === 0) return;
    for (let i = 0; i < m; i++) {
      const j = idx[s + i];
      const gi = og[i];
      const hi = oh[i];
      for (let k = rowStart[j], e = rowStart[j + 1]; k < e; k++) {
        const b = sparseSlot[k];
        hist[b] += gi;
        hist[b + 1] += hi;
        hist[b + 2] += 1;
      }
    }
    const G = this.sumG[node];
    const H = this.sumH[node];
    for (let k = 0; k < sparseFeatures.length; k++) this.fillModeSlot(hist, sparseFeatures[k], G, H, m);
  }

  /** scikit-learn's Splitter.find_node_split for numerical features. */
  private findBestSplit(node: number): void {
    const { cfg, slotOffset } = this;
    const { p, minSamplesLeaf, nBinsNonMissing, hasMissing } = cfg;
    const l2 = cfg.l2 + 1e-15;
    const hist = this.hist[node]!;
    const G = this.sumG[node];
    const H = this.sumH[node];
    const N = this.end[node] - this.start[node];
    const lossParent = (-G * G) / (H + l2);
    let bestGain = -1;
    let bestFeature = -1;
    let bestBin = 0;
    let bestMissingLeft = 0;
    let bestGL = 0;
    let bestHL = 0;
    let bestNL = 0;
    for (let f = 0; f < p; f++) {
      const hb = 3 * slotOffset[f];
      const nb = nBinsNonMissing[f];
      const miss = hasMissing[f];
      // Left to right; missing values go right. With missing values the last bin may go
      // left too: the "split on missing" that sends only the missing values right.
      const last = nb - 1 + miss;
      let gl = 0;
      let hl = 0;
      let nl = 0;
      for (let b = 0; b < last; b++) {
        const o = hb + 3 * b;
        gl += hist[o];
        hl += hist[o + 1];
        nl += hist[o + 2];
        const nr = N - nl;
        const hr = H - hl;
        if (nl < minSamplesLeaf) continue;
        if (nr < minSamplesLeaf) break;
        if (hl < MIN_HESSIAN_TO_SPLIT) continue;
        if (hr < MIN_HESSIAN_TO_SPLIT) break;
        const gr = G - gl;
        const gain = lossParent + (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2);
        if (gain > bestGain && gain > 0) {
          bestGain = gain;
          bestFeature = f;
          bestBin = b;
          bestMissingLeft = 0;
          bestGL = gl;
          bestHL = hl;
          bestNL = nl;
        }
      }
      if (!miss) continue;
      // Right to left; missing values go left.
      let gr = 0;
      let hr = 0;
      let nr = 0;
      for (let b = nb - 2; b >= 0; b--) {
        const o = hb + 3 * (b + 1);
        gr += hist[o];
        hr += hist[o + 1];
        nr += hist[o + 2];
        const nl2 = N - nr;
        const hl2 = H - hr;
        if (nr < minSamplesLeaf) continue;
        if (nl2 < minSamplesLeaf) break;
        if (hr < MIN_HESSIAN_TO_SPLIT) continue;
        if (hl2 < MIN_HESSIAN_TO_SPLIT) break;
        const gl2 = G - gr;
        const gain = lossParent + (gl2 * gl2) / (hl2 + l2) + (gr * gr) / (hr + l2);
        if (gain > bestGain && gain > 0) {
          bestGain = gain;
          bestFeature = f;
          bestBin = b;
          bestMissingLeft = 1;
          bestGL = gl2;
          bestHL = hl2;
          bestNL = nl2;
        }
      }
    }
    this.sGain[node] = bestFeature < 0 ? -1 : bestGain;
    this.sFeature[node] = bestFeature;
    this.sBin[node] = bestBin;
    this.sMissingLeft[node] = bestMissingLeft;
    this.sGL[node] = bestGL;
    this.sHL[node] = bestHL;
    this.sNL[node] = bestNL;
  }

  /** Partition the node's samples (stable) and create its two children. */
  private applySplit(node: number): [number, number] {
    const { idx, scratch, codes, n, cfg } = this;
    const f = this.sFeature[node];
    const thr = this.sBin[node];
    const missCode = cfg.nBinsNonMissing[f];
    const cb = f * n;
    const s = this.start[node];
    const e = this.end[node];
    const nLeft = this.sNL[node];
    if (!cfg.hasMissing[f]) {
      // No missing value seen in training: at prediction time they follow the majority.
      this.sMissingLeft[node] = nLeft > e - s - nLeft ? 1 : 0;
    }
    const missLeft = this.sMissingLeft[node] === 1;
    const l = this.nNodes++;
    const r = this.nNodes++;
    let li = s;
    let ri = 0;
    for (let i = s; i < e; i++) {
      const j = idx[i];
      const c = codes[cb + j];
      const goLeft = c === missCode ? missLeft : c <= thr;
      if (goLeft) idx[li++] = j;
      else scratch[ri++] = j;
    }
    idx.set(scratch.subarray(0, ri), li);
    this.left[node] = l;
    this.right[node] = r;
    const l2 = cfg.l2 + 1e-15;
    const GL = this.sGL[node];
    const HL = this.sHL[node];
    const GR = this.sumG[node] - GL;
    const HR = this.sumH[node] - HL;
    this.start[l] = s;
    this.end[l] = li;
    this.start[r] = li;
    this.end[r] = e;
    this.sumG[l] = GL;
    this.sumH[l] = HL;
    this.sumG[r] = GR;
    this.sumH[r] = HR;
    this.nodeValue[l] = -GL / (HL + l2);
    this.nodeValue[r] = -GR / (HR + l2);
    this.left[l] = this.right[l] = this.left[r] = this.right[r] = -1;
    return [l, r];
  }

  /** Copy the grown tree out, apply shrinkage, and add leaf values to the training raw predictions. */
  private finishTree(raw: Float64Array): Tree {
    const m = this.nNodes;
    const { idx, cfg } = this;
    const tree: Tree = {
      feature: new Int32Array(m),
      binThreshold: new Int32Array(m),
      threshold: new Float64Array(m),
      missingLeft: new Uint8Array(m),
      left: this.left.slice(0, m),
      right: this.right.slice(0, m),
      value: new Float64Array(m),
    };
    for (let k = 0; k < m; k++) {
      if (tree.left[k] >= 0) {
        const f = this.sFeature[k];
        const b = this.sBin[k];
        tree.feature[k] = f;
        tree.binThreshold[k] = b;
        tree.missingLeft[k] = this.sMissingLeft[k];
        const thr = cfg.thresholds[f];
        tree.threshold[k] = b >= thr.length ? Infinity : thr[b];
      } else {
        const v = cfg.learningRate * this.nodeValue[k];
        tree.value[k] = v;
        for (let i = this.start[k]; i < this.end[k]; i++) raw[idx[i]] += v;
      }
    }
    return tree;
  }
}
