// Migrations: the append-only list of schema steps; `PRAGMA user_version` is how many are applied.

/**
 * Never edit or reorder a step once released: a database made by step N upgrades by running the
 * steps after N, each in its own transaction. Add a new step at the end instead.
 *
 * Conventions (DESIGN §6, STYLE "Storage"): every time is integer milliseconds since the epoch,
 * UTC, in a column whose name ends in `_ms`; a name is stored once in `names` and referred to by
 * id; JSON columns hold text checked with json_valid. Ids of `names` and `devices` are
 * AUTOINCREMENT so that an id retention deletes is never reused for another row while a writer
 * still holds it in its cache.
 *
 * activity_hourly is keyed by hour first so the rows a writer updates (the current hour) sit
 * together at the end of the table's B-tree: one flush dirties few pages, which is what wears an
 * SD card.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: recording, change control, settings and summaries.
  `
  CREATE TABLE names (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE
  );

  CREATE TABLE devices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The MAC ('aa:bb:cc:dd:ee:ff') when known, else 'ip:' and the address.
    key TEXT NOT NULL UNIQUE,
    mac TEXT,
    hostname TEXT,
    vendor_class TEXT,
    -- The technician's name for it, and group override (NULL: the group from subnet rules).
    label TEXT,
    group_name TEXT,
    first_seen_ms INTEGER NOT NULL,
    last_seen_ms INTEGER NOT NULL
  );

  CREATE TABLE device_addresses (
    device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    address TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('dhcp', 'arp', 'nd', 'traffic')),
    first_seen_ms INTEGER NOT NULL,
    last_seen_ms INTEGER NOT NULL,
    PRIMARY KEY (device_id, address)
  ) WITHOUT ROWID;
  CREATE INDEX device_addresses_by_address ON device_addresses(address, last_seen_ms);
  CREATE INDEX device_addresses_by_last_seen ON device_addresses(last_seen_ms);

  CREATE TABLE activity_hourly (
    hour_ms INTEGER NOT NULL,
    device_id INTEGER NOT NULL REFERENCES devices(id),
    name_id INTEGER NOT NULL REFERENCES names(id),
    kind TEXT NOT NULL CHECK (kind IN ('dns_query', 'tls_sni', 'quic_sni', 'http_host', 'dhcp_host')),
    count INTEGER NOT NULL,
    first_ms INTEGER NOT NULL,
    last_ms INTEGER NOT NULL,
    PRIMARY KEY (hour_ms, device_id, name_id, kind)
  ) WITHOUT ROWID;
  CREATE INDEX activity_hourly_by_device ON activity_hourly(device_id, hour_ms);
  CREATE INDEX activity_hourly_by_name ON activity_hourly(name_id, hour_ms);

  CREATE TABLE flagged_sightings (
    id INTEGER PRIMARY KEY,
    ts_ms INTEGER NOT NULL,
    device_id INTEGER NOT NULL REFERENCES devices(id),
    name_id INTEGER NOT NULL REFERENCES names(id),
    kind TEXT NOT NULL CHECK (kind IN ('dns_query', 'tls_sni', 'quic_sni', 'http_host', 'dhcp_host')),
    src TEXT NOT NULL,
    dst TEXT NOT NULL,
    group_name TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
    -- Category ids, strictest first, joined with ','.
    categories TEXT NOT NULL,
    -- The verdict's matches: [{"list","entry","rule","category"}, ...].
    provenance TEXT NOT NULL CHECK (json_valid(provenance)),
    period TEXT NOT NULL
  );
  CREATE INDEX flagged_sightings_by_ts ON flagged_sightings(ts_ms);
  CREATE INDEX flagged_sightings_by_device ON flagged_sightings(device_id, ts_ms);
  CREATE INDEX flagged_sightings_by_name ON flagged_sightings(name_id);

  CREATE TABLE passive_dns (
    address TEXT NOT NULL,
    name_id INTEGER NOT NULL REFERENCES names(id),
    first_ms INTEGER NOT NULL,
    last_ms INTEGER NOT NULL,
    PRIMARY KEY (address, name_id)
  ) WITHOUT ROWID;
  CREATE INDEX passive_dns_by_last ON passive_dns(last_ms);
  CREATE INDEX passive_dns_by_name ON passive_dns(name_id);

  CREATE TABLE health_samples (
    id INTEGER PRIMARY KEY,
    ts_ms INTEGER NOT NULL,
    packets_received INTEGER NOT NULL,
    dropped_kernel INTEGER NOT NULL,
    dropped_interface INTEGER NOT NULL,
    frames_decoded INTEGER NOT NULL,
    sightings INTEGER NOT NULL,
    flagged INTEGER NOT NULL,
    flows_evicted INTEGER NOT NULL,
    -- Weird counters by name: {"dns_pointer_loop": 3, ...}.
    weirds TEXT NOT NULL CHECK (json_valid(weirds))
  );
  CREATE INDEX health_samples_by_ts ON health_samples(ts_ms);

  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    ts_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL CHECK (json_valid(detail))
  );
  CREATE INDEX audit_by_ts ON audit(ts_ms);

  CREATE TABLE exceptions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('allow', 'deny')),
    name TEXT NOT NULL,
    group_name TEXT NOT NULL,
    category TEXT,
    reason TEXT NOT NULL,
    author TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    ended_ms INTEGER,
    ended_by TEXT
  );
  CREATE INDEX exceptions_by_expiry ON exceptions(expires_ms);

  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL CHECK (json_valid(value)),
    updated_ms INTEGER NOT NULL,
    updated_by TEXT NOT NULL
  );

  -- Flagged sightings counted per UTC day without device or name: kept for years.
  CREATE TABLE summary_daily (
    day_ms INTEGER NOT NULL,
    category TEXT NOT NULL,
    severity TEXT NOT NULL,
    group_name TEXT NOT NULL,
    period TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (day_ms, category, severity, group_name, period)
  ) WITHOUT ROWID;
  `,
  // 2: incidents and their history, faults, accounts and sessions, issued reports.
  `
  -- Flagged sightings of one device and one category within a window (DESIGN §2: Incident).
  CREATE TABLE incidents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    device_id INTEGER NOT NULL REFERENCES devices(id),
    category TEXT NOT NULL,
    group_name TEXT NOT NULL,
    -- The strictest severity so far; raised (escalated) when a stricter sighting joins.
    severity TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
    state TEXT NOT NULL CHECK (state IN ('new', 'acknowledged', 'closed')),
    outcome TEXT CHECK (outcome IN ('true_positive', 'false_positive', 'no_action_needed')),
    first_ms INTEGER NOT NULL,
    last_ms INTEGER NOT NULL,
    sightings INTEGER NOT NULL,
    acknowledged_ms INTEGER,
    acknowledged_by TEXT,
    closed_ms INTEGER,
    closed_by TEXT
  );
  CREATE INDEX incidents_by_state ON incidents(state, severity, first_ms);
  CREATE INDEX incidents_by_first ON incidents(first_ms);
  CREATE INDEX incidents_open_by_device ON incidents(device_id, category) WHERE state != 'closed';

  -- The names an incident involves, each once, with how often.
  CREATE TABLE incident_names (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    name_id INTEGER NOT NULL REFERENCES names(id),
    count INTEGER NOT NULL,
    PRIMARY KEY (incident_id, name_id)
  ) WITHOUT ROWID;
  CREATE INDEX incident_names_by_name ON incident_names(name_id);

  -- Every step of an incident: opened, escalated, acknowledged, note, closed, reopened; who and when.
  CREATE TABLE incident_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    ts_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
  );
  CREATE INDEX incident_events_by_incident ON incident_events(incident_id, ts_ms);

  -- The sensor's faults (DESIGN §7): each opens when its cause appears and clears by itself.
  CREATE TABLE faults (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- 'capture_error', 'no_traffic', 'kernel_drops', 'disk_full', 'lists_missing', 'lists_stale', 'database_error'
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    started_ms INTEGER NOT NULL,
    cleared_ms INTEGER
  );
  CREATE INDEX faults_open ON faults(kind) WHERE cleared_ms IS NULL;
  CREATE INDEX faults_by_start ON faults(started_ms);

  CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('technician', 'dsl', 'governor')),
    -- scrypt: 'scrypt$N$r$p$salt_b64$hash_b64'
    password_hash TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    disabled_ms INTEGER
  );

  -- Sessions by the SHA-256 of their cookie token: a stolen database does not hold live cookies.
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    last_seen_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX sessions_by_expiry ON sessions(expires_ms);

  -- Failed logins, for throttling by account name and by client address.
  CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts_ms INTEGER NOT NULL,
    user_name TEXT NOT NULL,
    address TEXT NOT NULL
  );
  CREATE INDEX login_failures_by_name ON login_failures(user_name, ts_ms);
  CREATE INDEX login_failures_by_address ON login_failures(address, ts_ms);

  -- Issued monthly reports: frozen as rendered, with their fingerprint (issue 7).
  CREATE TABLE reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    month TEXT NOT NULL,
    version INTEGER NOT NULL,
    issued_ms INTEGER NOT NULL,
    issued_by TEXT NOT NULL,
    commentary TEXT NOT NULL DEFAULT '',
    fingerprint TEXT NOT NULL,
    html TEXT NOT NULL,
    UNIQUE (month, version)
  );
  `,
  // 3: coverage (issue 5): each minute's health sample carries the subnets, VLANs and DNS
  // resolvers seen in the hour before it, as one JSON value (firmware/health/coverage.ts).
  `
  ALTER TABLE health_samples ADD COLUMN coverage TEXT
    CHECK (coverage IS NULL OR json_valid(coverage));
  `,
  // 4: the dashboard's pages (issue 6). Today's flagged counts by severity are counted in an
  // index of severity and time, one range of it a severity (by_ts alone read every row of the day
  // from the table).
  `
  CREATE INDEX flagged_sightings_by_severity ON flagged_sightings(severity, ts_ms);

  -- The Devices page lists devices most recently seen first: read in this order from the index
  -- instead of sorting every device for every page (0.5 -> 0.1 ms at 1,000 devices).
  CREATE INDEX devices_by_last_seen ON devices(last_seen_ms);
  `,
]
