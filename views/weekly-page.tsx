// The dashboard's weekly summary page: a week picker, the previous and next weeks, and the summary with links to incidents and devices.
import type { WeeklyData } from '../server/report/weekly-data.js'
import { WeeklySummary } from './weekly-summary.js'

export interface WeeklyPageProps {
  data: WeeklyData
  previousWeek: string
  nextWeek: string
}

export function WeeklyPage(props: WeeklyPageProps) {
  const { data } = props
  return (
    <section class="weekly-page">
      <h1>Weekly summary: {data.week.label}</h1>
      <form method="get" action="/reports/weekly" class="week-picker">
        <label>
          Week <input type="week" name="week" value={data.week.id} required />
        </label>
        <button type="submit">Show</button>{' '}
        <a href={`/reports/weekly?week=${props.previousWeek}`}>Previous week</a>{' '}
        <a href={`/reports/weekly?week=${props.nextWeek}`}>Next week</a>
      </form>
      <WeeklySummary data={data} links={true} />
    </section>
  )
}
