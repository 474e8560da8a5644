// Where the list sources file lives when no option says otherwise (the lists and index paths are settings).

/** The sources file: absent means "the UT1 archive from UT1, nothing else". */
export const DEFAULT_SOURCES_PATH = '/etc/hall-monitor/list-sources'
