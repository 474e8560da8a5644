// SettingsError: bad settings, already rendered for people; main.ts prints the message and exits 1.
// A file of its own with no imports, so the entry point can catch it without loading the settings.
export class SettingsError extends Error {}
