// Where the installed lists live on the appliance when no setting or option says otherwise.
//
// The settings table (lists.dir, lists.index_path) will take over; until then the command line
// uses these. Everything is under one data directory so the lists, the index and its `.prev`,
// `.new`, `.staging` and state file share a filesystem, which atomic renames need.
export const DATA_DIR = '/var/lib/hall-monitor'
export const DEFAULT_LISTS_DIR = `${DATA_DIR}/lists`
export const DEFAULT_INDEX_PATH = `${DATA_DIR}/lists.hmix`
/** The sources file: absent means "the UT1 archive from UT1, nothing else". */
export const DEFAULT_SOURCES_PATH = '/etc/hall-monitor/list-sources'
