// The props every full page shares: where the static files are, who is signed in, what they may navigate to.

export interface AssetPaths {
  htmx: string
  css: string
  icon: string
}

export interface NavLink {
  label: string
  path: string
  current: boolean
}

export interface Viewer {
  name: string
  roleLabel: string
  /** The session's CSRF token, for htmx (hx-headers) and the sign-out form. */
  csrfToken: string
}

export type Severity = 'critical' | 'high' | 'medium' | 'low'

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low']
