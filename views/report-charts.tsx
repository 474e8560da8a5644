// The report's charts as inline SVG, readable in black and white: each severity has its own pattern and every bar its number.
import type {
  ByPeriod,
  BySeverity,
  Period,
  Severity,
  TrendMonth,
} from '../server/report/report-data.js'
import { count, PERIOD_LABELS, SEVERITY_LABELS } from './report-format.js'

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low']
const PERIODS: readonly Period[] = ['lesson', 'break', 'outside_hours', 'holiday']

/** Solid black, diagonal hatching, dots, white: told apart without colour. */
function SeverityPatterns(props: { prefix: string }) {
  const id = (s: Severity) => `${props.prefix}-${s}`
  return (
    <defs>
      <pattern id={id('critical')} width="6" height="6" patternUnits="userSpaceOnUse">
        <rect width="6" height="6" fill="#000" />
      </pattern>
      <pattern
        id={id('high')}
        width="6"
        height="6"
        patternUnits="userSpaceOnUse"
        patternTransform="rotate(45)"
      >
        <rect width="6" height="6" fill="#fff" />
        <rect width="3" height="6" fill="#000" />
      </pattern>
      <pattern id={id('medium')} width="5" height="5" patternUnits="userSpaceOnUse">
        <rect width="5" height="5" fill="#fff" />
        <circle cx="2.5" cy="2.5" r="1.2" fill="#000" />
      </pattern>
      <pattern id={id('low')} width="6" height="6" patternUnits="userSpaceOnUse">
        <rect width="6" height="6" fill="#fff" />
      </pattern>
    </defs>
  )
}

function Legend(props: { prefix: string; x: number; y: number }) {
  return (
    <g>
      {SEVERITIES.map((s, i) => (
        <g>
          <rect
            x={props.x + i * 110}
            y={props.y}
            width="14"
            height="14"
            fill={`url(#${props.prefix}-${s})`}
            stroke="#000"
            stroke-width="1"
          />
          <text x={props.x + i * 110 + 20} y={props.y + 11} font-size="12">
            {SEVERITY_LABELS[s]}
          </text>
        </g>
      ))}
    </g>
  )
}

/** A round maximum for the axis: 1, 2 or 5 times a power of ten, at least `max`. */
export function niceMax(max: number): number {
  if (max <= 0) return 1
  const power = 10 ** Math.floor(Math.log10(max))
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power
  return 10 * power
}

const total = (b: BySeverity): number => SEVERITIES.reduce((sum, s) => sum + b[s], 0)

/** Stacked bars of flagged activity by severity, one per month, the report's month last. */
export function TrendChart(props: { months: TrendMonth[] }) {
  const width = 640
  const height = 240
  const left = 48
  const top = 34
  const bottom = 200
  const max = niceMax(Math.max(0, ...props.months.map((m) => total(m.bySeverity))))
  const slot = (width - left - 10) / Math.max(1, props.months.length)
  const barWidth = Math.min(56, slot * 0.6)
  const y = (v: number): number => bottom - ((bottom - top) * v) / max
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="Flagged activity by severity, month by month"
      xmlns="http://www.w3.org/2000/svg"
    >
      <SeverityPatterns prefix="trend" />
      <Legend prefix="trend" x={left} y={4} />
      <line x1={left} y1={bottom} x2={width - 10} y2={bottom} stroke="#000" stroke-width="1" />
      <line x1={left} y1={top} x2={left} y2={bottom} stroke="#000" stroke-width="1" />
      <text x={left - 6} y={top + 4} font-size="11" text-anchor="end">
        {count(max)}
      </text>
      <text x={left - 6} y={bottom + 4} font-size="11" text-anchor="end">
        0
      </text>
      {props.months.map((m, i) => {
        const x = left + i * slot + (slot - barWidth) / 2
        let base = 0
        const segments = SEVERITIES.map((s) => {
          const from = base
          base += m.bySeverity[s]
          return { s, from, to: base }
        }).filter((seg) => seg.to > seg.from)
        return (
          <g>
            {segments.map((seg) => (
              <rect
                x={x}
                y={y(seg.to)}
                width={barWidth}
                height={y(seg.from) - y(seg.to)}
                fill={`url(#trend-${seg.s})`}
                stroke="#000"
                stroke-width="1"
              >
                <title>{`${m.shortLabel}, ${SEVERITY_LABELS[seg.s]}: ${count(seg.to - seg.from)}`}</title>
              </rect>
            ))}
            <text
              x={x + barWidth / 2}
              y={y(base) - 5}
              font-size="12"
              text-anchor="middle"
              font-weight="bold"
            >
              {count(base)}
            </text>
            <text
              x={x + barWidth / 2}
              y={bottom + 16}
              font-size="12"
              text-anchor="middle"
              font-weight={i === props.months.length - 1 ? 'bold' : 'normal'}
            >
              {m.shortLabel}
            </text>
          </g>
        )
      })}
    </svg>
  )
}

/** Horizontal bars of flagged activity by time of day, each labelled with its count. */
export function PeriodChart(props: { byPeriod: ByPeriod }) {
  const width = 640
  const rowHeight = 28
  const left = 170
  const right = 80
  const height = PERIODS.length * rowHeight + 10
  const max = niceMax(Math.max(0, ...PERIODS.map((p) => props.byPeriod[p])))
  const scale = (v: number): number => ((width - left - right) * v) / max
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="Flagged activity by time of day"
      xmlns="http://www.w3.org/2000/svg"
    >
      {PERIODS.map((p, i) => {
        const y = 5 + i * rowHeight
        return (
          <g>
            <text x={left - 8} y={y + 16} font-size="12" text-anchor="end">
              {PERIOD_LABELS[p]}
            </text>
            <rect
              x={left}
              y={y + 3}
              width={scale(props.byPeriod[p])}
              height={rowHeight - 8}
              fill="#fff"
              stroke="#000"
              stroke-width="1.5"
            />
            <text
              x={left + scale(props.byPeriod[p]) + 6}
              y={y + 16}
              font-size="12"
              font-weight="bold"
            >
              {count(props.byPeriod[p])}
            </text>
          </g>
        )
      })}
    </svg>
  )
}
