import { escapeHtml, formatCount, formatDuration } from './escape.js';

/** Requests started over the run, as the bars of the chart and the figures people ask for first. */
export interface RequestRate {
  /** Seconds from the run's first moment to its last request. */
  seconds: number;
  /** Each bar covers this many seconds. */
  secondsPerBar: number;
  /** Requests per second, averaged over each bar's seconds. */
  bars: number[];
  total: number;
  /** The most requests that started within one second. */
  peak: number;
  /** Requests per second from the first request to the last. */
  average: number;
  /** Under `--rate auto`: the rate in force over each bar's seconds (their average), drawn as a line. */
  rateInForce?: number[];
}

/** More bars than this and each bar stands for several seconds (their average), so a long run stays legible. */
const MAX_BARS = 240;

/** Requests started in each second of the run: `counts[i]` in the i-th second from `since` (ms since the epoch). */
export interface RequestsPerSecond {
  since: number;
  counts: readonly number[];
  /** Under `--rate auto`: the rate in force in each second (the lowest, where it was cut). */
  rateInForce?: readonly number[];
}

/**
 * The chart's figures from per-second counts (the counters keep no time per request, so a
 * 100,000-request run costs a few hundred numbers). Seconds run to the last request's.
 */
export function requestRate(perSecond: RequestsPerSecond): RequestRate {
  const counts = perSecond.counts.map((count) => (Number.isFinite(count) && count > 0 ? count : 0));
  let firstSecond = -1;
  let lastSecond = -1;
  let total = 0;
  let peak = 0;
  counts.forEach((count, second) => {
    if (count === 0) return;
    if (firstSecond < 0) firstSecond = second;
    lastSecond = second;
    total += count;
    peak = Math.max(peak, count);
  });
  if (total === 0) return { seconds: 0, secondsPerBar: 1, bars: [], total: 0, peak: 0, average: 0 };
  const seconds = lastSecond + 1;
  const secondsPerBar = Math.ceil(seconds / MAX_BARS);
  const sums = new Array<number>(Math.ceil(seconds / secondsPerBar)).fill(0);
  for (let second = 0; second < seconds; second += 1) {
    const bar = Math.floor(second / secondsPerBar);
    sums[bar] = (sums[bar] ?? 0) + (counts[second] ?? 0);
  }
  const bars = sums.map((sum, index) => sum / Math.min(secondsPerBar, seconds - index * secondsPerBar));
  const average = total / Math.max(lastSecond - firstSecond, 1);
  const rateInForce =
    perSecond.rateInForce === undefined
      ? undefined
      : rateBars(perSecond.rateInForce, bars.length, secondsPerBar, seconds);
  return {
    seconds,
    secondsPerBar,
    bars,
    total,
    peak,
    average,
    ...(rateInForce === undefined ? {} : { rateInForce }),
  };
}

/** The rate in force averaged over each bar; a second with no start has the rate of the one before. */
function rateBars(
  rates: readonly number[],
  barCount: number,
  secondsPerBar: number,
  seconds: number,
): number[] {
  const averaged: number[] = [];
  let last = rates.find((rate) => Number.isFinite(rate) && rate > 0) ?? 0;
  for (let bar = 0; bar < barCount; bar += 1) {
    let sum = 0;
    const from = bar * secondsPerBar;
    const to = Math.min(seconds, from + secondsPerBar);
    for (let second = from; second < to; second += 1) {
      const rate = rates[second];
      if (rate !== undefined && Number.isFinite(rate) && rate > 0) last = rate;
      sum += last;
    }
    averaged.push(sum / (to - from));
  }
  return averaged;
}

const LAYOUT = { width: 860, height: 220, left: 48, right: 16, top: 12, bottom: 30 };

/** Requests per second over the run as bars, with a labelled y axis and the run's time along x. */
export function rateChart(rate: RequestRate): string {
  if (rate.total === 0) return '<p class="empty">No API requests were made.</p>';
  const { bars, seconds, secondsPerBar } = rate;
  const plotWidth = LAYOUT.width - LAYOUT.left - LAYOUT.right;
  const plotHeight = LAYOUT.height - LAYOUT.top - LAYOUT.bottom;
  const top = roundUp(
    [...bars, ...(rate.rateInForce ?? [])].reduce((most, value) => Math.max(most, value), 1),
  );
  const barWidth = plotWidth / bars.length;
  const baseline = LAYOUT.top + plotHeight;
  const rects = bars.map((value, index) => {
    const height = (value / top) * plotHeight;
    const from = index * secondsPerBar;
    const title = `${formatDuration(from * 1000)}: ${value.toFixed(1)} requests/s`;
    return `<rect x="${(LAYOUT.left + index * barWidth).toFixed(2)}" y="${(baseline - height).toFixed(2)}" width="${Math.max(barWidth - 0.5, 0.5).toFixed(2)}" height="${height.toFixed(2)}" fill="#0072B2"><title>${escapeHtml(title)}</title></rect>`;
  });
  const label = `Requests per second over the run: peak ${rate.peak}, average ${rate.average.toFixed(1)}`;
  return [
    `<svg class="chart" role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 ${LAYOUT.width} ${LAYOUT.height}">`,
    yAxis(top, plotHeight, plotWidth),
    ...rects,
    rateLine(rate.rateInForce, { top, barWidth, baseline, plotHeight }),
    xAxis(seconds, baseline, plotWidth),
    '</svg>',
  ].join('\n');
}

/** `--rate auto`'s rate in force as a step line over the bars (a colour-blind-safe orange next to the blue). */
function rateLine(
  rates: number[] | undefined,
  scale: { top: number; barWidth: number; baseline: number; plotHeight: number },
): string {
  if (rates === undefined || rates.length === 0) return '';
  const { top, barWidth, baseline, plotHeight } = scale;
  const points: string[] = [];
  rates.forEach((value, index) => {
    const y = (baseline - (value / top) * plotHeight).toFixed(2);
    points.push(
      `${(LAYOUT.left + index * barWidth).toFixed(2)},${y}`,
      `${(LAYOUT.left + (index + 1) * barWidth).toFixed(2)},${y}`,
    );
  });
  const low = Math.min(...rates);
  const high = Math.max(...rates);
  const title = `rate in force (--rate auto): from ${low.toFixed(1)} to ${high.toFixed(1)} requests/s`;
  return `<polyline class="rate-in-force" points="${points.join(' ')}" fill="none" stroke="#D55E00" stroke-width="2"><title>${escapeHtml(title)}</title></polyline>`;
}

/** The axis top: the next of 1, 2, 2.5, 5 × 10ⁿ, so the ticks at 0, half and top are round numbers. */
function roundUp(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((factor) => factor * magnitude >= value) ?? 10;
  return step * magnitude;
}

function yAxis(top: number, plotHeight: number, plotWidth: number): string {
  const ticks = [0, top / 2, top];
  return ticks
    .map((value) => {
      const y = LAYOUT.top + plotHeight - (value / top) * plotHeight;
      const text = Number.isInteger(value) ? String(value) : value.toFixed(1);
      return `<line class="grid" x1="${LAYOUT.left}" x2="${LAYOUT.left + plotWidth}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}"/><text class="axis" x="${LAYOUT.left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${text}</text>`;
    })
    .join('');
}

function xAxis(seconds: number, baseline: number, plotWidth: number): string {
  const marks = [0, 0.25, 0.5, 0.75, 1].map((fraction) => ({
    x: LAYOUT.left + fraction * plotWidth,
    text: formatDuration(fraction * seconds * 1000),
  }));
  const labels = marks.map(
    ({ x, text }, index) =>
      `<text class="axis" x="${x.toFixed(1)}" y="${baseline + 18}" text-anchor="${index === 0 ? 'start' : index === marks.length - 1 ? 'end' : 'middle'}">${escapeHtml(text)}</text>`,
  );
  return [
    `<line class="axis-line" x1="${LAYOUT.left}" x2="${LAYOUT.left + plotWidth}" y1="${baseline}" y2="${baseline}"/>`,
    ...labels,
  ].join('');
}

/** One sentence under the chart: what the bars add up to. */
export function rateCaption(rate: RequestRate): string {
  if (rate.total === 0) return '';
  const each = rate.secondsPerBar > 1 ? ` Each bar is the average of ${rate.secondsPerBar} seconds.` : '';
  const line =
    rate.rateInForce === undefined
      ? ''
      : ' The orange line is the rate in force, which --rate auto raised while no request was throttled and cut at each HTTP 429.';
  return `${formatCount(rate.total)} requests; at most ${formatCount(rate.peak)} started in one second; ${rate.average.toFixed(1)} per second on average.${each}${line}`;
}
