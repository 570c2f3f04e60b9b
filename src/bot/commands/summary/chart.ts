// The picture of a summary: an ECharts bar chart (completed, and failed stacked by reason, per
// day) rendered to SVG in-process (server-side rendering, no DOM) and rasterised to PNG by resvg.
// Both libraries load on first use; when either cannot (no native binary) there is no picture,
// and the caller sends the text alone. Without system fonts resvg draws the bars and no labels.
import type { Texts } from '../../i18n/index.ts';
import { reasonsByCount, type SummaryData } from './summary-data.ts';

const WIDTH = 960;
const HEIGHT = 540;
// Failure colours by reason; unknown reasons take the fallbacks in turn.
const COLOURS: Record<string, string> = {
  captcha: '#e8590c',
  blocked: '#c92a2a',
  logged_out: '#f59f00',
  proxy_error: '#862e9c',
  navigation_timeout: '#5c7cfa',
};
const FALLBACK = ['#868e96', '#495057', '#d6336c', '#0ca678', '#1098ad'];

export type BarSeries = { name: string; stack: string; data: number[]; color: string };
export type ChartSpec = { title: string; categories: string[]; series: BarSeries[] };

/** What the chart shows, straight from the summary's data: one bar series per reason plus "done". */
export function chartSpec(t: Texts, data: SummaryData): ChartSpec {
  const reasons = reasonsByCount(data.period.byReason);
  let fallback = 0;
  const label = (reason: string) =>
    (t.chat.reasons as Record<string, string>)[reason] ?? t.chat.reasons.other;
  return {
    title: t.chat.chart.title(data.days.length),
    categories: data.days.map((d) => `${d.slice(8, 10)}.${d.slice(5, 7)}`),
    series: [
      { name: t.chat.chart.completed, stack: 'done', data: data.completedPerDay, color: '#2f9e44' },
      ...reasons.map(([reason]) => ({
        name: label(reason),
        stack: 'failed',
        data: data.failedPerDay[reason] ?? [],
        color: COLOURS[reason] ?? FALLBACK[fallback++ % FALLBACK.length]!,
      })),
    ],
  };
}

/** The ECharts option of a chart spec. */
export function chartOption(spec: ChartSpec) {
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: 'DejaVu Sans, Liberation Sans, Arial, sans-serif' },
    title: { text: spec.title, left: 'center', top: 12 },
    legend: { bottom: 8 },
    grid: { left: 48, right: 24, top: 56, bottom: 64 },
    xAxis: { type: 'category', data: spec.categories },
    yAxis: { type: 'value', minInterval: 1 },
    series: spec.series.map((s) => ({
      type: 'bar',
      name: s.name,
      stack: s.stack,
      data: s.data,
      itemStyle: { color: s.color },
    })),
  };
}

/** The chart as a PNG, or undefined when it cannot be drawn here (the reason goes to `onError`). */
export async function renderChartPng(
  spec: ChartSpec,
  onError: (err: unknown) => void,
): Promise<Buffer | undefined> {
  try {
    const echarts = await import('echarts');
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
    let svg: string;
    try {
      chart.setOption(chartOption(spec));
      svg = chart.renderToSVGString();
    } finally {
      chart.dispose();
    }
    const { Resvg } = await import('@resvg/resvg-js');
    const resvg = new Resvg(svg, {
      background: '#ffffff',
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    });
    return resvg.render().asPng();
  } catch (err) {
    onError(err);
    return undefined;
  }
}
