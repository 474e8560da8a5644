// Validation problems shown beside the field they are about: each problem is 'field: what is wrong'.

/** The problems about `field` (those starting 'field:' or 'field.' or 'field['), with the field name cut off. */
export function problemsFor(problems: readonly string[], field: string): string[] {
  const out: string[] = []
  for (const p of problems) {
    if (p.startsWith(`${field}: `)) out.push(p.slice(field.length + 2))
    else if (p.startsWith(`${field}.`) || p.startsWith(`${field}[`)) out.push(p)
  }
  return out
}

/** The problems about one field, as a list the field's aria-describedby can point at. */
export function FieldProblems(props: { problems: readonly string[]; field: string; id: string }) {
  const mine = problemsFor(props.problems, props.field)
  if (mine.length === 0) return null
  return (
    <ul class="error field-problems" id={props.id}>
      {mine.map((p) => (
        <li>{p}</li>
      ))}
    </ul>
  )
}

/** A summary at the top of a form, so a screen reader hears that it was refused and why. */
export function ProblemSummary(props: { problems: readonly string[] }) {
  if (props.problems.length === 0) return null
  return (
    <div class="error problem-summary" role="alert">
      <p>
        Not saved:{' '}
        {props.problems.length === 1 ? 'one problem' : `${props.problems.length} problems`}.
      </p>
      <ul>
        {props.problems.map((p) => (
          <li>{p}</li>
        ))}
      </ul>
    </div>
  )
}

/** The hidden CSRF field every plain form carries. */
export function CsrfField(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />
}
