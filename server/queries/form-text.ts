// Reading a parsed form body: a string field or '', never a File, never undefined.

export type FormBody = Record<string, string | File | (string | File)[]>

export function formText(form: FormBody, key: string): string {
  const value = form[key]
  return typeof value === 'string' ? value : ''
}
