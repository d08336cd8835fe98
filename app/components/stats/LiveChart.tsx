'use client';
// One live uPlot line chart (1 Hz): time on x, one series per line. uPlot is loaded in the browser
// only; the chart is created once, fed new data on every sample, and follows its box's width.
import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { chartTop } from './chart-scale';

export interface ChartSeries {
  label: string;
  color: string;
  values: (number | null)[];
}

export interface LiveChartProps {
  title: string;
  unit: string;
  /** Seconds since the epoch, one per sample. */
  times: number[];
  series: ChartSeries[];
  testId: string;
  /** Formats a value with its unit for the legend. */
  format(value: number | null | undefined): string;
}

const COLORS = ['#5b8cff', '#35c77c', '#f3b548', '#ef4b5b', '#8a6bff', '#3fc1d9'];
export const chartColor = (i: number) => COLORS[i % COLORS.length];
// Readable from the back of a room: uPlot draws axes on a canvas, so sizes are set here, not in CSS.
const AXIS_FONT = '15px system-ui, sans-serif';
const HEIGHT = 200;
const clock = (seconds: number) => new Date(seconds * 1000).toLocaleTimeString([], { hour12: false });

export function LiveChart({ title, unit, times, series, testId, format }: LiveChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The series set (labels) decides the chart's shape; values alone only need setData.
  const shape = series.map((s) => s.label).join('|');
  const latest = useRef({ times, series });
  latest.current = { times, series };

  useEffect(() => {
    let cancelled = false;
    let created: uPlot | null = null;
    let observer: ResizeObserver | null = null;
    void import('uplot').then(({ default: UPlot }) => {
      const el = box.current;
      if (cancelled || !el) return;
      const { times, series } = latest.current;
      const axis = { stroke: '#c3c9d6', grid: { stroke: '#2a3040' }, font: AXIS_FONT, labelFont: AXIS_FONT };
      // One row of clock times: uPlot's default adds a date row that collides at this font size.
      const timeAxis = { ...axis, space: 90, values: (_u: uPlot, splits: number[]) => splits.map(clock) };
      created = new UPlot(
        {
          width: el.clientWidth,
          height: HEIGHT,
          // The legend is ours (below): uPlot's reads "--" until hovered and has no units.
          legend: { show: false },
          scales: {
            x: { time: true },
            // A join's burst must not flatten the steady state: the top follows the robust maximum.
            y: { range: (u) => [0, chartTop(u.data.slice(1) as (number | null | undefined)[][])] },
          },
          axes: [timeAxis, { ...axis, label: unit, size: 70 }],
          series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2.5, spanGaps: false }))],
        },
        [times, ...series.map((s) => s.values)] as uPlot.AlignedData,
        el,
      );
      plot.current = created;
      observer = new ResizeObserver(() => created?.setSize({ width: el.clientWidth, height: HEIGHT }));
      observer.observe(el);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      created?.destroy();
      plot.current = null;
    };
  }, [shape, unit]);

  useEffect(() => {
    plot.current?.setData([times, ...series.map((s) => s.values)] as uPlot.AlignedData);
  }, [times, series]);

  const last = series.map((s) => s.values.at(-1)).find((v) => v !== null && v !== undefined);
  return (
    <figure className="stats-chart" data-testid={testId} data-latest={last ?? ''}>
      <figcaption>{title}</figcaption>
      <div ref={box} className="chart-box" />
      <ul className="chart-legend">
        {series.map((s) => (
          <li key={s.label}>
            <i style={{ background: s.color }} /> {s.label} <strong>{format(s.values.at(-1))}</strong>
          </li>
        ))}
      </ul>
    </figure>
  );
}
