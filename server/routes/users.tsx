// The Users pages for the technician: list accounts, add one (role, password rules), disable one; each change audited.
import type { Context } from 'hono'
import { UsersPage, type UserForm } from '../../views/users-page.js'
import type { AppEnv } from '../app-env.js'
import { disableUser } from '../auth/disable-user.js'
import {
  checkNewPassword,
  hashPassword,
  MAX_PASSWORD_CHARS,
  MIN_PASSWORD_CHARS,
} from '../auth/password.js'
import { isRole, ROLE_LABELS, ROLES } from '../auth/roles.js'
import { addUser, checkUserName } from '../auth/users.js'
import { formText } from '../queries/form-text.js'
import { readUsers } from '../queries/users.js'
import { renderPage } from '../render.js'
import { allow, type RouteModule } from '../route-table.js'

const TECHNICIAN = allow()

function page(
  c: Context<AppEnv>,
  options: { form?: UserForm; problems?: string[]; notice?: string; status?: 200 | 404 | 409 | 422 }
) {
  const { db } = c.var.deps
  return renderPage(c, {
    title: 'Users',
    status: options.status ?? 200,
    body: (
      <UsersPage
        csrfToken={c.var.user!.csrfToken}
        users={readUsers(db).map((u) => ({ ...u, roleLabel: ROLE_LABELS[u.role] }))}
        roles={ROLES.map((id) => ({ id, label: ROLE_LABELS[id] }))}
        form={options.form ?? { name: '', role: 'dsl' }}
        problems={options.problems ?? []}
        minPasswordChars={MIN_PASSWORD_CHARS}
        selfName={c.var.user!.name}
        notice={options.notice}
      />
    ),
  })
}

/** Every problem with a new account at once, each starting with its field. */
export function newUserProblems(form: {
  name: string
  role: string
  password: string
  confirm: string
}): string[] {
  const problems: string[] = []
  const name = checkUserName(form.name)
  if (name.kind === 'invalid') problems.push(`name: ${name.reason}`)
  if (!isRole(form.role)) problems.push(`role: choose ${ROLES.join(', ')}`)
  const password = checkNewPassword(form.password)
  if (password.kind === 'too_short')
    problems.push(`password: a password needs at least ${MIN_PASSWORD_CHARS} characters`)
  if (password.kind === 'too_long')
    problems.push(`password: a password may have at most ${MAX_PASSWORD_CHARS} characters`)
  if (form.password !== form.confirm) problems.push('confirm: the two passwords differ')
  return problems
}

const DISABLE_REFUSALS = {
  not_found: { status: 404, notice: 'There is no such account.' },
  already_disabled: { status: 409, notice: 'That account was disabled already.' },
  self: { status: 409, notice: 'You cannot disable your own account; ask another technician.' },
  last_technician: {
    status: 409,
    notice: 'That is the last active technician: add another technician first.',
  },
} as const

export const usersRoutes: RouteModule = (routes) => {
  routes.get('/users', { access: TECHNICIAN, nav: { label: 'Users', order: 90 } }, (c) =>
    page(c, {})
  )

  routes.post('/users', { access: TECHNICIAN }, async (c) => {
    const { db, clock } = c.var.deps
    const body = await c.req.parseBody()
    const input = {
      name: formText(body, 'name').trim(),
      role: formText(body, 'role'),
      password: formText(body, 'password'),
      confirm: formText(body, 'confirm'),
    }
    const form = { name: input.name, role: input.role }
    const problems = newUserProblems(input)
    if (problems.length > 0 || !isRole(input.role)) return page(c, { form, problems, status: 422 })
    const passwordHash = await hashPassword(input.password)
    const added = addUser(db, {
      name: input.name,
      role: input.role,
      passwordHash,
      by: c.var.user!.name,
      nowMs: clock(),
    })
    if (added.kind === 'exists')
      return page(c, { form, problems: ['name: an account of that name exists'], status: 422 })
    if (added.kind === 'invalid_name')
      return page(c, { form, problems: [`name: ${added.reason}`], status: 422 })
    return c.redirect(`/users#user-${added.user.id}`, 303)
  })

  routes.post('/users/:id/disable', { access: TECHNICIAN }, (c) => {
    const { db, clock } = c.var.deps
    const id = c.req.param('id') ?? ''
    if (!/^\d{1,15}$/.test(id)) return page(c, DISABLE_REFUSALS.not_found)
    const result = disableUser(db, { id: Number(id), by: c.var.user!.name, nowMs: clock() })
    if (result.kind === 'disabled') return c.redirect(`/users#user-${id}`, 303)
    return page(c, DISABLE_REFUSALS[result.kind])
  })
}
