/**
 * Schema migrations, applied in order and recorded in schema_migrations. Never edit a released
 * migration; add a new one. Each area owns its tables (named in the comment).
 * Version ranges per area, so parallel work never collides: core 1–9, MQTT/ops 10–19,
 * modem 20–29, field bus 30–39, console 40–49, screen/UI 50–59.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'notices and versions',
    sql: `
      -- Highest version accepted per issuer + message id, for replay/rollback refusal.
      CREATE TABLE message_versions (
        issuer TEXT NOT NULL,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        payload_sha256 TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (issuer, kind, id)
      );
      -- Notices as received (runtime/notices/notice-store.ts).
      CREATE TABLE notices (
        issuer TEXT NOT NULL,
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        topic TEXT NOT NULL,
        priority INTEGER NOT NULL,
        payload TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        valid_from INTEGER NOT NULL,
        expires_at INTEGER,
        withdrawn_at INTEGER,
        first_displayed_at INTEGER,
        PRIMARY KEY (issuer, id)
      );
    `,
  },
  {
    version: 2,
    name: 'outbox',
    sql: `
      -- Durable uplink queue (runtime/uplink/outbox.ts): ordered by seq, deleted after PUBACK.
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        topic TEXT NOT NULL,
        payload BLOB NOT NULL,
        class TEXT NOT NULL,
        retain INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        bytes INTEGER NOT NULL
      );
      CREATE INDEX outbox_class ON outbox (class, seq);
    `,
  },
  {
    version: 3,
    name: 'key-value state',
    sql: `
      -- Small durable counters and settings (e.g. MQTT bdSeq).
      CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 4,
    name: 'data sets',
    sql: `
      -- Signed data sets for the query UI (runtime/data/dataset-store.ts): services, transit, weather…
      -- scope is 'all' (data/{name}) or 'pole' (poles/{id}/data/{name}); the pole-specific one wins.
      CREATE TABLE datasets (
        name TEXT NOT NULL,
        scope TEXT NOT NULL,
        issuer TEXT NOT NULL,
        version INTEGER NOT NULL,
        issued_at TEXT NOT NULL,
        expires_at INTEGER,
        data TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        PRIMARY KEY (name, scope)
      );
    `,
  },
  {
    version: 5,
    name: 'citizens messages and replies',
    sql: `
      -- Citizens' messages to the city (runtime/feedback/feedback-store.ts) and the city's replies.
      CREATE TABLE feedback (
        ticket TEXT PRIMARY KEY,
        category TEXT NOT NULL,
        problem TEXT NOT NULL,
        text TEXT,
        location TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE feedback_replies (
        ticket TEXT PRIMARY KEY,
        issuer TEXT NOT NULL,
        version INTEGER NOT NULL,
        status TEXT NOT NULL,
        reply TEXT NOT NULL,
        received_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 10,
    name: 'MQTT: commands, CAP alerts, notice lifecycle, proof of play',
    sql: `
      -- Commands received over MQTT and their one response (runtime/commands/command-journal.ts).
      -- A redelivered command id is answered from here and never run twice, across restarts too.
      CREATE TABLE commands (
        issuer TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        payload_sha256 TEXT NOT NULL,
        state TEXT NOT NULL,              -- running | done
        response TEXT,                    -- the response JSON once done
        received_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (issuer, id)
      );
      CREATE INDEX commands_expiry ON commands (expires_at);
      -- Where a notice came from (CAP alerts keep sender/identifier/event…), and when its expiry receipt went out.
      ALTER TABLE notices ADD COLUMN origin TEXT;
      ALTER TABLE notices ADD COLUMN expiry_reported_at INTEGER;
      -- When the accepted version stops being valid: rows of expired messages can be pruned safely
      -- (a replay of an expired message is refused as expired).
      ALTER TABLE message_versions ADD COLUMN expires_at INTEGER;
      -- CAP alerts seen, and alerts an Update/Cancel referenced (possibly before the alert itself
      -- arrived: retained topics come in any order). runtime/notices/cap-registry.ts.
      CREATE TABLE cap_alerts (
        issuer TEXT NOT NULL,
        sender TEXT NOT NULL,
        identifier TEXT NOT NULL,
        notice_id TEXT,
        state TEXT NOT NULL,              -- shown | ignored | superseded | cancelled
        superseded_by TEXT,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (issuer, sender, identifier)
      );
      -- Proof of play per notice and hour until the hour's record is in the outbox (runtime/notices/proof-of-play.ts).
      CREATE TABLE proof_of_play (
        hour_start INTEGER NOT NULL,
        issuer TEXT NOT NULL,
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        plays INTEGER NOT NULL,
        seconds REAL NOT NULL,
        PRIMARY KEY (hour_start, issuer, id, version)
      );
    `,
  },
  {
    version: 11,
    name: 'outbox size counters',
    sql: `
      -- Rows and bytes in the outbox, kept by triggers so they follow rollbacks exactly
      -- (runtime/uplink/outbox.ts enforces its bounds without scanning the table).
      CREATE TABLE outbox_stats (id INTEGER PRIMARY KEY CHECK (id = 1), rows INTEGER NOT NULL, bytes INTEGER NOT NULL);
      INSERT INTO outbox_stats SELECT 1, COUNT(*), COALESCE(SUM(bytes), 0) FROM outbox;
      CREATE TRIGGER outbox_stats_insert AFTER INSERT ON outbox BEGIN
        UPDATE outbox_stats SET rows = rows + 1, bytes = bytes + NEW.bytes WHERE id = 1;
      END;
      CREATE TRIGGER outbox_stats_delete AFTER DELETE ON outbox BEGIN
        UPDATE outbox_stats SET rows = rows - 1, bytes = bytes - OLD.bytes WHERE id = 1;
      END;
    `,
  },
  {
    version: 30,
    name: 'charging sessions',
    sql: `
      -- EV charging sessions (runtime/charging/session-ledger.ts). A row is written in the same
      -- transaction as the outbox record it produces (EVerest's transaction queue, docs/charging.md).
      CREATE TABLE charging_sessions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        transaction_id TEXT NOT NULL UNIQUE,
        connector INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('active', 'stopping', 'closed')),
        source TEXT NOT NULL,
        id_tag TEXT,
        payment_ref TEXT UNIQUE,
        payment_amount REAL,
        limit_wh INTEGER,
        price_per_kwh REAL NOT NULL,
        currency TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        meter_start_wh INTEGER NOT NULL,
        -- Meter resets: energy = energy_offset_wh + (meter now - segment_start_wh).
        segment_start_wh INTEGER NOT NULL,
        energy_offset_wh INTEGER NOT NULL DEFAULT 0,
        last_meter_wh INTEGER NOT NULL,
        last_meter_at INTEGER NOT NULL,
        record_count INTEGER NOT NULL DEFAULT 0,
        stop_reason TEXT,
        stop_requested_at INTEGER,
        stopped_at INTEGER,
        meter_stop_wh INTEGER,
        meter_stop_source TEXT,
        energy_wh INTEGER,
        cost REAL,
        recovered INTEGER NOT NULL DEFAULT 0
      );
      -- At most one open session per connector: a second start can never be committed.
      CREATE UNIQUE INDEX charging_one_open_per_connector ON charging_sessions (connector) WHERE state != 'closed';
      -- Per-connector state that must survive restarts: availability, finishing, a waiting authorization.
      CREATE TABLE charging_connectors (
        connector INTEGER PRIMARY KEY,
        operative INTEGER NOT NULL DEFAULT 1,
        finishing INTEGER NOT NULL DEFAULT 0,
        auth TEXT
      );
    `,
  },
  {
    version: 31,
    name: 'lamp override and alarms',
    sql: `
      -- The operator's override (runtime/lamp/override-store.ts): one row, survives restarts until it expires.
      CREATE TABLE lamp_override (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        level REAL NOT NULL,
        until_ms INTEGER,
        ramp_sec REAL,
        set_at INTEGER NOT NULL,
        source TEXT NOT NULL,
        principal TEXT
      );
      -- Raised TALQ alarms, so a restart neither forgets nor re-raises them (runtime/lamp/lamp-alarms.ts).
      CREATE TABLE lamp_alarms (
        name TEXT PRIMARY KEY,
        raised_at INTEGER NOT NULL,
        detail TEXT
      );
    `,
  },
  {
    version: 60,
    name: 'trust v2: versions per audience, the applied trust list',
    sql: `
      -- The highest version per issuer + kind + id + audience (runtime/trust/version-registry.ts,
      -- docs/security.md §Versions). Rows from before trust v2 keep their numbers under the audience
      -- "legacy": payloads without a signed audience are refused anyway.
      CREATE TABLE message_versions_v2 (
        issuer TEXT NOT NULL,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        audience TEXT NOT NULL,
        version INTEGER NOT NULL,
        payload_sha256 TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        expires_at INTEGER,
        PRIMARY KEY (issuer, kind, id, audience)
      );
      INSERT INTO message_versions_v2 (issuer, kind, id, audience, version, payload_sha256, updated_at, expires_at)
        SELECT issuer, kind, id, 'legacy', version, payload_sha256, updated_at, expires_at FROM message_versions;
      DROP TABLE message_versions;
      ALTER TABLE message_versions_v2 RENAME TO message_versions;
      -- The root-signed trust list in force (runtime/trust/trust-list.ts): one row, replaced atomically.
      CREATE TABLE trust_list (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version INTEGER NOT NULL,
        payload TEXT NOT NULL,
        payload_sha256 TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        applied_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 55,
    name: 'citizens messages: status steps, departments, ratings',
    sql: `
      -- The department in charge of a reply (JSON {zh, en?}), shown with the answer.
      ALTER TABLE feedback_replies ADD COLUMN department TEXT;
      -- When each status (received, in-progress, replied, …) first reached this pole: the ticket page's steps.
      CREATE TABLE feedback_steps (
        ticket TEXT NOT NULL,
        status TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (ticket, status)
      );
      -- The citizen's one rating per ticket (runtime/feedback/feedback-store.ts, docs/feedback.md §Rating).
      CREATE TABLE feedback_ratings (
        ticket TEXT PRIMARY KEY,
        rating TEXT NOT NULL,
        reply_issuer TEXT NOT NULL,
        reply_version INTEGER NOT NULL,
        reply_status TEXT NOT NULL,
        rated_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 56,
    name: 'charging: which car is at the connector; stop details that survive a restart',
    sql: `
      -- The pole's number for the car plugged in (docs/charging.md §Which car): a payment names it.
      ALTER TABLE charging_connectors ADD COLUMN plug_in INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE charging_connectors ADD COLUMN plugged INTEGER NOT NULL DEFAULT 0;
      -- The controller's time-in-state-C counter as last saved for this car (restarts with each connection).
      ALTER TABLE charging_connectors ADD COLUMN charge_sec INTEGER NOT NULL DEFAULT 0;
      -- Why a session is stopping, beyond its reason (JSON; the stop record carries it).
      ALTER TABLE charging_sessions ADD COLUMN stop_detail TEXT;
    `,
  },
];
