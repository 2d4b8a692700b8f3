/**
 * The schema, as an ordered list of migrations. `PRAGMA user_version` holds how many
 * of them a database has applied; open.ts runs the missing ones, each in its own
 * transaction, and refuses a database whose user_version is beyond this list.
 *
 * Never edit a migration that has shipped: append a new one.
 */

/**
 * `PRAGMA application_id` of every gotriage database: the ASCII bytes "GoTr".
 * SQLite stores it at offset 68 of the header, so `file(1)` and we can tell our
 * databases from any other SQLite file before touching them.
 */
export const GOTRIAGE_APPLICATION_ID = 0x476f5472;

/** Tables are STRICT (SQLite ≥ 3.37) so a wrong type is an error, not a silent coercion. */
const v1 = `
CREATE TABLE incidents (
  id            TEXT PRIMARY KEY,
  title         TEXT NOT NULL,
  severity      TEXT NOT NULL CHECK (severity IN ('info','low','medium','high','critical')),
  service       TEXT NOT NULL,
  playbook_name TEXT NOT NULL,
  playbook_path TEXT NOT NULL,
  params_json   TEXT NOT NULL,
  alert_json    TEXT NOT NULL,
  state         TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('active','done','failed')),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) STRICT;

CREATE TABLE snapshots (
  id            INTEGER PRIMARY KEY,
  incident_id   TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  seq           INTEGER NOT NULL,
  state         TEXT NOT NULL,
  snapshot_json TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  UNIQUE (incident_id, seq)
) STRICT;

CREATE TABLE step_runs (
  id          INTEGER PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  step        TEXT NOT NULL CHECK (step IN ('alert','gather','analyze','hypothesize','fix','postmortem')),
  attempt     INTEGER NOT NULL CHECK (attempt >= 1),
  status      TEXT NOT NULL CHECK (status IN ('started','finished','interrupted','failed','skipped')),
  reason      TEXT,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  UNIQUE (incident_id, step, attempt)
) STRICT;
CREATE INDEX step_runs_by_status ON step_runs (incident_id, status);

CREATE TABLE artifacts (
  id          INTEGER PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  step_run_id INTEGER REFERENCES step_runs(id),
  action_id   TEXT NOT NULL,
  sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
  size        INTEGER NOT NULL CHECK (size >= 0),
  media_type  TEXT NOT NULL,
  label       TEXT NOT NULL,
  rel_path    TEXT NOT NULL,
  created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX artifacts_by_incident ON artifacts (incident_id);
CREATE INDEX artifacts_by_sha ON artifacts (sha256);

CREATE TABLE tool_runs (
  id                 INTEGER PRIMARY KEY,
  incident_id        TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  step_run_id        INTEGER NOT NULL REFERENCES step_runs(id),
  action_id          TEXT NOT NULL,
  argv_json          TEXT NOT NULL,
  exit_code          INTEGER,
  signal             TEXT,
  timed_out          INTEGER NOT NULL CHECK (timed_out IN (0, 1)),
  duration_ms        INTEGER NOT NULL CHECK (duration_ms >= 0),
  stdout_artifact_id INTEGER REFERENCES artifacts(id),
  stderr_artifact_id INTEGER REFERENCES artifacts(id),
  started_at         TEXT NOT NULL
) STRICT;
CREATE INDEX tool_runs_by_incident ON tool_runs (incident_id);

CREATE TABLE findings (
  id                INTEGER PRIMARY KEY,
  incident_id       TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  step_run_id       INTEGER NOT NULL REFERENCES step_runs(id),
  kind              TEXT NOT NULL,
  title             TEXT NOT NULL,
  severity          TEXT NOT NULL CHECK (severity IN ('info','low','medium','high','critical')),
  func              TEXT,
  file              TEXT,
  line              INTEGER,
  metrics_json      TEXT NOT NULL,
  detail            TEXT,
  artifact_ids_json TEXT NOT NULL,
  created_at        TEXT NOT NULL
) STRICT;
CREATE INDEX findings_by_incident ON findings (incident_id);

CREATE TABLE hypotheses (
  id          INTEGER PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  key         TEXT NOT NULL,
  statement   TEXT NOT NULL,
  check_json  TEXT NOT NULL,
  verdict     TEXT NOT NULL CHECK (verdict IN ('pending','confirmed','refuted','inconclusive')),
  evidence    TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (incident_id, key)
) STRICT;

CREATE TABLE hypothesis_checks (
  id            INTEGER PRIMARY KEY,
  hypothesis_id INTEGER NOT NULL REFERENCES hypotheses(id) ON DELETE CASCADE,
  step_run_id   INTEGER NOT NULL REFERENCES step_runs(id),
  verdict       TEXT NOT NULL CHECK (verdict IN ('pending','confirmed','refuted','inconclusive')),
  evidence      TEXT NOT NULL,
  at            TEXT NOT NULL
) STRICT;
CREATE INDEX hypothesis_checks_by_hypothesis ON hypothesis_checks (hypothesis_id);

CREATE TABLE fixes (
  id               INTEGER PRIMARY KEY,
  incident_id      TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  step_run_id      INTEGER NOT NULL REFERENCES step_runs(id),
  summary          TEXT NOT NULL,
  commit_sha       TEXT,
  diff_artifact_id INTEGER REFERENCES artifacts(id),
  verified         INTEGER CHECK (verified IN (0, 1)),
  at               TEXT NOT NULL
) STRICT;

CREATE TABLE events (
  id          INTEGER PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  at          TEXT NOT NULL,
  step        TEXT,
  kind        TEXT NOT NULL,
  message     TEXT NOT NULL
) STRICT;
CREATE INDEX events_by_incident ON events (incident_id);

CREATE TABLE answers (
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  key         TEXT NOT NULL,
  value_json  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (incident_id, key)
) STRICT;
`;

/**
 * The session lease (who runs an incident's session now: one row at most, see leases.ts)
 * and the process records (what a session started, see processes.ts). Hosts are named so
 * that both keep their meaning when machines share a database.
 */
const sessionLeasesAndProcesses = `
CREATE TABLE session_leases (
  incident_id  TEXT PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
  holder_id    TEXT NOT NULL,
  host         TEXT NOT NULL,
  pid          INTEGER NOT NULL CHECK (pid > 0),
  pid_start_id TEXT,
  command      TEXT NOT NULL,
  acquired_at  TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL
) STRICT;

CREATE TABLE processes (
  id          INTEGER PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  step_run_id INTEGER REFERENCES step_runs(id),
  holder_id   TEXT,
  kind        TEXT NOT NULL CHECK (kind IN ('tool','debugger')),
  name        TEXT NOT NULL,
  argv_json   TEXT NOT NULL,
  tag         TEXT NOT NULL,
  host        TEXT NOT NULL,
  endpoint    TEXT,
  pid         INTEGER CHECK (pid > 0),
  pgid        INTEGER CHECK (pgid > 0),
  start_id    TEXT,
  started_at  TEXT NOT NULL,
  ended_at    TEXT,
  end_reason  TEXT CHECK (end_reason IN ('exited','not-started','ended-on-resume','gone')),
  exit_code   INTEGER,
  signal      TEXT,
  CHECK ((ended_at IS NULL) = (end_reason IS NULL))
) STRICT;
CREATE INDEX processes_running ON processes (incident_id) WHERE ended_at IS NULL;
`;

/**
 * Artifacts carry their facts as data (artifact-attributes.ts). Older rows get `{}`, except
 * what a structured column already said: a profile from the service's benchmarks
 * (`; source=bench` in its media type).
 */
const evidenceAttributes = `
ALTER TABLE artifacts ADD COLUMN attributes_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attributes_json));
UPDATE artifacts SET attributes_json = '{"source":"bench"}'
 WHERE media_type LIKE 'application/vnd.google.pprof+gzip;%' AND ';' || replace(media_type, ' ', '') || ';' LIKE '%;source=bench;%';
`;

/**
 * One row per action × target of a step run: how collecting went (store.ts NewCollection).
 * Older incidents are carried forward from what their rows say: per step run and action, the
 * artifacts kept (target unknown: older releases wrote it only into labels), `failed` when one
 * of them is the kept body of a failed fetch (media type application/octet-stream) or a tool
 * run of that action timed out or was killed. Skips and 404s of older releases were events only;
 * they stay in the timeline.
 */
const collections = `
CREATE TABLE collections (
  id                INTEGER PRIMARY KEY,
  incident_id       TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  step_run_id       INTEGER NOT NULL REFERENCES step_runs(id),
  action_id         TEXT NOT NULL,
  target            TEXT,
  status            TEXT NOT NULL CHECK (status IN ('ok','failed','skipped','not-served')),
  reason            TEXT,
  artifact_ids_json TEXT NOT NULL CHECK (json_valid(artifact_ids_json)),
  started_at        TEXT NOT NULL,
  finished_at       TEXT NOT NULL
) STRICT;
CREATE INDEX collections_by_incident ON collections (incident_id);

INSERT INTO collections (incident_id, step_run_id, action_id, target, status, reason, artifact_ids_json, started_at, finished_at)
SELECT a.incident_id, a.step_run_id, a.action_id, NULL,
       CASE WHEN max(a.media_type = 'application/octet-stream') = 1
              OR EXISTS (SELECT 1 FROM tool_runs t WHERE t.step_run_id = a.step_run_id AND t.action_id = a.action_id
                          AND (t.timed_out = 1 OR t.signal IS NOT NULL))
            THEN 'failed' ELSE 'ok' END,
       'recorded by an older gotriage, before collection records: per-target results were not kept (see the timeline)',
       json_group_array(a.id), min(a.created_at), max(a.created_at)
  FROM (SELECT * FROM artifacts ORDER BY id) a
  JOIN step_runs s ON s.id = a.step_run_id
 WHERE s.step IN ('gather', 'analyze', 'fix') AND a.action_id NOT IN ('pictures', 'fix-diff')
 GROUP BY a.step_run_id, a.action_id
 ORDER BY min(a.id);
`;

/**
 * Timeline events carry a typed payload (timeline-event.ts). Older events are mapped where
 * their kind says enough — a note or warning is its text; `incident-created` names the
 * incident's title; the n-th `step-started` of a step is its attempt n (each start wrote one)
 * — and kept as `legacy` (their kind and message as written) otherwise.
 */
const typedEvents = `
ALTER TABLE events ADD COLUMN payload_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload_json));
UPDATE events SET payload_json = CASE kind
  WHEN 'note' THEN json_object('kind', 'note', 'text', message)
  WHEN 'warning' THEN json_object('kind', 'warning', 'text', message)
  WHEN 'incident-created' THEN json_object('kind', 'incident-created', 'title', (SELECT title FROM incidents i WHERE i.id = events.incident_id))
  WHEN 'step-started' THEN json_object('kind', 'step-started', 'attempt',
    (SELECT n FROM (SELECT id, row_number() OVER (PARTITION BY incident_id, step ORDER BY id) AS n FROM events WHERE kind = 'step-started') r
      WHERE r.id = events.id))
  ELSE json_object('kind', 'legacy', 'was', kind, 'message', message)
END;
`;

/** Migration i (0-based) brings a database from user_version i to i + 1. */
export const MIGRATIONS: readonly string[] = [v1, sessionLeasesAndProcesses, evidenceAttributes, collections, typedEvents];

/** The user_version a database has once every migration of this build ran. */
export const SCHEMA_VERSION = MIGRATIONS.length;
