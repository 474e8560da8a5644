// Roles: who may see what on the dashboard (DESIGN §8): technician everything, DSL the safeguarding pages, governor reports.

export const ROLES = ['technician', 'dsl', 'governor'] as const

export type Role = (typeof ROLES)[number]

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/** How a role is named on screens. */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  technician: 'Technician',
  dsl: 'Safeguarding lead',
  governor: 'Governor',
}
