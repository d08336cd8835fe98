'use client';
// One live uPlot line chart (1 Hz): time on x, one series per line. uPlot is loaded in the browser
// only; the chart is created once and fed new data on every sample.
import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

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
}

const COLORS = ['#5b8cff', '#35c77c', '#f3b548', '#ef4b5b', '#8a6bff', '#3fc1d9'];
export const chartColor = (i: number) => COLORS[i % COLORS.length];

export function LiveChart({ title, unit, times, series, testId }: LiveChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The series set (labels) decides the chart's shape; values alone only need setData.
  const shape = series.map((s) => s.label).join('|');
  const latest = useRef({ times, series });
  latest.current = { times, series };

  useEffect(() => {
    let cancelled = false;
    let created: uPlot | null = null;
    void import('uplot').then(({ default: UPlot }) => {
      const el = box.current;
      if (cancelled || !el) return;
      const { times, series } = latest.current;
      created = new UPlot(
        {
          width: Math.max(240, el.clientWidth),
          height: 150,
          legend: { show: true },
          scales: { x: { time: true } },
          axes: [
            { stroke: '#9aa2b4', grid: { stroke: '#2a3040' } },
            { stroke: '#9aa2b4', grid: { stroke: '#2a3040' }, label: unit, size: 56 },
          ],
          series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, spanGaps: false }))],
        },
        [times, ...series.map((s) => s.values)] as uPlot.AlignedData,
        el,
      );
      plot.current = created;
    });
    return () => {
      cancelled = true;
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
      <div ref={box} />
    </figure>
  );
}
